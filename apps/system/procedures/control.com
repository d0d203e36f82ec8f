$! Every control construct: labels and GOTO, IF/THEN/ELSE/ENDIF (nested), GOSUB and
$! RETURN, CALL/SUBROUTINE/ENDSUBROUTINE with parameters, EXIT with a status.
$ I = 1
$ LOOP:
$   IF I .GT. 3 THEN GOTO DONE
$   IF I .EQ. 2
$   THEN
$     WRITE SYS$OUTPUT "two"
$   ELSE
$     IF I .EQ. 1
$     THEN
$       WRITE SYS$OUTPUT "one"
$     ELSE
$       WRITE SYS$OUTPUT "three"
$     ENDIF
$   ENDIF
$   I = I + 1
$   GOTO LOOP
$ DONE:
$ GOSUB SHOW_I
$ CALL TWICE "a word" 21
$ WRITE SYS$OUTPUT "after CALL, $STATUS = ''$STATUS'"
$ EXIT 1
$!
$ SHOW_I:
$   WRITE SYS$OUTPUT "GOSUB: I is ''I'"
$   RETURN
$!
$ TWICE: SUBROUTINE
$   WRITE SYS$OUTPUT "CALL: P1 is ''P1', twice P2 is ''F$STRING(P2 * 2)'"
$   EXIT 3
$ ENDSUBROUTINE
