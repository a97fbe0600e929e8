import type { OutgoingData } from './types.js';

// The client's outbox: the messages waiting, oldest first, for the connection to open or for the
// socket's buffer to drain. Plain functions over the client's array rather than a class: a
// minifier shortens their names, not a class's method names, and the client's size is budgeted.

/** The socket's `bufferedAmount`, or 0 when there is no socket or a stand-in reports no number. */
export function bufferedAmountOf(socket: WebSocket | null): number {
  const amount = Number(socket?.bufferedAmount);
  return Number.isFinite(amount) ? amount : 0;
}

/**
 * Whether `socket` may take another message: always when its buffer is empty (so that a mark of 0
 * means one at a time), else while it holds less than `maxBuffered` bytes (default 1 MiB).
 */
export function underMark(socket: WebSocket | null, maxBuffered = 1024 * 1024): boolean {
  const amount = bufferedAmountOf(socket);
  return amount === 0 || amount < maxBuffered;
}

/**
 * Send up to `limit` messages from the front of `outbox`, in order, while `socket` is under the
 * high-water mark; `sendOne` sends one and reports a failure (a message that fails is not kept).
 * Returns how many left the outbox; the caller samples `bufferedAmount` afterwards.
 */
export function sendQueued(
  outbox: OutgoingData[],
  socket: WebSocket,
  limit: number,
  maxBuffered: number | undefined,
  sendOne: (socket: WebSocket, data: OutgoingData) => unknown,
): number {
  let sent = 0;
  while (sent < limit && sent < outbox.length && underMark(socket, maxBuffered)) sendOne(socket, outbox[sent++] as OutgoingData);
  outbox.splice(0, sent);
  return sent;
}

/**
 * Take out of `outbox`, in order, into `dropped`, what `filter` accepts (everything without one);
 * a filter that throws accepts nothing, so nothing is dropped by mistake. `flushable` is how many
 * messages at the front a pending close still sends; returns how many of those stay (they keep
 * their place at the front).
 */
export function discardQueued(
  outbox: OutgoingData[],
  dropped: OutgoingData[],
  flushable: number,
  filter?: (data: OutgoingData) => boolean,
): number {
  let kept = 0;
  let front = 0;
  outbox.forEach((data, index) => {
    if (filter && !accepts(filter, data)) {
      outbox[kept++] = data;
      if (index < flushable) front++;
    } else dropped.push(data);
  });
  outbox.length = kept;
  return front;
}

function accepts(filter: (data: OutgoingData) => boolean, data: OutgoingData): boolean {
  try {
    return filter(data);
  } catch {
    return false;
  }
}
