// @vitest-environment node
// The token bucket shared by the reference server (its incoming frames) and the chat store (its
// outgoing ones), on fake timers and the fake clock they drive.
import { describe, expect, it, vi } from 'vitest';

import { createPacer } from '../../src/protocol/createPacer.ts';
import { fakeTimersPerTest } from '../helpers/fakeTimers.ts';

fakeTimersPerTest();

/** A pacer at `messages` per `interval` ms on the fake clock, and the frames it ran, in order. */
function setup(messages: number, interval: number, reserve?: number) {
  const ran: number[] = [];
  const pacer = createPacer({ messages, interval }, Date.now, reserve);
  const push = (n: number) => pacer.push(() => ran.push(n));
  return { pacer, ran, push };
}

describe('createPacer', () => {
  it('runs a burst of `messages` at once, then one frame per interval/messages, in order', () => {
    const { ran, push } = setup(4, 1000);
    const waiting = Array.from({ length: 10 }, (_, i) => push(i));
    // The fifth frame is the first to wait; each push reports how many wait.
    expect(waiting).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 5, 6]);
    expect(ran).toEqual([0, 1, 2, 3]);
    vi.advanceTimersByTime(249);
    expect(ran).toEqual([0, 1, 2, 3]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    vi.advanceTimersByTime(750);
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    vi.advanceTimersByTime(500);
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // One timer at most, and none once the queue is empty.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one timer however many frames wait', () => {
    const { push } = setup(1, 1000);
    for (let i = 0; i < 50; i++) push(i);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('refills evenly, fractions included, up to a full bucket and no further', () => {
    const { ran, push } = setup(2, 1000);
    push(1);
    push(2);
    vi.advanceTimersByTime(250); // half a token back
    expect(push(3)).toBe(1);
    vi.advanceTimersByTime(250);
    expect(ran).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(60_000); // idle: full again, two tokens, not 120
    expect([push(4), push(5), push(6)]).toEqual([0, 0, 1]);
  });

  it('a reserve holds tokens back from the burst at the same rate, never below one', () => {
    const reserved = setup(20, 10_000, 1);
    expect(Array.from({ length: 20 }, (_, i) => reserved.push(i)).filter((waiting) => waiting === 0)).toHaveLength(19);
    vi.advanceTimersByTime(500);
    expect(reserved.ran).toHaveLength(20);
    const single = setup(1, 1000, 1);
    expect([single.push(1), single.push(2)]).toEqual([0, 1]);
  });

  it('a clock that goes back refills nothing and owes nothing', () => {
    let time = 10_000;
    const ran: number[] = [];
    const pacer = createPacer({ messages: 1, interval: 1000 }, () => time);
    pacer.push(() => ran.push(1));
    time -= 5000;
    pacer.push(() => ran.push(2));
    expect(ran).toEqual([1]);
    time += 1000;
    vi.advanceTimersByTime(1000);
    expect(ran).toEqual([1, 2]);
  });

  it('clear drops what waits and its timer; the next frame finds the bucket where it was', () => {
    const { pacer, ran, push } = setup(1, 1000);
    push(1);
    push(2);
    push(3);
    pacer.clear();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(ran).toEqual([1]);
    expect(push(4)).toBe(0);
    expect(ran).toEqual([1, 4]);
  });
});
