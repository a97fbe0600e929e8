// @vitest-environment node
// The in-memory history: bounded by count and by age, pages after and before a position.
import { describe, expect, it } from 'vitest';

import { MemoryHistory } from '../../src/server/MemoryHistory.ts';

const T0 = 1_000_000;

function filled(count: number, limit: number, maxAge: number, at = (seq: number) => T0 + seq): MemoryHistory {
  const history = new MemoryHistory(limit, maxAge);
  for (let seq = 1; seq <= count; seq++) history.append({ seq, at: at(seq), text: `{"seq":${seq}}` });
  return history;
}

const seqs = (page: { entries: readonly { seq: number }[] }) => page.entries.map((entry) => entry.seq);

describe('MemoryHistory', () => {
  it('keeps the last `limit` entries, and its position goes on', () => {
    const history = filled(12, 5, 60_000);
    expect(history.size).toBe(5);
    expect(history.position()).toEqual({ epoch: expect.any(String), seq: 12 });
    const page = history.after(0, 100, T0 + 12);
    expect(seqs(page)).toEqual([8, 9, 10, 11, 12]);
    expect(page.first).toBe(8);
  });

  it('drops entries older than maxAge', () => {
    const history = filled(10, 100, 1000, (seq) => T0 + seq * 200);
    // At T0 + 2000, entries kept at T0 + 1000 and before are 1000 ms old or more: gone.
    expect(seqs(history.after(0, 100, T0 + 2000))).toEqual([6, 7, 8, 9, 10]);
    expect(history.after(0, 100, T0 + 4000)).toEqual({ entries: [], first: null });
  });

  it('pages after a position, at most `limit` each', () => {
    const history = filled(10, 100, 60_000);
    expect(seqs(history.after(3, 4, T0))).toEqual([4, 5, 6, 7]);
    expect(seqs(history.after(7, 4, T0))).toEqual([8, 9, 10]);
    expect(seqs(history.after(10, 4, T0))).toEqual([]);
    expect(seqs(history.after(3, 0, T0))).toEqual([]);
  });

  it('pages before a position: the latest `limit` before it, oldest first', () => {
    const history = filled(10, 100, 60_000);
    expect(seqs(history.before(8, 3, T0))).toEqual([5, 6, 7]);
    expect(seqs(history.before(3, 5, T0))).toEqual([1, 2]);
    expect(seqs(history.before(1, 5, T0))).toEqual([]);
    expect(seqs(history.before(99, 2, T0))).toEqual([9, 10]);
  });

  it('stays correct across its compaction (more than 1024 dropped)', () => {
    const history = filled(3000, 100, 60_000);
    expect(seqs(history.after(2995, 10, T0 + 3000))).toEqual([2996, 2997, 2998, 2999, 3000]);
    expect(seqs(history.before(2902, 2, T0 + 3000))).toEqual([2901]);
  });

  it('with limit 0 keeps nothing but still counts the sequence', () => {
    const history = filled(3, 0, 60_000);
    expect(history.size).toBe(0);
    expect(history.position().seq).toBe(3);
  });

  it('two histories have different epochs', () => {
    expect(new MemoryHistory(1, 1).position().epoch).not.toBe(new MemoryHistory(1, 1).position().epoch);
  });

  it('amends an entry it holds (same seq and time, the new text), and none it no longer or not yet holds', () => {
    const history = filled(6, 4, 60_000);
    history.amend(4, '{"seq":4,"amended":true}');
    history.amend(2, '{"seq":2,"amended":true}');
    history.amend(7, '{"seq":7,"amended":true}');
    expect(history.after(0, 100, T0 + 6).entries).toEqual([
      { seq: 3, at: T0 + 3, text: '{"seq":3}' },
      { seq: 4, at: T0 + 4, text: '{"seq":4,"amended":true}' },
      { seq: 5, at: T0 + 5, text: '{"seq":5}' },
      { seq: 6, at: T0 + 6, text: '{"seq":6}' },
    ]);
    expect(history.before(5, 1, T0 + 6).entries).toEqual([{ seq: 4, at: T0 + 4, text: '{"seq":4,"amended":true}' }]);
    history.append({ seq: 7, at: T0 + 7, text: '{"seq":7}' });
    expect(history.after(6, 1, T0 + 7).entries[0]?.text).toBe('{"seq":7}');
  });
});
