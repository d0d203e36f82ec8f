import { type Cpu, currentMode } from '@vax/cpu'
import {
  type GuestAccess,
  SERVICE_VECTOR,
  ServiceFault,
  type ServiceName,
  SS,
  type Status,
  type SystemService,
} from '@vms/contracts'
import { formatMessageVector } from '@vms/fao'
import type { GuestMemory } from './guest-memory'
import type { KernelAddresses } from './machine'

/** A request to leave the service somewhere else than its caller's next instruction. */
export type Redirect =
  /**
   * REI to `pc` with these registers (R0 first): an exit handler. In the caller's mode,
   * or with `psl` (the last-chance handler's exit, where the frame is an exception's).
   */
  | {
      readonly kind: 'call'
      readonly pc: number
      readonly registers: readonly number[]
      readonly psl?: number
    }
  /** $CMKRNL/$CMEXEC: call `routine` with `argumentList` in `mode`, then REI back. */
  | {
      readonly kind: 'inner mode'
      readonly mode: 0 | 1
      readonly routine: number
      readonly argumentList: number
    }

/** What the image services need from the executive. */
export interface ImageServiceHost {
  /** The exit handlers of a process for one access mode, most recent first. */
  exitHandlers(pid: number, mode: number): number[] | undefined
  /** Ends the process with its final status (image and process rundown). */
  deleteProcess(pid: number, status: Status): void
  hasPrivilege(pid: number, privilege: string): boolean
  /** Leaves the service through `redirect` instead of returning to the caller. */
  redirect(redirect: Redirect): void
  /** $UNWIND, carried out by condition dispatch when the handler returns (book 4.7). */
  requestUnwind(pid: number, mode: number, depth: number | undefined, newPc: number): Status
  /** Writes a line of text to SYS$OUTPUT (the terminal). */
  message(text: string): void
  /** The exit handler caller in the vector page. */
  readonly callExitHandler: number
}

type Request = { pid: number; mode: number; arg(i: number): number; guest: GuestAccess }

const service = (name: ServiceName, call: (r: Request) => Status): SystemService => ({
  name,
  args: SERVICE_VECTOR.find((s) => s.name === name)?.args ?? 0,
  call,
})

/** The longest message vector $PUTMSG reads (longwords). */
const MAX_MESSAGE_VECTOR = 64

/**
 * Services of the running image (book ch. 4, 9, 21): $EXIT with the exit handlers that
 * $DCLEXH declared and $CANEXH cancels, $UNWIND, $CMKRNL and $CMEXEC, and $PUTMSG.
 */
export function imageServices(x: ImageServiceHost): SystemService[] {
  return [
    /**
     * $EXIT (book 21.4): while exit handlers of the caller's mode are declared, the most
     * recent is taken off the list, the exit status is stored where its block says, and
     * the image calls it (then $EXIT again); with none left, the image and process end.
     */
    service('EXIT', (r) => {
      const status = r.arg(0)
      const registers = takeExitHandler(x.exitHandlers(r.pid, r.mode), r.guest, status)
      if (registers !== undefined) {
        x.redirect({ kind: 'call', pc: x.callExitHandler, registers })
        return status
      }
      x.deleteProcess(r.pid, status)
      return SS.NORMAL
    }),
    /**
     * $DCLEXH desblk (book 21.4): the exit control block (forward link, handler, argument
     * count and the address for the exit status, arguments) goes at the head of the
     * caller mode's list; its forward link gets the previous head.
     */
    service('DCLEXH', (r) => {
      const block = r.arg(0)
      const handler = r.guest.read32(block + 4)
      r.guest.read(block + 8, 8) // the argument count and the status address
      r.guest.probeWrite(block, 4)
      if (handler === 0) return SS.BADPARAM
      const handlers = x.exitHandlers(r.pid, r.mode)
      if (handlers === undefined) return SS.NONEXPR
      if (handlers.includes(block)) return SS.NORMAL
      r.guest.write32(block, handlers[0] ?? 0)
      handlers.unshift(block)
      return SS.NORMAL
    }),
    /** $CANEXH [desblk]: one handler of the caller's mode, or all of them (0). */
    service('CANEXH', (r) => {
      const handlers = x.exitHandlers(r.pid, r.mode)
      if (handlers === undefined) return SS.NONEXPR
      const block = r.arg(0)
      if (block === 0) {
        handlers.length = 0
        return SS.NORMAL
      }
      const index = handlers.indexOf(block)
      if (index < 0) return SS.NOHANDLER
      handlers.splice(index, 1)
      return SS.NORMAL
    }),
    /** $UNWIND [depadr],[newpc] (book 4.7): see ConditionDispatcher.requestUnwind. */
    service('UNWIND', (r) => {
      const depth = r.arg(0) === 0 ? undefined : r.guest.read32(r.arg(0))
      return x.requestUnwind(r.pid, r.mode, depth, r.arg(1))
    }),
    /** $CMKRNL routin,[arglst] (book 9.4): the routine runs in kernel mode; CMKRNL privilege. */
    service('CMKRNL', (r) => changeMode(x, r, 0, 'CMKRNL')),
    /** $CMEXEC routin,[arglst]: in executive mode; CMEXEC privilege (or CMKRNL). */
    service('CMEXEC', (r) => changeMode(x, r, 1, 'CMEXEC')),
    /**
     * $PUTMSG msgvec,[actrtn],[facnam],[actprm] (book 4.8): writes the messages of a
     * message vector to SYS$OUTPUT, the first as `%FAC-S-IDENT, text`, the others with
     * `-`. After a SYSTEM condition come its FAO arguments (as many as its text takes),
     * after an RMS one its STV, after any other an FAO count and that many arguments.
     * FACNAM replaces the first message's facility name. An action routine is not
     * called (ACTRTN is ignored).
     */
    service('PUTMSG', (r) => {
      const vector = r.arg(0)
      const head = r.guest.read32(vector)
      const count = head & 0xffff
      if (count > MAX_MESSAGE_VECTOR) return SS.BADPARAM
      const words = [
        head,
        ...Array.from({ length: count }, (_, i) => r.guest.read32(vector + 4 + 4 * i)),
      ]
      const facility = r.arg(2) === 0 ? undefined : r.guest.descriptor(r.arg(2)).toUpperCase()
      const { lines } = formatMessageVector(words, facility === undefined ? {} : { facility })
      for (const line of lines) x.message(line)
      return SS.NORMAL
    }),
  ]
}

