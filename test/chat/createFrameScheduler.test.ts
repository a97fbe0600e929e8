// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFrameScheduler, frameScheduler, immediateScheduler } from '../../src/chat/index.js';

/** Animation frames the test runs by hand, at a clock it moves. */
function fakeFrames() {
  const callbacks = new Map<number, () => void>();
  let next = 1;
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => {
    callbacks.set(next, callback);
    return next++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => callbacks.delete(id));
  return {
    pending: () => callbacks.size,
    /** Run the frame's callbacks, as the browser does once per frame. */
    frame() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const callback of due) callback();
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createFrameScheduler', () => {
  it('publishes on the next frame after a quiet moment', () => {
    const frames = fakeFrames();
    const schedule = createFrameScheduler(50);
    const flush = vi.fn();
    schedule(flush);
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('in a stream, waits until minInterval after the last publication, then takes the next frame', () => {
    const frames = fakeFrames();
    const schedule = createFrameScheduler(50);
    const flush = vi.fn();
    schedule(flush);
    frames.frame();
    vi.advanceTimersByTime(16);
    schedule(flush);
    expect(frames.pending()).toBe(0); // not on the next frame
    vi.advanceTimersByTime(33);
    expect(frames.pending()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(flush).toHaveBeenCalledTimes(2);
    // Quiet for longer than the interval: the next change shows on the next frame again.
    vi.advanceTimersByTime(200);
    schedule(flush);
    expect(frames.pending()).toBe(1);
  });

  it('cancels both the wait and the frame', () => {
    const frames = fakeFrames();
    const schedule = createFrameScheduler(50);
    const flush = vi.fn();
    schedule(flush);
    frames.frame();
    const cancelWait = schedule(flush);
    cancelWait();
    vi.advanceTimersByTime(100);
    expect(frames.pending()).toBe(0);
    const cancelFrame = schedule(flush);
    expect(frames.pending()).toBe(1);
    cancelFrame();
    frames.frame();
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('publishes on every frame with minInterval 0, and each scheduler keeps its own clock', () => {
    const frames = fakeFrames();
    const every = createFrameScheduler(0);
    const flush = vi.fn();
    every(flush);
    frames.frame();
    every(flush);
    expect(frames.pending()).toBe(1);
    const other = createFrameScheduler(50);
    other(flush);
    expect(frames.pending()).toBe(2);
  });

  it('falls back to a macrotask where there are no animation frames (Node, a worker)', () => {
    const flush = vi.fn();
    createFrameScheduler()(flush);
    frameScheduler(flush);
    expect(flush).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(flush).toHaveBeenCalledTimes(2);
  });
});

it('immediateScheduler publishes at once', () => {
  const flush = vi.fn();
  immediateScheduler(flush);
  expect(flush).toHaveBeenCalledTimes(1);
});
