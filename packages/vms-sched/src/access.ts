import type { Pcb } from './pcb'

/**
 * EXE$NAMPID's test of whether the requesting process may affect the target (book
 * 12.2.2, "Privilege Checks"), the rule of every service that can name another process
 * ($WAKE, $SCHDWK, $CANWAK, $SUSPND, $RESUME, $FORCEX, $DELPRC, $SETPRI, $GETJPI: "GROUP
 * or WORLD" in Table 12-1). The tests, in the book's order, stop at the first success:
 *
 * 1. both are in the same job tree (same JIB); a process affecting itself passes here;
 * 2. both have the same UIC (new with VMS V4);
 * 3. the requester holds WORLD;
 * 4. both are in the same UIC group and the requester holds GROUP.
 *
 * When all fail the service answers SS$_NOPRIV.
 */
export function mayAffect(requester: Pcb, target: Pcb): boolean {
  if (requester.job === target.job) return true
  if (requester.group === target.group && requester.member === target.member) return true
  if (requester.privileges.has('WORLD')) return true
  return requester.group === target.group && requester.privileges.has('GROUP')
}