/**
 * Takes the next exit handler off a mode's list (book 21.4): stores the exit status
 * where its control block says and gives the registers the vector page's exit handler
 * caller takes (R0 the handler, R1 its argument list, R2 the status); undefined when
 * none is left. A block the image spoiled since it declared it is passed over.
 */
export function takeExitHandler(
  handlers: number[] | undefined,
  guest: GuestAccess,
  status: Status,
): readonly number[] | undefined {
  while (handlers !== undefined && handlers.length > 0) {
    const block = handlers.shift() as number
    try {
      const handler = guest.read32(block + 4)
      guest.write32(guest.read32(block + 12), status)
      return [handler, block + 8, status]
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
    }
  }
  return undefined
}

function changeMode(x: ImageServiceHost, r: Request, mode: 0 | 1, privilege: string): Status {
  if (
    r.mode > mode &&
    !x.hasPrivilege(r.pid, privilege) &&
    !(mode === 1 && x.hasPrivilege(r.pid, 'CMKRNL'))
  )
    return SS.NOPRIV
  const routine = r.arg(0)
  const argumentList = r.arg(1)
  if (argumentList !== 0) r.guest.read(argumentList, 4) // the caller must be able to read it
  x.redirect({ kind: 'inner mode', mode: Math.min(mode, r.mode) as 0 | 1, routine, argumentList })
  return SS.NORMAL
}

/**
 * Leaves a service (or the last-chance handler) elsewhere than where it was called
 * from: `pcSlot` is the address of the PC of the REI frame on the kernel stack (the
 * CHMK frame is code, PC, PSL at the kernel SP). Into an exit handler; or into a $CMKRNL
 * or $CMEXEC routine in the inner mode, whose REI returns to the caller (book 9.4).
 */
export function leaveService(
  cpu: Cpu,
  guest: GuestMemory,
  kernel: KernelAddresses,
  redirect: Redirect,
  pcSlot: number,
): void {
  if (redirect.kind === 'call') {
    redirect.registers.forEach((value, i) => {
      cpu.r[i] = value
    })
    cpu.write32(pcSlot, redirect.pc)
    if (redirect.psl !== undefined) cpu.write32(pcSlot + 4, redirect.psl)
    return
  }
  const sp = pcSlot - 4
  const pc = cpu.read32(pcSlot)
  const psl = cpu.read32(pcSlot + 4)
  const innerPsl = ((redirect.mode << 24) | (currentMode(psl) << 22)) >>> 0 // IPL 0
  if (redirect.mode === 0) {
    // Kernel: the caller's PC and PSL stay on this stack, under a frame into the routine.
    cpu.r[14] = (sp - 8) | 0
    for (const [i, v] of [0, kernel.callInMode, innerPsl, pc, psl].entries())
      cpu.write32(sp - 8 + 4 * i, v)
  } else {
    const stack = ((cpu.stack[1] as number) - 8) >>> 0
    guest.writeLongwords(stack, [pc, psl], 1)
    cpu.stack[1] = stack
    cpu.write32(pcSlot, kernel.callInMode)
    cpu.write32(pcSlot + 4, innerPsl)
  }
  cpu.r[0] = redirect.routine
  cpu.r[1] = redirect.argumentList === 0 ? kernel.noArguments : redirect.argumentList
}
