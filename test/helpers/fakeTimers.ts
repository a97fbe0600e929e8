import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Fake timers (and `Date`) for every test of the calling file, leaving microtasks real so that
 * promises settle; returns a list to which tests push clean-up functions, run after each test.
 */
export function fakeTimersPerTest(): (() => void)[] {
  const cleanups: (() => void)[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    vi.useRealTimers();
  });
  return cleanups;
}
