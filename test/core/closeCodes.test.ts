// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  CLOSE_CODES,
  ClientCloseCode,
  MAX_CLOSE_REASON_BYTES,
  assertValidCloseArguments,
  closeWebSocket,
  toUnsignedShort,
  closeCodeMeaning,
  describeCloseCode,
} from '../../src/core/closeCodes.ts';

/** Run `fn` and return what it threw (fails the test if it threw nothing). */
function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the function to throw');
}

function expectDOMException(fn: () => void, name: string): DOMException {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(DOMException);
  expect((error as DOMException).name).toBe(name);
  return error as DOMException;
}

describe('CLOSE_CODES', () => {
  const expected: Array<[number, string, boolean, boolean]> = [
    // code, name, reconnect, reserved
    [1000, 'NORMAL_CLOSURE', false, false],
    [1001, 'GOING_AWAY', true, false],
    [1002, 'PROTOCOL_ERROR', false, false],
    [1003, 'UNSUPPORTED_DATA', false, false],
    [1004, 'RESERVED', true, true],
    [1005, 'NO_STATUS_RECEIVED', true, true],
    [1006, 'ABNORMAL_CLOSURE', true, true],
    [1007, 'INVALID_FRAME_PAYLOAD_DATA', false, false],
    [1008, 'POLICY_VIOLATION', false, false],
    [1009, 'MESSAGE_TOO_BIG', false, false],
    [1010, 'MANDATORY_EXTENSION', false, false],
    [1011, 'INTERNAL_ERROR', true, false],
    [1012, 'SERVICE_RESTART', true, false],
    [1013, 'TRY_AGAIN_LATER', true, false],
    [1014, 'BAD_GATEWAY', true, false],
    [1015, 'TLS_HANDSHAKE', false, true],
    [4000, 'HEARTBEAT_TIMEOUT', true, false],
    [4001, 'PROTOCOL_NOT_NEGOTIATED', false, false],
  ];

  it.each(expected)('%i is %s (reconnect %s, reserved %s)', (code, name, reconnect, reserved) => {
    const info = CLOSE_CODES[code];
    expect(info).toBeDefined();
    expect(info?.name).toBe(name);
    expect(info?.reconnect).toBe(reconnect);
    expect(info?.reserved === true).toBe(reserved);
    expect(typeof info?.meaning).toBe('string');
    expect(info?.meaning.length).toBeGreaterThan(0);
  });

  it('has exactly the registered codes and nothing else', () => {
    expect(
      Object.keys(CLOSE_CODES)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(expected.map(([code]) => code));
  });

  it('uses ClientCloseCode values for the kit codes', () => {
    expect(ClientCloseCode.HEARTBEAT_TIMEOUT).toBe(4000);
    expect(ClientCloseCode.PROTOCOL_NOT_NEGOTIATED).toBe(4001);
    expect(CLOSE_CODES[ClientCloseCode.HEARTBEAT_TIMEOUT]?.name).toBe('HEARTBEAT_TIMEOUT');
    expect(CLOSE_CODES[ClientCloseCode.PROTOCOL_NOT_NEGOTIATED]?.name).toBe('PROTOCOL_NOT_NEGOTIATED');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CLOSE_CODES)).toBe(true);
  });

  it('has distinct names and meanings', () => {
    const entries = Object.values(CLOSE_CODES);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.meaning)).size).toBe(entries.length);
  });
});

