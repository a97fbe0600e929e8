/** One pending animation frame at a time, running `run`: the rendering step of {@link installLayoutStub}. */
export interface Frames {
  /** Ask for a frame (nothing more when one is already pending). */
  request(): void;
  /** Drop the pending frame, if any. */
  cancel(): void;
}

/**
 * Frames on `requestAnimationFrame` (looked up at each request, so that fake timers installed later
 * are the ones used), or a 16 ms timeout where there is none.
 */
export function createFrames(run: () => void): Frames {
  let cancelPending: (() => void) | null = null;
  const step = () => {
    cancelPending = null;
    run();
  };
  return {
    request() {
      if (cancelPending) return;
      if (typeof requestAnimationFrame === 'function') {
        const handle = requestAnimationFrame(step);
        cancelPending = () => cancelAnimationFrame(handle);
      } else {
        const handle = setTimeout(step, 16);
        cancelPending = () => clearTimeout(handle);
      }
    },
    cancel() {
      cancelPending?.();
      cancelPending = null;
    },
  };
}
