/** A rate as the protocol extension announces it (`rateMessages` / `rateInterval` in `id`). */
export interface Rate {
  /** Tokens in the bucket: the largest burst. */
  readonly messages: number;
  /** Milliseconds in which an empty bucket refills. */
  readonly interval: number;
}

/** Frames through a token bucket: see {@link createPacer}. */
export interface Pacer {
  /**
   * Run `frame` (what sends or handles one frame) now if a token is left, else after the frames
   * before it, as tokens come back. Returns how many frames wait (0: it ran).
   */
  push(frame: () => void): number;
  /** Drop what waits, and the timer. */
  clear(): void;
}

/**
 * Pace frames by the protocol extension's rate (see `IdPacket`): a token bucket of
 * `rate.messages` tokens, full at first, refilled evenly at `messages` per `interval` ms (fractions
 * count), one token per frame. A frame that finds none waits, in order, for a timer (one at most).
 * The reference server paces each connection's incoming frames with it; the chat store paces its
 * own outgoing frames with the same arithmetic, so that it never outruns the server.
 *
 * @param now The clock, in ms.
 * @param reserve Tokens held back from the burst (the bucket holds `messages - reserve`, at least
 *   one; the refill rate is the same): a margin for a client that paces itself by a server's rate.
 */
export function createPacer(rate: Rate, now: () => number, reserve = 0): Pacer {
  // The bucket counted in milliseconds of refill: a token is `cost` ms, a full bucket `capacity` ms.
  const cost = rate.interval / rate.messages;
  const capacity = Math.max(1, rate.messages - reserve) * cost;
  const queue: (() => void)[] = [];
  let credit = capacity;
  let last = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drain = (): void => {
    while (queue.length > 0) {
      const time = now();
      // A clock that went back refills nothing (and owes nothing).
      credit = Math.min(capacity, credit + Math.max(0, time - last));
      last = time;
      if (credit < cost) {
        timer = setTimeout(drain, cost - credit);
        return;
      }
      credit -= cost;
      (queue.shift() as () => void)();
    }
  };
  return {
    push(frame) {
      // A queue that was empty has no timer (it is emptied with its timer): drain it now.
      if (queue.push(frame) === 1) drain();
      return queue.length;
    },
    clear() {
      clearTimeout(timer);
      queue.length = 0;
    },
  };
}
