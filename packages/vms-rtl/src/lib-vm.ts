/** Bytes in the heap LIB$GET_VM allocates from (16 pages). */
export const HEAP_SIZE = 8192

/** The psect that holds the heap: page aligned, writable, all zeros (demand zero). */
export const HEAP_PSECT = '_LIB$HEAP'

/**
 * LIB$GET_VM and LIB$FREE_VM (OpenVMS RTL Library (LIB$) Manual) on one heap, first fit
 * with an address-ordered free list. VMS allocates from the process's P0 region,
 * extended with $EXPREG; here the heap is a page-aligned demand-zero psect of the image
 * itself, `_LIB$HEAP`, of HEAP_SIZE bytes: the stand-in for the process allocation
 * region. Each block begins with an 8-byte header, its size (header included, a multiple
 * of 8) and, while it is allocated, a tag; a free block holds the address of the next
 * free block there instead. The blocks tile the heap, so LIB$FREE_VM finds a block by
 * walking them from the start: an address that is not one of them, or is one already
 * free, is LIB$_BADBLOADR and changes nothing.
 */
export const LIB_VM_SOURCE = `
        .TITLE  LIB$VM  LIB$GET_VM and LIB$FREE_VM
        $SSDEF
        $LIBDEF

HEADER = 8                              ; size, then the tag or the next free block
MIN_BLOCK = 16                          ; the smallest block worth splitting off
TAG = ^XA110C8ED                        ; an allocated block (never a P0 address)
LIB$K_HEAP_SIZE = ${HEAP_SIZE}

        .PSECT  ${HEAP_PSECT},PIC,NOEXE,WRT,PAGE
heap:   .BLKB   LIB$K_HEAP_SIZE
heap_end:

        .PSECT  _LIB$DATA,NOEXE,WRT,LONG
free:   .LONG   0                       ; the first free block, by address; 0: none
ready:  .LONG   0                       ; 1 once the heap is one free block

        .PSECT  _LIB$CODE,PIC,SHR,NOWRT,EXE,LONG

;+
; LIB$GET_VM number-of-bytes ,base-address
;
; number-of-bytes: a longword by reference; base-address: a longword by reference that
; gets the address of the block. Returns SS$_NORMAL, LIB$_BADBLOSIZ for zero or fewer
; bytes, LIB$_INSVIRMEM when no free block is large enough (base-address unchanged).
;-
        .ENTRY  LIB$GET_VM,^M<R2,R3,R4,R5>
        CMPB    (AP),#2
        BGEQU   10$
        MOVL    #LIB$_WRONUMARG,R0
        RET
10$:    BSBW    init
        MOVL    @4(AP),R2               ; the bytes wanted
        BGTR    20$
        MOVL    #LIB$_BADBLOSIZ,R0
        RET
20$:    CMPL    R2,#LIB$K_HEAP_SIZE
        BGTRU   80$
        ADDL2   #HEADER+7,R2            ; with the header, rounded to 8
        BICL2   #7,R2
        MOVAL   free,R3                 ; R3: the link to the block R4
30$:    MOVL    (R3),R4
        BEQL    80$                     ; no block is large enough
        CMPL    (R4),R2
        BGEQU   40$
        MOVAL   4(R4),R3
        BRB     30$
40$:    SUBL3   R2,(R4),R5              ; what would be left
        CMPL    R5,#MIN_BLOCK
        BLSSU   50$
        ADDL3   R2,R4,R1                ; the rest is a free block in this one's place
        MOVL    R5,(R1)
        MOVL    4(R4),4(R1)
        MOVL    R1,(R3)
        MOVL    R2,(R4)
        BRB     60$
50$:    MOVL    4(R4),(R3)              ; too little left: the whole block goes
60$:    MOVL    #TAG,4(R4)
        ADDL3   #HEADER,R4,@8(AP)
        MOVL    #SS$_NORMAL,R0
        RET
80$:    MOVL    #LIB$_INSVIRMEM,R0
        RET

;+
; LIB$FREE_VM number-of-bytes ,base-address
;
; Both longwords by reference: the size given to LIB$GET_VM and the address it
; returned. The block goes back on the free list, merged with free neighbours.
; Returns SS$_NORMAL; LIB$_BADBLOADR for an address that is not an allocated block;
; LIB$_BADBLOSIZ for a size that is not the block's. Nothing changes on an error.
;-
        .ENTRY  LIB$FREE_VM,^M<R2,R3,R4,R5>
        CMPB    (AP),#2
        BGEQU   10$
        MOVL    #LIB$_WRONUMARG,R0
        RET
10$:    BSBW    init
        BRB     15$
14$:    BRW     85$
15$:    SUBL3   #HEADER,@8(AP),R4       ; the block's header
        MOVAB   heap,R0                 ; walk the blocks to it
        MOVAB   heap_end,R1
20$:    CMPL    R0,R4
        BEQL    30$
        BGTRU   14$                     ; inside a block, or past them all
        MOVL    (R0),R2
        BEQL    14$                     ; a header overwritten: stop
        ADDL2   R2,R0
        CMPL    R0,R1
        BLSSU   20$
        BRB     14$
30$:    CMPL    4(R4),#TAG
        BNEQ    85$                     ; a free block
        MOVL    @4(AP),R2               ; the size given must be the block's
        BLEQ    86$
        CMPL    R2,#LIB$K_HEAP_SIZE
        BGTRU   86$
        ADDL2   #HEADER+7,R2
        BICL2   #7,R2
        SUBL3   R2,(R4),R3
        BLSS    86$
        CMPL    R3,#MIN_BLOCK
        BGEQU   86$
        MOVAL   free,R3                 ; find its place in the free list
        CLRL    R5                      ; R5: the free block before it, if any
40$:    MOVL    (R3),R0
        BEQL    50$
        CMPL    R0,R4
        BGTRU   50$
        MOVL    R0,R5
        MOVAL   4(R0),R3
        BRB     40$
50$:    MOVL    R0,4(R4)                ; linked in before R0 (the next, or 0)
        MOVL    R4,(R3)
        TSTL    R0                      ; merged with the next when they touch
        BEQL    60$
        ADDL3   (R4),R4,R1
        CMPL    R1,R0
        BNEQ    60$
        ADDL2   (R0),(R4)
        MOVL    4(R0),4(R4)
60$:    TSTL    R5                      ; and with the previous
        BEQL    70$
        ADDL3   (R5),R5,R1
        CMPL    R1,R4
        BNEQ    70$
        ADDL2   (R4),(R5)
        MOVL    4(R4),4(R5)
70$:    MOVL    #SS$_NORMAL,R0
        RET
85$:    MOVL    #LIB$_BADBLOADR,R0
        RET
86$:    MOVL    #LIB$_BADBLOSIZ,R0
        RET

; The first call makes the whole heap one free block. R0 is changed.
init:   TSTL    ready
        BNEQ    10$
        MOVAB   heap,R0
        MOVL    #LIB$K_HEAP_SIZE,(R0)
        CLRL    4(R0)
        MOVL    R0,free
        MOVL    #1,ready
10$:    RSB

        .END
`
