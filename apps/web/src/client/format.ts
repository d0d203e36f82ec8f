/** `n` as VMS prints addresses and PIDs: upper-case hexadecimal, zero-padded. */
export function hex(n: number, width = 8): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(width, '0')
}

/** Milliseconds since boot as h:mm:ss.cc. */
export function clock(ms: number): string {
  const cs = Math.floor(ms / 10) % 100
  const s = Math.floor(ms / 1000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(cs)}`
}
