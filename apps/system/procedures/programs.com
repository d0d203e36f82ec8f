$! Procedures that run MACRO programs: the data lines after a RUN are the image's
$! SYS$INPUT (book 23.4), and the image's exit status is $STATUS.
$ RUN ASKNAME
Ada Lovelace
$ RUN HELLO
$ WRITE SYS$OUTPUT "HELLO exited with ''$STATUS'"
$ RUN/NOWAIT PONG
$ RUN PING
$ LINK ASKNAME
$ RUN SYS$DISK:[000000]ASKNAME.EXE
Grace Hopper
$ RUN ASKNAME
$ WRITE SYS$OUTPUT "with no data lines it reads end of file: $SEVERITY=''$SEVERITY'"
