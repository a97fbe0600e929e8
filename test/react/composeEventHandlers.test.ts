// composeEventHandlers: a user's handler runs first; its preventDefault() opts out of the component's.
import { describe, expect, it } from 'vitest';
import { composeEventHandlers } from '../../src/react/composeEventHandlers.js';

/** A stand-in event: what the composed handler reads, and a log of who handled it. */
function event() {
  return { defaultPrevented: false, calls: [] as string[] };
}
type TestEvent = ReturnType<typeof event>;

describe('composeEventHandlers', () => {
  it("runs the user's handler, then the component's, with the same event", () => {
    const handled = event();
    composeEventHandlers<TestEvent>(
      (e) => e.calls.push('theirs'),
      (e) => e.calls.push('ours'),
    )(handled);
    expect(handled.calls).toEqual(['theirs', 'ours']);
  });

  it("skips the component's handler when the user's prevented the default", () => {
    const handled = event();
    composeEventHandlers<TestEvent>(
      (e) => {
        e.calls.push('theirs');
        e.defaultPrevented = true;
      },
      (e) => e.calls.push('ours'),
    )(handled);
    expect(handled.calls).toEqual(['theirs']);
  });

  it("runs the component's handler alone when the user gave none", () => {
    const handled = event();
    composeEventHandlers<TestEvent>(undefined, (e) => e.calls.push('ours'))(handled);
    expect(handled.calls).toEqual(['ours']);
  });
});
