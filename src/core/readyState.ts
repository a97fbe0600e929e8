/**
 * The four states of a WebSocket, with the browser's numeric values.
 *
 * @example
 * ```ts
 * if (snapshot.readyState === ReadyState.OPEN) client.send('hi');
 * ```
 */
export const ReadyState = {
  CONNECTING: 0,
  OPEN: 1,
  CLOSING: 2,
  CLOSED: 3,
} as const;

/** One of the values of {@link ReadyState}: `0 | 1 | 2 | 3`. */
export type ReadyState = (typeof ReadyState)[keyof typeof ReadyState];

/** The name of a ready state (`'CONNECTING'`, `'OPEN'`, ...), for display and logs. */
export function readyStateName(state: ReadyState): keyof typeof ReadyState {
  switch (state) {
    case ReadyState.CONNECTING:
      return 'CONNECTING';
    case ReadyState.OPEN:
      return 'OPEN';
    case ReadyState.CLOSING:
      return 'CLOSING';
    default:
      return 'CLOSED';
  }
}
