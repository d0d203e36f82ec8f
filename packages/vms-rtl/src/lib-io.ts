/**
 * LIB$PUT_OUTPUT and LIB$GET_INPUT (OpenVMS RTL Library (LIB$) Manual): a record to
 * SYS$OUTPUT, a record from SYS$INPUT. Each assigns its channel on its first call and
 * keeps it for the life of the image, as LIB$ keeps its RMS streams open.
 */
export const LIB_IO_SOURCE = `
        .TITLE  LIB$IO  LIB$PUT_OUTPUT and LIB$GET_INPUT
        $SSDEF
        $IODEF
        $LIBDEF
        $STRDEF
        $DSCDEF
        $RMSDEF

LINE_MAX = 512                          ; the longest record read or written in one $QIO

        .PSECT  _LIB$DATA,NOEXE,WRT,LONG
out_name:
        .ASCID  /SYS$OUTPUT/
in_name:
        .ASCID  /SYS$INPUT/
out_chan:
        .WORD   0                       ; 0 until the first call assigns it
in_chan:
        .WORD   0
        .ALIGN  QUAD
iosb:   .QUAD   0
line_desc:                              ; the record just read, for STR$COPY_DX
        .WORD   0
        .BYTE   DSC$K_DTYPE_T,DSC$K_CLASS_S
        .ADDRESS line
line:   .BLKB   LINE_MAX+2              ; a record and its CR LF
crlf:   .BYTE   13,10

        .PSECT  _LIB$CODE,PIC,SHR,NOWRT,EXE,LONG

;+
; LIB$PUT_OUTPUT message-string
;
; Writes the string (by descriptor) to SYS$OUTPUT as one record: its text, then the
; carriage return and line feed a record on a terminal ends with. The line and the I/O
; status block are on the stack, so an AST routine may call it while the program it
; interrupted is inside it. Returns the status of $ASSIGN, $QIOW or the I/O status
; block; LIB$_WRONUMARG without an argument.
;-
        .ENTRY  LIB$PUT_OUTPUT,^M<R2,R3,R4,R5,R6,R7>
        TSTB    (AP)
        BNEQ    10$
        MOVL    #LIB$_WRONUMARG,R0
        RET
10$:    TSTW    out_chan
        BNEQ    20$
        $ASSIGN_S DEVNAM=out_name,CHAN=out_chan
        BLBS    R0,20$
        RET
20$:    SUBL2   #LINE_MAX+2+8,SP        ; the line, its CR LF, an I/O status block
        MOVL    SP,R6                   ; R6: the line
        MOVAB   LINE_MAX+2(R6),R7       ; R7: the I/O status block
        MOVL    4(AP),R2                ; the message's descriptor
        MOVZWL  DSC$W_LENGTH(R2),R4
        CMPL    R4,#LINE_MAX
        BGTRU   40$
        MOVC3   R4,@DSC$A_POINTER(R2),(R6) ; short enough: text and CR LF in one $QIO
        MOVW    #^X0A0D,(R3)+           ; R3: just after the text (MOVC3 sets R0-R5)
        SUBL3   R6,R3,R4                ; the length with CR LF
        $QIOW_S CHAN=out_chan,FUNC=#IO$_WRITEVBLK,IOSB=(R7),P1=(R6),P2=R4
        BRB     50$
40$:    $QIOW_S CHAN=out_chan,FUNC=#IO$_WRITEVBLK,IOSB=(R7),-
                P1=@DSC$A_POINTER(R2),P2=R4
        BLBC    R0,90$
        MOVZWL  (R7),R0
        BLBC    R0,90$
        $QIOW_S CHAN=out_chan,FUNC=#IO$_WRITEVBLK,IOSB=(R7),P1=crlf,P2=#2
50$:    BLBC    R0,90$
        MOVZWL  (R7),R0                 ; the I/O status
90$:    RET

;+
; LIB$GET_INPUT resultant-string [,prompt-string] [,resultant-length]
;
; Reads one record from SYS$INPUT (IO$_READPROMPT with the prompt, by descriptor, when
; one is given; else IO$_READVBLK) and copies it into resultant-string as STR$COPY_DX
; does (a fixed-length string is blank filled, a dynamic one takes the record's length).
; resultant-length (a word, by reference) gets the count of characters stored. Returns
; SS$_NORMAL, LIB$_INPSTRTRU when a fixed-length string was too short, RMS$_EOF at end
; of file (the terminal's SS$_ENDOFFILE, as RMS's $GET reports it), another failing I/O
; status as it is, or LIB$_WRONUMARG without an argument.
;-
        .ENTRY  LIB$GET_INPUT,^M<R2,R3,R4,R5,R6>
        MOVZBL  (AP),R6                 ; the argument count
        BNEQ    10$
        MOVL    #LIB$_WRONUMARG,R0
        RET
10$:    TSTW    in_chan
        BNEQ    20$
        $ASSIGN_S DEVNAM=in_name,CHAN=in_chan
        BLBS    R0,20$
        RET
20$:    CLRL    R2                      ; the prompt's descriptor, if any
        CMPL    R6,#2
        BLSSU   30$
        MOVL    8(AP),R2
        BEQL    30$
        MOVZWL  DSC$W_LENGTH(R2),R3
        $QIOW_S CHAN=in_chan,FUNC=#IO$_READPROMPT,IOSB=iosb,P1=line,P2=#LINE_MAX,-
                P5=DSC$A_POINTER(R2),P6=R3
        BRB     40$
30$:    $QIOW_S CHAN=in_chan,FUNC=#IO$_READVBLK,IOSB=iosb,P1=line,P2=#LINE_MAX
40$:    BLBC    R0,90$
        MOVZWL  iosb,R0                 ; the I/O status
        BLBS    R0,45$
        CMPL    R0,#SS$_ENDOFFILE       ; end of file is RMS's: RMS$_EOF
        BNEQ    90$
        MOVL    #RMS$_EOF,R0
        RET
45$:
        MOVW    iosb+2,line_desc        ; the count of bytes read
        PUSHAQ  line_desc
        PUSHL   4(AP)
        CALLS   #2,G^STR$COPY_DX
        MOVL    R0,R4
        BLBS    R4,50$
        CMPL    R4,#STR$_TRU
        BNEQ    90$                     ; not a string STR$COPY_DX can write
        MOVL    #LIB$_INPSTRTRU,R4
50$:    CMPL    R6,#3                   ; the length stored, when asked for
        BLSSU   60$
        MOVL    12(AP),R2
        BEQL    60$
        MOVZWL  iosb+2,R3
        MOVL    4(AP),R1
        CMPB    DSC$B_CLASS(R1),#DSC$K_CLASS_D
        BEQL    55$                     ; a dynamic string holds it all
        CMPW    R3,DSC$W_LENGTH(R1)
        BLEQU   55$
        MOVZWL  DSC$W_LENGTH(R1),R3     ; a fixed-length one what fits
55$:    MOVW    R3,(R2)
60$:    MOVL    R4,R0
90$:    RET

        .END
`
