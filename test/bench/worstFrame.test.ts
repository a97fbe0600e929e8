// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { worstFrame } from './lib/scenarios.ts';

describe('worstFrame (where a flood run had its largest frame gap)', () => {
  it('names the largest gap: its place from first (0) to last (1), the messages in it, and how late its frame ran', () => {
    expect(worstFrame([16.7, 50, 33.3, 16.7, 16.6], [300, 1002, 700, 250, 10], [1, 31, 12, 2, 0])).toEqual({
      at: 0.25,
      messages: 1002,
      late: 31,
    });
  });

  it('takes the first of equal largest gaps, a single gap at 0, and none for no gaps', () => {
    expect(worstFrame([33.3, 16.7, 33.3], [900, 100, 950], [20, 1, 25])).toEqual({ at: 0, messages: 900, late: 20 });
    expect(worstFrame([16.7], [400], [3])).toEqual({ at: 0, messages: 400, late: 3 });
    expect(worstFrame([], [], [])).toBeNull();
  });
});
