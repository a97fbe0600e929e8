/**
 * How a connection ended, as the `close` event told it. For words, `closeCodeMeaning(code)` or
 * `describeCloseCode(code)` (kept apart so that the table of meanings is bundled only where used).
 */
export interface CloseInfo {
  /** The close code (1006 when the connection was lost without a close frame). */
  readonly code: number;
  /** The reason the peer gave, possibly empty. */
  readonly reason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
}

/** Build a frozen {@link CloseInfo}. */
export function createCloseInfo(code: number, reason = '', wasClean = false): CloseInfo {
  return Object.freeze({ code, reason, wasClean });
}
