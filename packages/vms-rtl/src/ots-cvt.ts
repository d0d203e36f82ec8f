/**
 * OTS$CVT_L_TI and OTS$CVT_TI_L (OpenVMS RTL General Purpose (OTS$) Manual): a signed
 * byte, word or longword to decimal text (Fortran Iw.m output), and decimal text to one.
 */
export const OTS_CVT_SOURCE = `
        .TITLE  OTS$CVT  OTS$CVT_L_TI and OTS$CVT_TI_L
        $SSDEF
        $LIBDEF
        $OTSDEF
        $DSCDEF

        .PSECT  _LIB$CODE,PIC,SHR,NOWRT,EXE,LONG

;+
; OTS$CVT_L_TI varying-input-value ,fixed-length-resultant-string [,number-of-digits]
;              [,input-value-size] [,flags-value]
;
; The value (by reference; its size, by value, 1, 2 or 4, default 4) in decimal,
; right-justified and blank filled in the string (by descriptor), with at least
; number-of-digits digits (by value, default 1; 0 with a zero value: all blanks), a
; minus sign when negative, a plus sign when flags-value bit 0 is set. Returns
; SS$_NORMAL, or OTS$_OUTCONERR with the string filled with asterisks when it is too
; short or the size is not 1, 2 or 4.
;-
        .ENTRY  OTS$CVT_L_TI,^M<R2,R3,R4,R5,R6,R7,R8,R9,R10,R11>
        SUBL2   #12,SP                  ; the digits, written backwards from FP
        MOVZBL  (AP),R0
        CMPL    R0,#2
        BGEQU   10$
        MOVL    #LIB$_WRONUMARG,R0
        RET
10$:    MOVL    #1,R6                   ; R6: the fewest digits
        MOVL    #4,R7                   ; R7: the value's size
        CLRL    R8                      ; R8: the flags
        CMPL    R0,#3
        BLSSU   20$
        MOVL    12(AP),R6
        CMPL    R0,#4
        BLSSU   20$
        MOVL    16(AP),R7
        CMPL    R0,#5
        BLSSU   20$
        MOVL    20(AP),R8
20$:    MOVL    4(AP),R1
        CMPL    R7,#4
        BNEQ    21$
        MOVL    (R1),R2
        BRB     25$
21$:    CMPL    R7,#2
        BNEQ    22$
        CVTWL   (R1),R2
        BRB     25$
22$:    CMPL    R7,#1
        BEQL    23$
        BRW     90$
23$:    CVTBL   (R1),R2
25$:    CLRL    R9                      ; R9: the sign, if one is written
        TSTL    R2
        BGEQ    26$
        MNEGL   R2,R2                   ; the magnitude, unsigned (2**31 stays itself)
        MOVZBL  #^A/-/,R9
        BRB     30$
26$:    BLBC    R8,30$
        MOVZBL  #^A/+/,R9
30$:    MOVL    FP,R10                  ; R10: the first digit; R11: how many
        CLRL    R11
31$:    TSTL    R2
        BEQL    40$
        CLRL    R3
        EDIV    #10,R2,R2,R1            ; R2:R3 by 10 (a positive quadword)
        ADDB3   #^A/0/,R1,-(R10)
        INCL    R11
        BRB     31$
40$:    MOVL    R11,R7                  ; R7: the digits written, zeros included
        CMPL    R6,R7
        BLEQ    41$
        MOVL    R6,R7
41$:    MOVL    R7,R0                   ; R0: the width of the number
        TSTL    R9
        BEQL    42$
        INCL    R0
42$:    MOVL    8(AP),R8                ; the string's descriptor
        MOVZWL  DSC$W_LENGTH(R8),R1
        CMPL    R0,R1
        BGTRU   90$
        SUBL3   R0,R1,R6                ; blanks before the number
        MOVL    DSC$A_POINTER(R8),R8
        MOVC5   #0,(R8),#^A/ /,R6,(R8)
        MOVL    R3,R8                   ; just after the blanks
        TSTL    R9
        BEQL    50$
        MOVB    R9,(R8)+
50$:    SUBL3   R11,R7,R0               ; leading zeros
        BLEQ    52$
51$:    MOVB    #^A/0/,(R8)+
        SOBGTR  R0,51$
52$:    MOVC3   R11,(R10),(R8)
        MOVL    #SS$_NORMAL,R0
        RET
90$:    MOVL    8(AP),R8                ; no room, or a bad size: all asterisks
        MOVZWL  DSC$W_LENGTH(R8),R1
        MOVC5   #0,@DSC$A_POINTER(R8),#^A/*/,R1,@DSC$A_POINTER(R8)
        MOVL    #OTS$_OUTCONERR,R0
        RET

;+
; OTS$CVT_TI_L fixed-or-dynamic-input-string ,varying-output-value [,output-value-size]
;              [,flags-value]
;
; Decimal text (by descriptor): blanks, an optional sign, digits. Leading blanks are
; ignored; later blanks are zeros unless flags-value bit 0 is set (then all are
; ignored); tabs are invalid unless bit 4 is set (then ignored). The value goes to
; varying-output-value (by reference) as a byte, word or longword (output-value-size,
; by value: 1, 2 or 4; 0 or omitted: 4). Returns SS$_NORMAL; OTS$_INPCONERR for a bad
; character or an overflow (the value set to zero) or a bad size (the value untouched).
;-
        .ENTRY  OTS$CVT_TI_L,^M<R2,R3,R4,R5,R6,R7,R8,R9>
        MOVZBL  (AP),R0
        CMPL    R0,#2
        BGEQU   10$
        MOVL    #LIB$_WRONUMARG,R0
        RET
10$:    MOVL    #4,R8                   ; R8: the size
        CLRL    R9                      ; R9: the flags
        CMPL    R0,#3
        BLSSU   20$
        MOVL    12(AP),R8
        BNEQ    11$
        MOVL    #4,R8
11$:    CMPL    R0,#4
        BLSSU   20$
        MOVL    16(AP),R9
20$:    CMPL    R8,#1
        BEQL    21$
        CMPL    R8,#2
        BEQL    21$
        CMPL    R8,#4
        BEQL    21$
        MOVL    #OTS$_INPCONERR,R0
        RET
21$:    ASHL    #3,R8,R7                ; R7: 2**(bits-1), the largest magnitude
        DECL    R7
        ASHL    R7,#1,R7
        MOVL    4(AP),R1
        MOVZWL  DSC$W_LENGTH(R1),R2     ; R2: characters left
        MOVL    DSC$A_POINTER(R1),R3    ; R3: the next one
        CLRL    R4                      ; R4: the magnitude
        CLRL    R5                      ; R5: 1 once a sign or digit is seen
        CLRL    R6                      ; R6: 1 when negative
        TSTL    R2
        BNEQ    30$
        BRW     60$
30$:    MOVZBL  (R3)+,R0
        CMPB    R0,#^A/ /
        BNEQ    32$
        BLBS    R9,50$                  ; every blank ignored
        TSTL    R5
        BEQL    50$                     ; a leading blank
        MOVZBL  #^A/0/,R0               ; a later one is a zero
        BRB     40$
32$:    CMPB    R0,#9
        BNEQ    34$
        BBS     #4,R9,50$               ; tabs ignored
        BRB     80$
34$:    TSTL    R5
        BNEQ    40$
        MOVL    #1,R5
        CMPB    R0,#^A/-/
        BNEQ    36$
        MOVL    #1,R6
        BRB     50$
36$:    CMPB    R0,#^A/+/
        BEQL    50$
40$:    SUBL2   #^A/0/,R0
        CMPL    R0,#9
        BGTRU   80$                     ; not a digit
        CMPL    R4,#214748364
        BGTRU   80$                     ; ten times it would not fit
        MULL2   #10,R4
        ADDL2   R0,R4
        SUBL3   #1,R7,R1                ; the limit: 2**(bits-1) less one, or
        ADDL2   R6,R1                   ; 2**(bits-1) when negative
        CMPL    R4,R1
        BGTRU   80$
50$:    DECL    R2
        BLEQ    60$
        BRW     30$
60$:    BLBC    R6,62$
        MNEGL   R4,R4
62$:    BSBB    store
        MOVL    #SS$_NORMAL,R0
        RET
80$:    CLRL    R4                      ; a bad character or an overflow: zero
        BSBB    store
        MOVL    #OTS$_INPCONERR,R0
        RET

; R4 to the output value, R8 bytes of it.
store:  CMPL    R8,#1
        BNEQ    1$
        MOVB    R4,@8(AP)
        RSB
1$:     CMPL    R8,#2
        BNEQ    2$
        MOVW    R4,@8(AP)
        RSB
2$:     MOVL    R4,@8(AP)
        RSB

        .END
`
