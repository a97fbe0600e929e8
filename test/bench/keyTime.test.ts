// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { keyTime } from './lib/scenarios.ts';

describe("keyTime (the steady scenario's typist)", () => {
  it('presses one key per interval, in order, each within one frame after its slot', () => {
    const times = Array.from({ length: 100 }, (_, n) => keyTime(n, 50));
    for (let n = 0; n < times.length; n++) {
      expect(times[n]).toBeGreaterThanOrEqual((n + 0.5) * 50);
      expect(times[n]).toBeLessThan((n + 0.5) * 50 + 1000 / 60);
      if (n > 0) expect(times[n]).toBeGreaterThan(times[n - 1] as number);
    }
  });

  it('spreads the keys over every phase of a 60 Hz frame', () => {
    const frame = 1000 / 60;
    const bins = [0, 0, 0, 0];
    for (let n = 0; n < 100; n++) {
      const bin = Math.floor(((keyTime(n, 50) % frame) / frame) * 4) % 4;
      bins[bin] = (bins[bin] ?? 0) + 1;
    }
    for (const count of bins) expect(count).toBeGreaterThanOrEqual(20);
  });
});
