import { SERVICE_VECTOR } from '@vms/contracts'

/** The change-mode code of an internal entry of the service vector (from @vms/contracts). */
function vectorCode(name: 'SIGNAL' | 'STOP'): number {
  return SERVICE_VECTOR.findIndex((s) => s.name === name)
}

/**
 * LIB$SIGNAL and LIB$STOP (OpenVMS RTL Library (LIB$) Manual; VAX/VMS Internals and Data
 * Structures 4.4): each is a procedure whose own frame executes CHMK with the vector's
 * SIGNAL or STOP code. The executive takes the condition value and its FAO arguments
 * from this procedure's argument list (AP), builds the signal and mechanism arrays,
 * and searches for handlers from the caller's frame; a handler that continues makes
 * LIB$SIGNAL return (RET) to its caller. LIB$STOP's condition cannot be continued.
 * The codes come from SERVICE_VECTOR, so they cannot drift from the executive's.
 */
export function libSignalSource(): string {
  return `
        .TITLE  LIB$SIGNAL  LIB$SIGNAL and LIB$STOP

        .PSECT  _LIB$CODE,PIC,SHR,NOWRT,EXE,LONG

;+
; LIB$SIGNAL condition-value [,number-of-arguments] [,FAO-argument...]
;-
        .ENTRY  LIB$SIGNAL,^M<>
        CHMK    #${vectorCode('SIGNAL')}
        RET

;+
; LIB$STOP condition-value [,number-of-arguments] [,FAO-argument...]
;-
        .ENTRY  LIB$STOP,^M<>
        CHMK    #${vectorCode('STOP')}
        RET

        .END
`
}