describe('describeCloseCode', () => {
  it('returns the table entry itself for every registered code', () => {
    for (const [code, info] of Object.entries(CLOSE_CODES)) {
      expect(describeCloseCode(Number(code))).toBe(info);
    }
  });

  it('describes 1006 as an abnormal closure', () => {
    expect(describeCloseCode(1006).meaning).toBe('Abnormal closure: the connection was lost without a close frame');
  });

  it.each([0, 1, 500, 999])('classifies %i as UNUSED (0-999)', (code) => {
    expect(describeCloseCode(code)).toEqual({ name: 'UNUSED', meaning: 'Unused code (0-999)', reconnect: true });
  });

  it.each([1016, 1500, 2000, 2999])('classifies %i as PROTOCOL_RESERVED (1016-2999)', (code) => {
    expect(describeCloseCode(code)).toEqual({
      name: 'PROTOCOL_RESERVED',
      meaning: 'Reserved for the WebSocket protocol',
      reconnect: true,
    });
  });

  it.each([3000, 3001, 3500, 3999])('classifies %i as LIBRARY (3000-3999)', (code) => {
    expect(describeCloseCode(code)).toEqual({
      name: 'LIBRARY',
      meaning: 'Registered for libraries and frameworks',
      reconnect: true,
    });
  });

  it.each([4002, 4321, 4999])('classifies %i as PRIVATE (4002-4999)', (code) => {
    expect(describeCloseCode(code)).toEqual({
      name: 'PRIVATE',
      meaning: 'Application-defined (private use)',
      reconnect: true,
    });
  });

  it.each([
    [-1, 'Invalid close code -1'],
    [-1000, 'Invalid close code -1000'],
    [1000.5, 'Invalid close code 1000.5'],
    [3000.25, 'Invalid close code 3000.25'],
    [NaN, 'Invalid close code NaN'],
    [Infinity, 'Invalid close code Infinity'],
    [-Infinity, 'Invalid close code -Infinity'],
    [5000, 'Invalid close code 5000'],
    [65535, 'Invalid close code 65535'],
  ])('classifies %s as INVALID', (code, meaning) => {
    expect(describeCloseCode(code)).toEqual({ name: 'INVALID', meaning, reconnect: true });
  });

  it('range boundaries sit exactly between the table and the ranges', () => {
    expect(describeCloseCode(999).name).toBe('UNUSED');
    expect(describeCloseCode(1000).name).toBe('NORMAL_CLOSURE');
    expect(describeCloseCode(1015).name).toBe('TLS_HANDSHAKE');
    expect(describeCloseCode(1016).name).toBe('PROTOCOL_RESERVED');
    expect(describeCloseCode(2999).name).toBe('PROTOCOL_RESERVED');
    expect(describeCloseCode(3000).name).toBe('LIBRARY');
    expect(describeCloseCode(3999).name).toBe('LIBRARY');
    expect(describeCloseCode(4000).name).toBe('HEARTBEAT_TIMEOUT');
    expect(describeCloseCode(4001).name).toBe('PROTOCOL_NOT_NEGOTIATED');
    expect(describeCloseCode(4002).name).toBe('PRIVATE');
    expect(describeCloseCode(4999).name).toBe('PRIVATE');
    expect(describeCloseCode(5000).name).toBe('INVALID');
  });
});

describe('closeCodeMeaning', () => {
  it('is describeCloseCode(code).meaning for registered, ranged and invalid codes', () => {
    for (const code of [1000, 1001, 1006, 1015, 4000, 4001, 0, 999, 1016, 2999, 3000, 3999, 4002, 4999, -1, 5000, 1.5, NaN]) {
      expect(closeCodeMeaning(code)).toBe(describeCloseCode(code).meaning);
    }
  });

  it('gives readable sentences', () => {
    expect(closeCodeMeaning(1000)).toBe('Normal closure');
    expect(closeCodeMeaning(1009)).toBe('Message too big');
    expect(closeCodeMeaning(4321)).toBe('Application-defined (private use)');
    expect(closeCodeMeaning(7)).toBe('Unused code (0-999)');
    expect(closeCodeMeaning(-5)).toBe('Invalid close code -5');
  });
});

