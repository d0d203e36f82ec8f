/** Shared set-up for the tests (not part of the published package). */
import { expect } from 'vitest'
import {
  C_CLONESMAJOR,
  DRV_CHAR,
  DRV_MP_SAFE,
  DRV_PSEUDO,
  STR_IS_DEVICE,
  STR_IS_MODULE,
} from './config'
import { CLONE_MAJOR } from './device'
import { StreamsError } from './errno'
import { echoDriver } from './examples/echo'
import { createLoopDriver } from './examples/loop'
import { upperModule } from './examples/upper'
import type { Streamtab } from './queue'
import { Streams, type StreamsOptions } from './streams'

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
export const text = (b: Uint8Array | null): string => (b ? new TextDecoder().decode(b) : '<null>')

export interface InstallOptions {
  readonly major?: number
  readonly clonesMajor?: boolean
  readonly mpSafe?: boolean
}

/** The page's install function: install_driver, then str_install (undoing the first if the second fails). */
export function install(
  s: Streams,
  name: string,
  streamtab: Streamtab,
  o: InstallOptions = {},
): number {
  const info = {
    name,
    class: 'pseudo',
    flags: DRV_CHAR | DRV_PSEUDO | (o.mpSafe ? DRV_MP_SAFE : 0),
    blockMajor: -1,
    charMajor: o.major ?? -1,
  }
  const major = s.installDriver(info, { flags: o.clonesMajor ? C_CLONESMAJOR : 0 })
  try {
    s.strInstall({ name, major: -1, streamtab, flags: STR_IS_DEVICE, syncLevel: 0, syncName: '' })
  } catch (e) {
    s.uninstallDriver(info)
    throw e
  }
  return major
}

export function installModule(s: Streams, streamtab: Streamtab): void {
  s.strInstall({
    name: streamtab.rdinit.minfo.name,
    major: -1,
    streamtab,
    flags: STR_IS_MODULE,
    syncLevel: 0,
    syncName: '',
  })
}

/** A system with the echo driver (/dev/echo0), the loop driver behind the clone device /dev/loop, and the upper module. */
export function system(options: StreamsOptions = {}, loopMinors = 4) {
  const s = new Streams(options)
  const loop = createLoopDriver(loopMinors)
  const echoMajor = install(s, 'echo', echoDriver)
  const loopMajor = install(s, 'loop', loop.streamtab)
  installModule(s, upperModule)
  s.mknod('/dev/echo0', 'c', echoMajor, 0)
  s.mknod('/dev/loop', 'c', CLONE_MAJOR, loopMajor)
  return { s, loop, echoMajor, loopMajor }
}

/** Runs `fn` and checks that it throws StreamsError with errno `name`. */
export function expectErrno(fn: () => unknown, name: string): StreamsError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(StreamsError)
    expect((e as StreamsError).errno).toBe(name)
    return e as StreamsError
  }
  throw new Error(`expected ${name}, nothing was thrown`)
}
