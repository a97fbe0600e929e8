/**
 * What went wrong, as a value:
 * - `syntax`: the URL or the sub-protocols are invalid (the browser would throw `SyntaxError`);
 *   no connection is attempted.
 * - `security`: the browser would refuse the URL, e.g. `ws:` from an `https:` page (mixed content).
 * - `resolve`: a `url` or `protocols` function threw or its promise rejected.
 * - `connection`: the socket failed (the browser tells no more than that, on purpose).
 * - `protocol`: the server selected none of the required sub-protocols, or one never offered.
 * - `parse`: an incoming frame could not be parsed; it was skipped.
 * - `validation`: a parsed frame failed `validate`; it was skipped.
 * - `overflow`: the outbox was full; the send was rejected.
 * - `send`: a send failed (e.g. `sendJson` of a value JSON cannot encode).
 * - `heartbeat`: nothing arrived within the heartbeat timeout (or the timeout of a `liveness()`
 *   check); the connection was dropped.
 * - `auth`: with `liveness()`, the server closed with a credentials code (4401) and asking the
 *   application for fresh credentials failed, or the server refused the fresh ones too.
 */
export type WebSocketErrorKind =
  | 'syntax'
  | 'security'
  | 'resolve'
  | 'connection'
  | 'protocol'
  | 'parse'
  | 'validation'
  | 'overflow'
  | 'send'
  | 'heartbeat'
  | 'auth';

/** An error of the connection core, reported in the snapshot and to `error` listeners. */
export interface WebSocketError {
  readonly kind: WebSocketErrorKind;
  /** A sentence a person can read. */
  readonly message: string;
  /** The raw frame (`parse`, `validation`) or the rejected outgoing data (`overflow`, `send`). */
  readonly data?: unknown;
  /** The exception behind it, when there was one. */
  readonly cause?: unknown;
  /** When it happened (ms since the epoch). */
  readonly timestamp: number;
}

/** Build a frozen {@link WebSocketError}. */
export function createWebSocketError(
  kind: WebSocketErrorKind,
  message: string,
  extra: { data?: unknown; cause?: unknown; timestamp?: number } = {},
): WebSocketError {
  // `data` and `cause` are kept only when given (even as undefined): the spread copies the keys present.
  return Object.freeze({ kind, message, ...extra, timestamp: extra.timestamp ?? Date.now() });
}

/** Whether `value` is a {@link WebSocketError} (for `catch` blocks and `unknown` values). */
export function isWebSocketError(value: unknown): value is WebSocketError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** The message of an exception, or the thing itself as text. */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