describe('assertValidCloseArguments', () => {
  it('exports the 123-byte limit', () => {
    expect(MAX_CLOSE_REASON_BYTES).toBe(123);
  });

  it.each([undefined, 1000, 3000, 3001, 4000, 4001, 4999])('accepts code %s', (code) => {
    expect(() => assertValidCloseArguments(code)).not.toThrow();
  });

  it.each([1000, 3000, 3001, 4000, 4001, 4999])('accepts code %s with a reason', (code) => {
    expect(() => assertValidCloseArguments(code, 'bye')).not.toThrow();
  });

  it.each(['bye', '', 'a'.repeat(124)])('throws InvalidAccessError for a reason (%j) without a code, as Chromium does', (reason) => {
    // Chromium reads the missing code as 0: "The close code must be either 1000, or between 3000
    // and 4999. 0 is neither." The code is checked before the reason's length.
    expectDOMException(() => assertValidCloseArguments(undefined, reason), 'InvalidAccessError');
  });

  it('accepts no arguments at all', () => {
    expect(() => assertValidCloseArguments()).not.toThrow();
  });

  it('accepts an empty reason', () => {
    expect(() => assertValidCloseArguments(1000, '')).not.toThrow();
  });

  it('accepts a 123-byte ASCII reason', () => {
    const reason = 'a'.repeat(123);
    expect(new TextEncoder().encode(reason).length).toBe(123);
    expect(() => assertValidCloseArguments(1000, reason)).not.toThrow();
  });

  it('accepts a 123-byte multi-byte reason (41 x U+20AC)', () => {
    const reason = '€'.repeat(41);
    expect(reason.length).toBe(41);
    expect(new TextEncoder().encode(reason).length).toBe(123);
    expect(() => assertValidCloseArguments(1000, reason)).not.toThrow();
  });

  it('accepts a 123-byte reason mixing 4-byte and 1-byte characters', () => {
    const reason = `${'😀'.repeat(30)}abc`; // 120 + 3
    expect(new TextEncoder().encode(reason).length).toBe(123);
    expect(() => assertValidCloseArguments(4000, reason)).not.toThrow();
  });

  it('converts the code as Chromium converts its [Clamp] unsigned short before checking it', () => {
    expect(assertValidCloseArguments(3000.5)).toBe(3000);
    expect(assertValidCloseArguments(4999.9)).toBe(4999);
    expect(assertValidCloseArguments(undefined)).toBeUndefined();
    expect(toUnsignedShort(NaN)).toBe(0);
    expect(toUnsignedShort(Infinity)).toBe(65535);
    expect(toUnsignedShort(1e9)).toBe(65535);
    expect(toUnsignedShort(-1)).toBe(0);
    expect(Object.is(toUnsignedShort(-0), 0)).toBe(true);
  });

  it.each([999, 1001, 1005, 1006, 1015, 2999, 5000, 0, -1, 999.6, 5000.5, NaN, Infinity, -Infinity, -0])(
    'throws InvalidAccessError for code %s',
    (code) => {
      const error = expectDOMException(() => assertValidCloseArguments(code), 'InvalidAccessError');
      expect(error.message).toContain(String(code));
    },
  );

  it('checks the code before the reason', () => {
    expectDOMException(() => assertValidCloseArguments(1001, 'x'.repeat(200)), 'InvalidAccessError');
  });

  it('throws SyntaxError for a 124-byte ASCII reason', () => {
    const reason = 'a'.repeat(124);
    const error = expectDOMException(() => assertValidCloseArguments(1000, reason), 'SyntaxError');
    expect(error.message).toContain('123');
  });

  it('throws SyntaxError for a 124-byte reason of 2-byte characters', () => {
    const reason = 'é'.repeat(62);
    expect(new TextEncoder().encode(reason).length).toBe(124);
    expectDOMException(() => assertValidCloseArguments(1000, reason), 'SyntaxError');
  });

  it('throws SyntaxError for a 124-byte reason of emoji (surrogate pairs)', () => {
    const reason = '😀'.repeat(31); // 31 x 4 bytes, only 62 UTF-16 code units
    expect(reason.length).toBe(62);
    expect(new TextEncoder().encode(reason).length).toBe(124);
    expectDOMException(() => assertValidCloseArguments(3000, reason), 'SyntaxError');
  });

  it('throws SyntaxError for 42 x U+20AC (126 bytes) although only 42 code units', () => {
    expectDOMException(() => assertValidCloseArguments(1000, '€'.repeat(42)), 'SyntaxError');
  });

  it('counts a lone surrogate as 3 bytes, like TextEncoder', () => {
    const fits = `\uD800${'a'.repeat(120)}`; // 3 + 120 = 123
    const tooLong = `\uD800${'a'.repeat(121)}`; // 124
    expect(new TextEncoder().encode(fits).length).toBe(123);
    expect(() => assertValidCloseArguments(1000, fits)).not.toThrow();
    expectDOMException(() => assertValidCloseArguments(1000, tooLong), 'SyntaxError');
  });
});

it('freezes every table entry, so no caller can change the policy for everyone', () => {
  for (const entry of Object.values(CLOSE_CODES)) expect(Object.isFrozen(entry)).toBe(true);
});

describe('closeWebSocket', () => {
  /** A stand-in whose `close` refuses arguments it dislikes, as mock-socket's own checks do. */
  function pickySocket() {
    const calls: unknown[][] = [];
    const socket = {
      readyState: 1,
      close(...args: unknown[]) {
        calls.push(args);
        if (args.some((arg) => arg !== undefined)) throw new TypeError('refused');
        socket.readyState = 2;
      },
    };
    return { socket, calls };
  }

  it('closes with the code and reason when the socket takes them', () => {
    const calls: unknown[][] = [];
    closeWebSocket({ close: (...args: unknown[]) => calls.push(args) } as unknown as WebSocket, 4000, 'bye');
    expect(calls).toEqual([[4000, 'bye']]);
  });

  it('falls back to close() without arguments when the socket refuses them: never left open', () => {
    const { socket, calls } = pickySocket();
    closeWebSocket(socket as unknown as WebSocket, 4000, 'bye');
    expect(calls).toEqual([[4000, 'bye'], []]);
    expect(socket.readyState).toBe(2);
  });

  it('does not throw when even close() throws', () => {
    const socket = {
      close() {
        throw new Error('broken');
      },
    };
    expect(() => closeWebSocket(socket as unknown as WebSocket, 1000)).not.toThrow();
  });
});
