/**
 * The book sections each part of the page draws, so that every picture links to the text
 * that explains it. The book is _VAX/VMS Internals and Data Structures_ (V4.4); it is not
 * online, so `/book` is a local page listing these sections with a one-line summary.
 */
export interface BookSection {
  /** Section number (`'10.3'`) or, for the foreign subsystems, the manual page. */
  readonly id: string
  readonly title: string
  readonly summary: string
}

export const BOOK_SECTIONS = {
  processes: {
    id: '10.3',
    title: 'Process Scheduling States',
    summary:
      'Each process is current, computable (resident or outswapped) or in one of the wait states; PCB$W_STATE holds which, and each state but CUR has its queue.',
  },
  priority: {
    id: '10.2',
    title: 'Process Priority',
    summary:
      'Priorities run from 0 to 31; a normal process gets a boost above its base priority when an event completes, and the boost decays by one at each quantum end.',
  },
  asts: {
    id: '7.2',
    title: 'AST Data Structures',
    summary:
      'An AST waits on its process in an AST control block (ACB) on the queue headed in the PCB, until the process runs in a mode that can take it.',
  },
  devices: {
    id: '18.2',
    title: 'I/O Subsystem Components',
    summary:
      'Each device unit has a unit control block (UCB) with its status, counts and the queue of I/O request packets (IRPs) waiting for it.',
  },
  irps: {
    id: '18.5',
    title: '$QIO System Service',
    summary:
      '$QIO builds an IRP from nonpaged pool and queues it to the unit, or starts the driver at once when the unit is idle; completion sends it to I/O postprocessing (18.7).',
  },
  locks: {
    id: '13.1',
    title: 'Lock Management Data Structures',
    summary:
      'A resource block (RSB) names what is locked and heads three queues of lock blocks (LKBs): granted, conversion and waiting; sub-resources form a tree under their parent.',
  },
  pool: {
    id: '3.2',
    title: 'Nonpaged Dynamic Memory Regions',
    summary:
      'Nonpaged pool is a variable-length region kept as a first-fit list of unused blocks, next to lookaside lists of preformed SRP, IRP and LRP packets.',
  },
  mirrors: {
    id: 'vdmmirr(7)',
    title: 'DG/UX VDM mirror subdriver',
    summary:
      'A mirror is a virtual disk made of images kept identical; each image is usable, a sync destination being brought up to date, or corrupt.',
  },
  fences: {
    id: 'serdasd',
    title: 'AIX serial DASD fencing',
    summary:
      'Each serial DASD has a 16-bit fence register; a set bit fences the host on that connector out of the disk until another Fence command clears it.',
  },
} as const satisfies Record<string, BookSection>

export type BookTopic = keyof typeof BOOK_SECTIONS

/** The anchor of a topic on the `/book` page. */
export function bookHref(topic: BookTopic): string {
  return `/book#${encodeURIComponent(BOOK_SECTIONS[topic].id)}`
}
