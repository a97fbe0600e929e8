import { utf8ByteLength } from './utf8ByteLength.js';

/** What a close code means, and what the client does after it by default. */
export interface CloseCodeInfo {
  /** Short identifier, as the RFC or registry names it (`'NORMAL_CLOSURE'`). */
  readonly name: string;
  /** A sentence a person can read. */
  readonly meaning: string;
  /**
   * Whether the default reconnect policy retries after the server closed with this code.
   * Codes that say the client itself was at fault (bad data, policy, too big) are not retried:
   * retrying would only repeat the fault.
   */
  readonly reconnect: boolean;
  /** Reserved codes are never sent in a close frame; they only describe what happened locally. */
  readonly reserved?: boolean;
}

/** Codes this kit itself closes with, in the private-use range 4000-4999. */
export const ClientCloseCode = {
  /** No message arrived within the heartbeat timeout: the link is presumed dead. */
  HEARTBEAT_TIMEOUT: 4000,
  /** The server selected none of the offered sub-protocols while one was required. */
  PROTOCOL_NOT_NEGOTIATED: 4001,
} as const;

/**
 * Close codes from RFC 6455 section 7.4.1 and the IANA WebSocket close code registry, plus the
 * kit's own codes ({@link ClientCloseCode}).
 */
export const CLOSE_CODES: Readonly<Record<number, CloseCodeInfo>> = freezeEntries({
  1000: { name: 'NORMAL_CLOSURE', meaning: 'Normal closure', reconnect: false },
  1001: { name: 'GOING_AWAY', meaning: 'Going away: the server is shutting down or the page is navigating away', reconnect: true },
  1002: { name: 'PROTOCOL_ERROR', meaning: 'Protocol error', reconnect: false },
  1003: { name: 'UNSUPPORTED_DATA', meaning: 'Unsupported data: the endpoint cannot accept this type of data', reconnect: false },
  1004: { name: 'RESERVED', meaning: 'Reserved', reconnect: true, reserved: true },
  1005: { name: 'NO_STATUS_RECEIVED', meaning: 'No status code was received', reconnect: true, reserved: true },
  1006: {
    name: 'ABNORMAL_CLOSURE',
    meaning: 'Abnormal closure: the connection was lost without a close frame',
    reconnect: true,
    reserved: true,
  },
  1007: { name: 'INVALID_FRAME_PAYLOAD_DATA', meaning: 'Invalid frame payload data', reconnect: false },
  1008: { name: 'POLICY_VIOLATION', meaning: 'Policy violation', reconnect: false },
  1009: { name: 'MESSAGE_TOO_BIG', meaning: 'Message too big', reconnect: false },
  1010: { name: 'MANDATORY_EXTENSION', meaning: 'A mandatory extension was not negotiated', reconnect: false },
  1011: { name: 'INTERNAL_ERROR', meaning: 'Internal server error', reconnect: true },
  1012: { name: 'SERVICE_RESTART', meaning: 'Service restart', reconnect: true },
  1013: { name: 'TRY_AGAIN_LATER', meaning: 'Try again later', reconnect: true },
  1014: { name: 'BAD_GATEWAY', meaning: 'Bad gateway', reconnect: true },
  1015: { name: 'TLS_HANDSHAKE', meaning: 'TLS handshake failure', reconnect: false, reserved: true },
  [ClientCloseCode.HEARTBEAT_TIMEOUT]: {
    name: 'HEARTBEAT_TIMEOUT',
    meaning: 'No reply to the heartbeat in time: the connection is presumed dead',
    reconnect: true,
  },
  [ClientCloseCode.PROTOCOL_NOT_NEGOTIATED]: {
    name: 'PROTOCOL_NOT_NEGOTIATED',
    meaning: 'The server selected none of the offered sub-protocols',
    reconnect: false,
  },
});

function freezeEntries(table: Record<number, CloseCodeInfo>): Readonly<Record<number, CloseCodeInfo>> {
  for (const entry of Object.values(table)) Object.freeze(entry);
  return Object.freeze(table);
}

/**
 * Describe any close code: a registered one by its table entry, others by their range.
 *
 * @example
 * ```ts
 * describeCloseCode(1006).meaning; // 'Abnormal closure: the connection was lost without a close frame'
 * describeCloseCode(4321).meaning; // 'Application-defined (private use)'
 * ```
 */
export function describeCloseCode(code: number): CloseCodeInfo {
  const known = CLOSE_CODES[code];
  if (known) return known;
  if (!Number.isInteger(code) || code < 0 || code > 4999) {
    return { name: 'INVALID', meaning: `Invalid close code ${String(code)}`, reconnect: true };
  }
  if (code < 1000) return { name: 'UNUSED', meaning: 'Unused code (0-999)', reconnect: true };
  if (code < 3000) return { name: 'PROTOCOL_RESERVED', meaning: 'Reserved for the WebSocket protocol', reconnect: true };
  if (code < 4000) return { name: 'LIBRARY', meaning: 'Registered for libraries and frameworks', reconnect: true };
  return { name: 'PRIVATE', meaning: 'Application-defined (private use)', reconnect: true };
}

/** The readable meaning of a close code; shorthand for `describeCloseCode(code).meaning`. */
export function closeCodeMeaning(code: number): string {
  return describeCloseCode(code).meaning;
}

/** The longest close reason a browser accepts, in UTF-8 bytes. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Convert a number as Chromium converts `close`'s `[Clamp] unsigned short` code: NaN is 0, the value
 * is clamped to 0-65535, and fractions are truncated (WebIDL would round; Blink truncates).
 */
export function toUnsignedShort(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.trunc(Math.min(65535, Math.max(0, value))) + 0;
}

/**
 * Check `close(code, reason)` arguments as `WebSocket.close` does, throwing the browser's
 * `DOMException`: `InvalidAccessError` for a code other than 1000 or 3000-4999 (after the browser's
 * own conversion, so 3000.9 is 3000), `SyntaxError` for a reason longer than 123 UTF-8 bytes.
 *
 * @returns the code as the browser would send it.
 */
export function assertValidCloseArguments(code?: number, reason?: string): number | undefined {
  const converted = code === undefined ? undefined : toUnsignedShort(code);
  if (converted !== undefined && converted !== 1000 && !(converted >= 3000 && converted <= 4999)) {
    throw new DOMException(
      `The close code must be either 1000, or between 3000 and 4999. ${String(code)} is neither.`,
      'InvalidAccessError',
    );
  }
  if (reason !== undefined && utf8ByteLength(reason) > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(`The close reason must not be longer than ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes.`, 'SyntaxError');
  }
  return converted;
}
