/** Runs `flush` later, once, however often it is asked before then. Returns a cancel function. */
export type Scheduler = (flush: () => void) => () => void;

/** The chat store's default: what most people can read, and what keeps typing smooth under a stream. */
export const DEFAULT_PUBLISH_INTERVAL_MS = 50;

type FrameGlobals = {
  requestAnimationFrame?: (callback: () => void) => number;
  cancelAnimationFrame?: (id: number) => void;
  performance?: { now(): number };
};

/** An animation frame where there is one, else a macrotask. Returns a cancel function. */
function requestFrame(callback: () => void): () => void {
  const g = globalThis as FrameGlobals;
  if (typeof g.requestAnimationFrame === 'function') {
    const id = g.requestAnimationFrame(callback);
    return () => g.cancelAnimationFrame?.(id);
  }
  const id = setTimeout(callback, 0);
  return () => clearTimeout(id);
}

/**
 * A scheduler that publishes on an animation frame (else a macrotask), and at most once per
 * `minInterval` ms: after a quiet moment a change shows on the next frame; a stream of changes
 * (a busy room) shows every `minInterval` ms instead of every frame, which leaves most frames free
 * for what the user is doing (typing). Each call makes a scheduler with its own clock: one per store.
 *
 * @param minInterval Least time between two publications, in ms. Default 50; 0 means every frame.
 */
export function createFrameScheduler(minInterval = DEFAULT_PUBLISH_INTERVAL_MS): Scheduler {
  const g = globalThis as FrameGlobals;
  const now = () => (g.performance ? g.performance.now() : Date.now());
  let last = Number.NEGATIVE_INFINITY;
  return (flush) => {
    const run = () => {
      last = now();
      flush();
    };
    const wait = last + minInterval - now();
    if (wait <= 0) return requestFrame(run);
    let cancelFrame: (() => void) | null = null;
    const timer = setTimeout(() => {
      cancelFrame = requestFrame(run);
    }, wait);
    return () => {
      clearTimeout(timer);
      cancelFrame?.();
    };
  };
}

/** A scheduler that publishes on every animation frame (else the next macrotask). */
export const frameScheduler: Scheduler = /* @__PURE__ */ createFrameScheduler(0);

/** A scheduler that publishes at once: for tests and for code that wants every change. */
export const immediateScheduler: Scheduler = (flush) => {
  flush();
  return () => {};
};
