/**
 * STR$COPY_DX (OpenVMS RTL String Manipulation (STR$) Manual): copies a source string to
 * a destination string, both by descriptor, by the destination's class:
 *
 * - S, Z, SD, A, NCA (fixed length): the text, blank filled or truncated on the right;
 * - D (dynamic): when its storage is large enough the text is copied and the length set;
 *   else the storage goes back (LIB$FREE_VM) and storage of the source's length is
 *   allocated (LIB$GET_VM). The storage's size is its heap block's (lib-vm.ts);
 * - VS (varying): up to MAXSTRLEN (the descriptor's length field) characters after the
 *   CURLEN word at the pointer, no padding, CURLEN set.
 *
 * The source may be of any of those classes (VS: CURLEN characters after the word).
 * As the manual says, "all conditions except success and truncation are signaled":
 * STR$_ILLSTRCLA for another class, STR$_INSVIRMEM when no storage is left,
 * STR$_ERRFREDYN when the old storage cannot be freed, each with LIB$SIGNAL (and
 * returned if a handler continues); truncation returns STR$_TRU, a warning.
 */
export const STR_COPY_SOURCE = `
        .TITLE  STR$COPY  STR$COPY_DX
        $SSDEF
        $STRDEF
        $DSCDEF

SOURCE_CLASSES = <1@DSC$K_CLASS_Z>!<1@DSC$K_CLASS_S>!<1@DSC$K_CLASS_D>!<1@DSC$K_CLASS_A>-
        !<1@DSC$K_CLASS_SD>!<1@DSC$K_CLASS_NCA>!<1@DSC$K_CLASS_VS>
FIXED_CLASSES = <1@DSC$K_CLASS_Z>!<1@DSC$K_CLASS_S>!<1@DSC$K_CLASS_A>-
        !<1@DSC$K_CLASS_SD>!<1@DSC$K_CLASS_NCA>

        .PSECT  _LIB$CODE,PIC,SHR,NOWRT,EXE,LONG

;+
; STR$COPY_DX destination-string ,source-string
;-
        .ENTRY  STR$COPY_DX,^M<R2,R3,R4,R5,R6,R7,R8,R9>
        CMPB    (AP),#2
        BGEQU   10$
        MOVL    #STR$_WRONUMARG,R0
        RET
10$:    MOVQ    4(AP),R6                ; R6: the destination, R7: the source
        MOVZWL  DSC$W_LENGTH(R7),R8     ; R8: the source's length, R9: its text
        MOVL    DSC$A_POINTER(R7),R9
        MOVZBL  DSC$B_CLASS(R7),R0
        MOVL    #SOURCE_CLASSES,R1
        BSBW    class
        CMPL    R0,#DSC$K_CLASS_VS
        BNEQ    20$
        MOVZWL  (R9)+,R8                ; a varying string: CURLEN, then the text
20$:    MOVZBL  DSC$B_CLASS(R6),R0
        CMPL    R0,#DSC$K_CLASS_D
        BEQL    40$
        CMPL    R0,#DSC$K_CLASS_VS
        BEQL    30$
        MOVL    #FIXED_CLASSES,R1
        BSBW    class
; Fixed length: blank filled or truncated.
        MOVC5   R8,(R9),#^A/ /,DSC$W_LENGTH(R6),@DSC$A_POINTER(R6)
        BRB     80$
; Varying: at most MAXSTRLEN characters, CURLEN set, no padding.
30$:    MOVL    R8,R4
        CMPW    R8,DSC$W_LENGTH(R6)
        BLEQU   31$
        MOVZWL  DSC$W_LENGTH(R6),R4
31$:    MOVL    DSC$A_POINTER(R6),R5
        MOVW    R4,(R5)+
        MOVC3   R4,(R9),(R5)
        BRB     80$
; Dynamic: the storage it has if large enough, else new storage of the source's length.
40$:    MOVL    DSC$A_POINTER(R6),R2
        BEQL    45$                     ; no storage yet
        SUBL3   #8,-8(R2),R3            ; the size of its storage: its heap block less the header
        CMPL    R8,R3
        BLEQU   50$
        PUSHL   R3                      ; too small: back to the heap
        PUSHAL  DSC$A_POINTER(R6)
        PUSHAL  4(SP)
        CALLS   #2,G^LIB$FREE_VM
        TSTL    (SP)+
        BLBS    R0,45$
        MOVL    #STR$_ERRFREDYN,R2
        BRB     90$
45$:    CLRW    DSC$W_LENGTH(R6)
        CLRL    DSC$A_POINTER(R6)
        TSTL    R8
        BEQL    50$                     ; an empty string needs no storage
        PUSHL   R8
        PUSHAL  DSC$A_POINTER(R6)
        PUSHAL  4(SP)
        CALLS   #2,G^LIB$GET_VM
        TSTL    (SP)+
        BLBS    R0,50$
        MOVL    #STR$_INSVIRMEM,R2
        BRB     90$
50$:    MOVW    R8,DSC$W_LENGTH(R6)
        MOVC3   R8,(R9),@DSC$A_POINTER(R6)
        MOVL    #SS$_NORMAL,R0
        RET
; Fixed or varying: STR$_TRU when not all of the source went in.
80$:    CMPW    R8,DSC$W_LENGTH(R6)
        BGTRU   81$
        MOVL    #SS$_NORMAL,R0
        RET
81$:    MOVL    #STR$_TRU,R0
        RET
; A condition that is signalled, then returned if a handler continues.
90$:    PUSHL   R2
        CALLS   #1,G^LIB$SIGNAL
        MOVL    R2,R0
        RET

; class: returns if bit R0 (a class code) of the mask R1 is set; else the caller's
; STR$COPY_DX signals STR$_ILLSTRCLA (and returns it, if a handler continues).
class:  CMPL    R0,#31
        BGTRU   1$
        BBC     R0,R1,1$
        RSB
1$:     MOVL    #STR$_ILLSTRCLA,R2
        PUSHL   R2
        CALLS   #1,G^LIB$SIGNAL
        MOVL    R2,R0
        RET
`
