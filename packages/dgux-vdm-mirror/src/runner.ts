import type { SyncJob } from './mirror'
import type { Vdm } from './vdm'

/** How far the synchronizations have got. */
export interface SyncProgress {
  /** Blocks copied by the synchronizations running or finished during this run. */
  readonly copied: number
  /** Blocks those synchronizations copy in all. */
  readonly total: number
}

/** Options of `runSyncs`. */
export interface RunSyncsOptions {
  /** Called after every step. */
  readonly onProgress?: (progress: SyncProgress) => void
  /** Waits between I/Os (default: a timer); tests pass a fake. */
  readonly sleep?: (milliseconds: number) => Promise<void>
  /** Stops the run (the synchronizations stay where they are, to be resumed). */
  readonly signal?: AbortSignal
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs every synchronization of a VDM to its end, each waiting its own
 * millisecondsbetweensyncio between I/Os (vdmmirr(7), DGVDMMIRRSYNCIMAGES and
 * DGVDMMIRRTHROTTLESYNC: a throttle takes effect at the next I/O), yielding to the event
 * loop between steps so a progress display can draw.
 */
export async function runSyncs(vdm: Vdm, options: RunSyncsOptions = {}): Promise<SyncProgress> {
  const sleep = options.sleep ?? timer
  const seen = new Map<SyncJob, number>()
  const due = new Map<SyncJob, number>()
  let finished = 0
  let clock = 0
  const progress = (): SyncProgress => {
    let copied = finished
    let total = finished
    for (const [job] of seen) {
      copied += job.copied
      total += job.total
    }
    return { copied, total }
  }
  for (;;) {
    if (options.signal?.aborted) return progress()
    const live = vdm.list().flatMap((i) => {
      const mirror = vdm.mirror(i.deviceNumber)
      return mirror ? mirror.syncs.map((job) => ({ mirror, job })) : []
    })
    for (const [job] of seen)
      if (!live.some((l) => l.job === job)) {
        finished += job.total
        seen.delete(job)
        due.delete(job)
      }
    if (live.length === 0) return progress()
    for (const { job } of live) if (!seen.has(job)) seen.set(job, 0)
    const ready = live.filter(({ job }) => (due.get(job) ?? 0) <= clock)
    if (ready.length === 0) {
      const next = Math.min(...live.map(({ job }) => due.get(job) ?? 0))
      await sleep(next - clock)
      clock = next
      continue
    }
    for (const { mirror, job } of ready) {
      mirror.stepJob(job)
      due.set(job, clock + job.millisecondsBetweenSyncIo)
    }
    options.onProgress?.(progress())
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}
