$ WRITE SYS$OUTPUT "deepest: depth ''F$ENVIRONMENT("DEPTH")'"
