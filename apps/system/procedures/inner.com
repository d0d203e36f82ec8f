$! Called by NESTED.COM.
$ WRITE SYS$OUTPUT "inner: depth ''F$ENVIRONMENT("DEPTH")' P1=''P1' P2=''P2' P3=''P3' P4=''P4'"
$ WRITE SYS$OUTPUT "inner sees ''OUTER_SYMBOL'"
$ IF P1 .EQS. "AGAIN" THEN @DEEPEST
$ RESULT == P1
$ EXIT 2280 ! SS$_NONEXPR, a warning: the caller goes on
