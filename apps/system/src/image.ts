import { AssemblyError, assemble } from '@vax/asm'
import { SS, type Status } from '@vms/contracts'
import { rtlMacroLibrary } from '@vms/rtl'
import { starletLibrary } from '@vms/starlet'
import { type LinkedProgram, linkWithRtl, needsRtl } from './rtl-link'
import { serviceSymbols } from './services'

/**
 * Executable images, laid out after book 21.1 (Figures 21-1 and 21-2): an image header
 * (IHD) in the first 512-byte block(s), image section descriptors (ISDs) after its
 * fixed part, a transfer address array, and the sections' contents in the blocks that
 * follow. The field names are VMS's; the fixed part is this project's own (the book's
 * figures name the fields but DEC's exact offsets are not given), so DEC-linked images
 * do not run yet. All numbers are little-endian.
 *
 *   IHD  +0  W IHD$W_SIZE       header size in bytes (IHD$B_HDRBLKCNT * 512)
 *        +2  W IHD$W_ACTIVOFF   offset of the transfer address array
 *        +6  W IHD$W_IMGIDOFF   offset of the image name (counted ASCII)
 *        +12 2 IHD$W_MAJORID    "TS" (this format), IHD$W_MINORID "01"
 *        +16 B IHD$B_HDRBLKCNT  header blocks
 *        +17 B IHD$B_IMGTYPE    1: executable
 *        +48   ISDs, ended by a word of 0
 *   ISD  +0  W ISD$W_SIZE       16
 *        +2  W ISD$W_PAGCNT     pages in the section
 *        +4  L ISD$V_VPN        first virtual page (P0: bits 20:0; bits 22:21 must be 0)
 *        +8  L ISD$L_FLAGS      bit 2 ISD$V_DZRO (demand zero), bit 3 ISD$V_WRT (writable)
 *        +12 L ISD$L_VBN        first block of the contents in the file (1 = the first block)
 *   transfer array: the transfer address, then 0.
 */
export const BLOCK = 512
const IHD_FIXED = 48
const ISD_SIZE = 16
export const ISD_DZRO = 1 << 2
export const ISD_WRT = 1 << 3
/** The most P0 pages an image may map (its page table shares the PCB's page). */
export const MAX_IMAGE_PAGES = 80
const MAX_ISDS = 16
/** Bytes at 0x200 for the startup call: CALLS #0,@#transfer; PUSHL R0; CALLS #1,@#SYS$EXIT. */
const STARTUP_BYTES = 16

/** The source assembled but cannot be made into an image (the message says why). */
export class LinkError extends Error {
  override readonly name = 'LinkError'
}

export interface ImageSection {
  readonly vpn: number
  readonly pages: number
  readonly demandZero: boolean
  readonly writable: boolean
  /** The section's bytes (pages * 512), zero for a demand-zero section. */
  readonly data: Uint8Array
}

export interface Image {
  readonly name: string
  readonly transfer: number
  readonly sections: readonly ImageSection[]
}

/**
 * Assembles a program at 0x210, after the startup call: alone, as one assembly with the
 * `SYS$name` symbols before it and STARLET and the run-time library's definition macros
 * ($LIBDEF, $DSCDEF, $CHFDEF...) as libraries; or, when it calls run-time library
 * routines it does not define (LIB$PUT_OUTPUT...), as an object module linked with
 * @vms/rtl's modules (rtl-link.ts). Errors are on the lines of the user's source.
 */
function assembleProgram(source: string): LinkedProgram {
  const base = BLOCK + STARTUP_BYTES
  const prelude = `${serviceSymbols()}\n. = ^X${base.toString(16)}\n`
  const preludeLines = prelude.split('\n').length - 1
  try {
    // STARLET is there by default, as VAX MACRO finds SYS$LIBRARY:STARLET.MLB.
    const program = assemble(`${prelude}${source}`, {
      base: BLOCK,
      libraries: [starletLibrary(), rtlMacroLibrary()],
    })
    return { base, bytes: program.image.subarray(STARTUP_BYTES), entry: program.entry }
  } catch (error) {
    if (!(error instanceof AssemblyError)) throw error
    if (needsRtl(error)) return linkWithRtl(source, `${serviceSymbols()}\n`, base)
    // Line numbers in the user's source, not in the text with the symbols before it.
    throw new AssemblyError(
      error.diagnostics.map((d) => ({ ...d, line: Math.max(1, d.line - preludeLines) })),
    )
  }
}

/**
 * The linker: assembles MACRO-32 (with `SYS$name` defined) at 0x210, linked with the
 * run-time library when it calls it, and writes an image whose first section starts at
 * 0x200 with the image activator's startup call of the `.END` transfer address, whose
 * RET falls into $EXIT with R0 (book 21.3, "Image Startup"). The library's heap, when it
 * ends the program, is a demand-zero section of its own (the pages are not in the file);
 * `demandZeroPages` adds a demand-zero section after everything.
 */
