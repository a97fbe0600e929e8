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
 * Codes after which the default reconnect policy (`autoReconnect`) does not retry: the server
 * ended normally, or the code says the client itself was at fault (bad data, policy, too big, no
 * common sub-protocol), so that retrying would only repeat the fault. {@link CLOSE_CODES}' `reconnect`
 * flags are made from this list.
 */
export const NO_RECONNECT_CODES: readonly number[] = [1000, 1002, 1003, 1007, 1008, 1009, 1010, 1015, 4001];

/** Codes that are never sent in a close frame: they only describe what happened locally. */
const RESERVED_CODES = [1004, 1005, 1006, 1015];

/**
 * Close codes from RFC 6455 section 7.4.1 and the IANA WebSocket close code registry, plus the
 * kit's own codes ({@link ClientCloseCode}).
 */
export const CLOSE_CODES: Readonly<Record<number, CloseCodeInfo>> = /* @__PURE__ */ buildTable([
  [1000, 'NORMAL_CLOSURE', 'Normal closure'],
  [1001, 'GOING_AWAY', 'Going away: the server is shutting down or the page is navigating away'],
  [1002, 'PROTOCOL_ERROR', 'Protocol error'],
  [1003, 'UNSUPPORTED_DATA', 'Unsupported data: the endpoint cannot accept this type of data'],
  [1004, 'RESERVED', 'Reserved'],
  [1005, 'NO_STATUS_RECEIVED', 'No status code was received'],
  [1006, 'ABNORMAL_CLOSURE', 'Abnormal closure: the connection was lost without a close frame'],
  [1007, 'INVALID_FRAME_PAYLOAD_DATA', 'Invalid frame payload data'],
  [1008, 'POLICY_VIOLATION', 'Policy violation'],
  [1009, 'MESSAGE_TOO_BIG', 'Message too big'],
  [1010, 'MANDATORY_EXTENSION', 'A mandatory extension was not negotiated'],
  [1011, 'INTERNAL_ERROR', 'Internal server error'],
  [1012, 'SERVICE_RESTART', 'Service restart'],
  [1013, 'TRY_AGAIN_LATER', 'Try again later'],
  [1014, 'BAD_GATEWAY', 'Bad gateway'],
  [1015, 'TLS_HANDSHAKE', 'TLS handshake failure'],
  // ClientCloseCode.HEARTBEAT_TIMEOUT and PROTOCOL_NOT_NEGOTIATED, as literals: a property read here would keep the table in every bundle.
  [4000, 'HEARTBEAT_TIMEOUT', 'No reply to the heartbeat in time: the connection is presumed dead'],
  [4001, 'PROTOCOL_NOT_NEGOTIATED', 'The server selected none of the offered sub-protocols'],
]);

function buildTable(rows: [code: number, name: string, meaning: string][]): Readonly<Record<number, CloseCodeInfo>> {
  const table: Record<number, CloseCodeInfo> = {};
  for (const [code, name, meaning] of rows) {
    const info: CloseCodeInfo = { name, meaning, reconnect: !NO_RECONNECT_CODES.includes(code) };
    table[code] = Object.freeze(RESERVED_CODES.includes(code) ? { ...info, reserved: true } : info);
  }
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
  if (!Number.isInteger(code) || code < 0 || code > 4999) return unregistered('INVALID', `Invalid close code ${String(code)}`);
  if (code < 1000) return unregistered('UNUSED', 'Unused code (0-999)');
  if (code < 3000) return unregistered('PROTOCOL_RESERVED', 'Reserved for the WebSocket protocol');
  if (code < 4000) return unregistered('LIBRARY', 'Registered for libraries and frameworks');
  return unregistered('PRIVATE', 'Application-defined (private use)');
}

/** The description of a code outside the table: the default policy retries after any of them. */
function unregistered(name: string, meaning: string): CloseCodeInfo {
  return { name, meaning, reconnect: true };
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
 * own conversion, so 3000.9 is 3000), and for a reason given without a code (Chromium reads the
 * missing code as 0), `SyntaxError` for a reason longer than 123 UTF-8 bytes.
 *
 * @returns the code as the browser would send it.
 */
export function assertValidCloseArguments(code?: number, reason?: string): number | undefined {
  const converted = code === undefined && reason === undefined ? undefined : toUnsignedShort(code ?? 0);
  if (converted !== undefined && converted !== 1000 && !(converted >= 3000 && converted <= 4999)) {
    throw new DOMException(`Invalid close code ${code}: use 1000 or 3000-4999.`, 'InvalidAccessError');
  }
  // TextEncoder counts a lone surrogate as U+FFFD (3 bytes), as the browser does.
  if (reason !== undefined && new TextEncoder().encode(reason).length > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(`The close reason is over ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes.`, 'SyntaxError');
  }
  return converted;
}

/**
 * Close `ws` whatever a stand-in's own checks think of the arguments: if `close(code, reason)`
 * throws, `close()` without arguments (which browsers never refuse), so that no socket is left open
 * once the kit lets go of it.
 */
export function closeWebSocket(ws: WebSocket, code?: number, reason?: string): void {
  try {
    ws.close(code, reason);
  } catch {
    try {
      ws.close();
    } catch {
      // Only a stand-in can refuse even this: there is nothing left to try.
    }
  }
}
