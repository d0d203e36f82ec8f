/**
 * The `upper` module: a pushable module with put procedures only. On the write side it
 * turns ASCII letters in M_DATA to upper case; everything else passes through, with
 * M_FLUSH handled as a module must.
 */

import { Errno } from '../errno'
import { moduleFlush } from '../flush'
import { M_DATA, M_FLUSH, type Mblk } from '../message'
import { INFPSZ, putnext, type Queue, type Streamtab } from '../queue'
import { MODOPEN } from '../stropts'

const minfo = { id: 0x7570, name: 'upper', minpsz: 0, maxpsz: INFPSZ, hiwat: 4096, lowat: 1024 }

function upcase(mp: Mblk): void {
  for (let bp: Mblk | null = mp; bp; bp = bp.cont) {
    if (bp.datap.type === M_DATA) upcaseBytes(bp.datap.base, bp.rptr, bp.wptr)
  }
}

/** Byte -> upper-case byte (ASCII letters only). */
export const UPPER_CASE = Uint8Array.from({ length: 256 }, (_, c) =>
  c >= 0x61 && c <= 0x7a ? c - 0x20 : c,
)

function upcaseBytes(b: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) b[i] = UPPER_CASE[b[i] as number] as number
}

function wput(q: Queue, mp: Mblk): void {
  const t = mp.datap.type
  if (t === M_DATA) upcase(mp)
  else if (t === M_FLUSH) {
    moduleFlush(q, mp)
    return
  }
  putnext(q, mp)
}

function rput(q: Queue, mp: Mblk): void {
  if (mp.datap.type === M_FLUSH) {
    moduleFlush(q, mp)
    return
  }
  putnext(q, mp)
}

/** The upper module's streamtab; install it with str_install and STR_IS_MODULE. */
export const upperModule: Streamtab = {
  rdinit: {
    put: rput,
    open: (_q, _devp, _oflag, sflag) => (sflag === MODOPEN ? 0 : Errno.ENXIO),
    close: () => 0,
    minfo,
  },
  wrinit: { put: wput, minfo },
}
