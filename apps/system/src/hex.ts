/** An unsigned value as VMS prints it: upper-case hexadecimal, zero-filled to `width` digits. */
export function hex(value: number, width = 8): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(width, '0')
}
