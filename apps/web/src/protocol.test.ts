import { describe, expect, it } from 'vitest'
import { MAX_INPUT, parseClientMessage } from './protocol'

describe('parseClientMessage: the page may only observe, type and drive the controls', () => {
  it.each([
    ['{"type":"input","text":"DIR\\r"}', { type: 'input', text: 'DIR\r' }],
    ['{"type":"interrupt","key":"Y"}', { type: 'interrupt', key: 'Y' }],
    ['{"type":"pause"}', { type: 'pause' }],
    ['{"type":"resume"}', { type: 'resume' }],
    ['{"type":"step","unit":"event"}', { type: 'step', unit: 'event' }],
    ['{"type":"history","seq":3}', { type: 'history', seq: 3 }],
    ['{"type":"history","seq":null}', { type: 'history', seq: null }],
  ])('accepts %s', (raw, message) => {
    expect(parseClientMessage(raw)).toEqual({ ok: true, message })
  })

  it.each([
    ['text that is not JSON', 'not json'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a request to read a host file', '{"type":"readFile","path":"/etc/passwd"}'],
    ['an unknown type', '{"type":"eval","code":"1"}'],
    ['input without text', '{"type":"input"}'],
    ['input that is not a string', '{"type":"input","text":5}'],
    ['input over MAX_INPUT characters', `{"type":"input","text":"${'x'.repeat(MAX_INPUT + 1)}"}`],
    ['input with an extra field', '{"type":"input","text":"a","path":"/etc/passwd"}'],
    ['an interrupt other than C or Y', '{"type":"interrupt","key":"Z"}'],
    ['an unknown step unit', '{"type":"step","unit":"page"}'],
    ['a negative history seq', '{"type":"history","seq":-1}'],
    ['a fractional history seq', '{"type":"history","seq":1.5}'],
    ['pause with an extra field', '{"type":"pause","now":true}'],
    ['a __proto__ type', '{"type":"__proto__"}'],
  ])('refuses %s', (_, raw) => {
    const parsed = parseClientMessage(raw)
    expect(parsed.ok).toBe(false)
  })
})