export function link(source: string, name: string, demandZeroPages = 0): Uint8Array {
  const program = assembleProgram(source)
  const entry = program.entry ?? BLOCK + STARTUP_BYTES
  const startup = assemble(
    `${serviceSymbols()}\n CALLS #0,@#^X${entry.toString(16)}\n PUSHL R0\n CALLS #1,@#SYS$EXIT`,
    { base: BLOCK },
  )
  const fileEnd = program.heap?.address ?? program.base + program.bytes.length
  const code = new Uint8Array(Math.max(fileEnd - BLOCK, STARTUP_BYTES))
  code.set(program.bytes.subarray(0, fileEnd - program.base), program.base - BLOCK)
  code.set(startup.image.subarray(0, STARTUP_BYTES))
  const pages = Math.ceil(code.length / BLOCK)
  const heapPages = Math.ceil((program.heap?.size ?? 0) / BLOCK)
  if (pages + heapPages + demandZeroPages > MAX_IMAGE_PAGES)
    throw new LinkError(
      `the image needs ${pages + heapPages + demandZeroPages} pages; at most ${MAX_IMAGE_PAGES}`,
    )
  const file = new Uint8Array(BLOCK * (1 + pages))
  const view = new DataView(file.buffer)
  const isds: [number, number, number, number][] = [[pages, 1, ISD_WRT, 2]]
  if (heapPages > 0) isds.push([heapPages, 1 + pages, ISD_DZRO | ISD_WRT, 0])
  if (demandZeroPages > 0)
    isds.push([demandZeroPages, 1 + pages + heapPages, ISD_DZRO | ISD_WRT, 0])
  const activ = IHD_FIXED + ISD_SIZE * isds.length + 2
  const imgid = activ + 8
  view.setUint16(0, BLOCK, true)
  view.setUint16(2, activ, true)
  view.setUint16(6, imgid, true)
  file.set(new TextEncoder().encode('TS01'), 12)
  file[16] = 1
  file[17] = 1
  isds.forEach(([pagcnt, vpn, flags, vbn], i) => {
    const at = IHD_FIXED + ISD_SIZE * i
    view.setUint16(at, ISD_SIZE, true)
    view.setUint16(at + 2, pagcnt, true)
    view.setUint32(at + 4, vpn, true)
    view.setUint32(at + 8, flags, true)
    view.setUint32(at + 12, vbn, true)
  })
  view.setUint32(activ, BLOCK, true) // the startup call is the image's transfer address
  const label = new TextEncoder().encode(name.toUpperCase().slice(0, 39))
  file[imgid] = label.length
  file.set(label, imgid + 1)
  file.set(code, BLOCK)
  return file
}

/**
 * Reads and checks an image file (the image activator's first step, book 21.1). Every
 * inconsistency is SS$_BADIMGHDR with a reason: a header that does not fit the file,
 * ISDs outside the header or the file, sections outside P0 or overlapping page 0 or
 * each other, more pages than a process may map, or a transfer address in no section.
 */
export function readImage(file: Uint8Array): { status: Status; image?: Image; error?: string } {
  const bad = (error: string) => ({ status: SS.BADIMGHDR, error })
  if (file.length < BLOCK || file.length % BLOCK !== 0)
    return bad('the file is not a whole number of 512-byte blocks')
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const size = view.getUint16(0, true)
  const blocks = file[16] as number
  if (size === 0 || size !== blocks * BLOCK || size > file.length)
    return bad('IHD$W_SIZE does not match IHD$B_HDRBLKCNT and the file')
  if (file[17] !== 1) return bad('IHD$B_IMGTYPE is not an executable image')
  const activ = view.getUint16(2, true)
  if (activ < IHD_FIXED || activ + 8 > size) return bad('IHD$W_ACTIVOFF is outside the header')
  const sections: ImageSection[] = []
  const used = new Set<number>()
  let at = IHD_FIXED
  for (;;) {
    if (at + 2 > size) return bad('the ISD list runs off the header')
    const isdSize = view.getUint16(at, true)
    if (isdSize === 0) break
    if (isdSize !== ISD_SIZE || at + ISD_SIZE > size)
      return bad(`ISD at offset ${at} has size ${isdSize}`)
    if (sections.length === MAX_ISDS) return bad(`more than ${MAX_ISDS} ISDs`)
    const pages = view.getUint16(at + 2, true)
    const vpnField = view.getUint32(at + 4, true)
    const flags = view.getUint32(at + 8, true)
    const vbn = view.getUint32(at + 12, true)
    const vpn = vpnField & 0x1fffff
    if (vpnField >>> 21 !== 0) return bad(`ISD at offset ${at} maps outside P0 space`)
    if (pages === 0 || vpn === 0 || vpn + pages > MAX_IMAGE_PAGES + 1)
      return bad(
        `ISD at offset ${at} maps pages ${vpn}..${vpn + pages - 1}; images use pages 1..${MAX_IMAGE_PAGES}`,
      )
    for (let p = vpn; p < vpn + pages; p++) {
      if (used.has(p)) return bad(`ISDs overlap at page ${p}`)
      used.add(p)
    }
    const demandZero = (flags & ISD_DZRO) !== 0
    let data = new Uint8Array(pages * BLOCK)
    if (!demandZero) {
      if (vbn <= blocks || (vbn - 1 + pages) * BLOCK > file.length)
        return bad(`ISD at offset ${at} names blocks outside the file`)
      data = file.slice((vbn - 1) * BLOCK, (vbn - 1 + pages) * BLOCK)
    }
    sections.push({ vpn, pages, demandZero, writable: (flags & ISD_WRT) !== 0, data })
    at += ISD_SIZE
  }
  if (sections.length === 0) return bad('no image sections')
  const transfer = view.getUint32(activ, true)
  if (!used.has(transfer >>> 9) || transfer >>> 30 !== 0)
    return bad(`transfer address ${transfer.toString(16)} is in no section`)
  const imgid = view.getUint16(6, true)
  let name = ''
  if (imgid > 0 && imgid < size) {
    const n = Math.min(file[imgid] as number, 39, size - imgid - 1)
    name = new TextDecoder('latin1').decode(file.subarray(imgid + 1, imgid + 1 + n))
  }
  return { status: SS.NORMAL, image: { name, transfer, sections } }
}
