$! Symbols and substitution (DCL Dictionary: symbol assignment, apostrophe and
$! ampersand substitution, command synonyms).
$ NAME = "World"
$ COUNT = 3
$ WRITE SYS$OUTPUT "Hello, ''NAME'! COUNT is ''COUNT'."
$ TOTAL = COUNT * 4 + 2
$ WRITE SYS$OUTPUT "TOTAL = ", TOTAL
$ GREETING := hello there
$ WRITE SYS$OUTPUT "GREETING = ""''GREETING'"""
$ JOINED = NAME + "-" + F$STRING(COUNT)
$ WRITE SYS$OUTPUT JOINED
$ SHORTER = "abcabc" - "b"
$ WRITE SYS$OUTPUT SHORTER
$ GLOBAL_ONE == "everyone sees me"
$ SHOW SYMBOL GLOBAL_ONE
$ SHOW SYMBOL COUNT
$ WHICH = "NAME"
$ WRITE SYS$OUTPUT "indirect: ", &WHICH
$ SAY :== WRITE SYS$OUTPUT
$ SAY "a command synonym"
$ IF NAME .EQS. "World" .AND. COUNT .GT. 2 THEN SAY "both are true"
$ DELETE/SYMBOL TOTAL
$ WRITE SYS$OUTPUT "TOTAL now: ''F$TYPE(TOTAL)'"
$ EXIT
