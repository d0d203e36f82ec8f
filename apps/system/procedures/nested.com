$! Nested procedures with parameters: P1-P8, the depth, symbols of outer levels, and
$! the status an inner EXIT gives (a warning: the default ON ERROR does not stop here).
$ OUTER_SYMBOL = "from the outer level"
$ WRITE SYS$OUTPUT "outer: depth ''F$ENVIRONMENT("DEPTH")'"
$ @INNER first "second word" 3
$ WRITE SYS$OUTPUT "inner exit status: ''$STATUS'"
$ @INNER again
$ WRITE SYS$OUTPUT "RESULT (global) = ''RESULT'"
