import { RESOURCE_NAME_MAX } from './lck'

const utf8 = new TextEncoder()

/**
 * The key under which a resource name is filed: one character per byte of the name.
 * A string is taken as Latin-1 when every character fits a byte, otherwise as UTF-8.
 * Undefined when the name is not a string or bytes, or is not 1 to 31 bytes long
 * (the caller's SS$_IVBUFLEN).
 */
export function resourceKey(resource: unknown): string | undefined {
  if (typeof resource === 'string') {
    if (resource.length === 0 || resource.length > RESOURCE_NAME_MAX * 4) return undefined
    for (let i = 0; i < resource.length; i++) {
      if (resource.charCodeAt(i) > 0xff) return checked(bytesKey(utf8.encode(resource)))
    }
    return checked(resource)
  }
  if (resource instanceof Uint8Array) {
    if (resource.length === 0 || resource.length > RESOURCE_NAME_MAX) return undefined
    return bytesKey(resource)
  }
  return undefined
}

function checked(key: string): string | undefined {
  return key.length === 0 || key.length > RESOURCE_NAME_MAX ? undefined : key
}

function bytesKey(bytes: Uint8Array): string {
  let key = ''
  for (let i = 0; i < bytes.length; i++) key += String.fromCharCode(bytes[i] as number)
  return key
}

/** The bytes of a name key. */
export function keyBytes(key: string): Uint8Array {
  const bytes = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) bytes[i] = key.charCodeAt(i)
  return bytes
}
