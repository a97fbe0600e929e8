// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

import { DEFAULT_BACKOFF, backoffCeiling, backoffDelay } from '../../src/core/backoff.ts';

describe('DEFAULT_BACKOFF', () => {
  it('is 1000 ms initial, 30 s max, factor 2, and frozen', () => {
    expect(DEFAULT_BACKOFF).toEqual({ initialDelay: 1000, maxDelay: 30_000, factor: 2 });
    expect(Object.isFrozen(DEFAULT_BACKOFF)).toBe(true);
  });
});

describe('backoffCeiling', () => {
  it('doubles from 1000 and caps at 30 000 by default', () => {
    const ceilings = Array.from({ length: 8 }, (_, i) => backoffCeiling(i + 1));
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('gives initialDelay for attempt 0 and attempt 1', () => {
    expect(backoffCeiling(0)).toBe(1000);
    expect(backoffCeiling(1)).toBe(1000);
    expect(backoffCeiling(0, { initialDelay: 250 })).toBe(250);
    expect(backoffCeiling(1, { initialDelay: 250 })).toBe(250);
  });

  it('treats negative attempts like the first', () => {
    expect(backoffCeiling(-3)).toBe(1000);
  });

  it('is never more than maxDelay and never decreases', () => {
    let previous = 0;
    for (let attempt = 1; attempt <= 100; attempt++) {
      const ceiling = backoffCeiling(attempt);
      expect(ceiling).toBeLessThanOrEqual(30_000);
      expect(ceiling).toBeGreaterThanOrEqual(previous);
      previous = ceiling;
    }
  });

  it('honours custom options', () => {
    const options = { initialDelay: 100, maxDelay: 5000, factor: 3 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffCeiling(a, options))).toEqual([100, 300, 900, 2700, 5000, 5000]);
  });

  it('merges partial options with the defaults', () => {
    expect([1, 2, 3].map((a) => backoffCeiling(a, { initialDelay: 500 }))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3, 4].map((a) => backoffCeiling(a, { maxDelay: 3000 }))).toEqual([1000, 2000, 3000, 3000]);
    expect([1, 2, 3].map((a) => backoffCeiling(a, { factor: 1.5 }))).toEqual([1000, 1500, 2250]);
  });

  it('stays constant with factor 1', () => {
    for (let attempt = 1; attempt <= 10; attempt++) expect(backoffCeiling(attempt, { factor: 1 })).toBe(1000);
  });

  it('caps an initialDelay larger than maxDelay', () => {
    expect(backoffCeiling(1, { initialDelay: 60_000, maxDelay: 10_000 })).toBe(10_000);
  });

  it('gives maxDelay (not Infinity or NaN) for huge attempt counts', () => {
    for (const attempt of [1e6, 1e9, Number.MAX_SAFE_INTEGER, Infinity]) {
      const ceiling = backoffCeiling(attempt);
      expect(ceiling).toBe(30_000);
      expect(Number.isFinite(ceiling)).toBe(true);
    }
    expect(backoffCeiling(1e6, { maxDelay: 12_345 })).toBe(12_345);
  });

  it('gives maxDelay for a NaN attempt', () => {
    expect(backoffCeiling(NaN)).toBe(30_000);
  });

  it('gives 0 when initialDelay is 0 (or negative), whatever the attempt', () => {
    for (const attempt of [0, 1, 2, 10, 1e6]) {
      expect(backoffCeiling(attempt, { initialDelay: 0 })).toBe(0);
      expect(backoffCeiling(attempt, { initialDelay: -5 })).toBe(0);
    }
  });

  it('gives 0 when maxDelay is 0', () => {
    expect(backoffCeiling(3, { maxDelay: 0 })).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('is 0 when random gives 0', () => {
    for (const attempt of [1, 2, 5, 100]) expect(backoffDelay(attempt, {}, () => 0)).toBe(0);
  });

  it('is half the ceiling when random gives 0.5', () => {
    expect(backoffDelay(1, {}, () => 0.5)).toBe(500);
    expect(backoffDelay(3, {}, () => 0.5)).toBe(2000);
    expect(backoffDelay(50, {}, () => 0.5)).toBe(15_000);
    expect(backoffDelay(2, { initialDelay: 300, factor: 3 }, () => 0.5)).toBe(450);
  });

  it('is just under the ceiling when random gives 0.999999', () => {
    expect(backoffDelay(1, {}, () => 0.999999)).toBe(999);
    expect(backoffDelay(6, {}, () => 0.999999)).toBe(29_999);
  });

  it('returns whole milliseconds', () => {
    expect(backoffDelay(1, {}, () => 0.12345)).toBe(123);
    expect(Number.isInteger(backoffDelay(2, { initialDelay: 333.3 }, () => 0.7))).toBe(true);
  });

  it('stays in [0, ceiling) for any random value in [0, 1)', () => {
    const randoms = [0, 1e-12, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999, 1 - Number.EPSILON];
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = backoffCeiling(attempt);
      for (const r of randoms) {
        const delay = backoffDelay(attempt, {}, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('is 0 whatever random gives when the ceiling is 0', () => {
    expect(backoffDelay(4, { initialDelay: 0 }, () => 0.9)).toBe(0);
  });

  it('calls random exactly once per delay', () => {
    const random = vi.fn(() => 0.3);
    backoffDelay(2, {}, random);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('uses Math.random by default', () => {
    const spy = vi.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      expect(backoffDelay(3)).toBe(1000);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('spreads delays over the whole range with Math.random (full jitter)', () => {
    const attempt = 5;
    const ceiling = backoffCeiling(attempt); // 16 000
    const delays = Array.from({ length: 1000 }, () => backoffDelay(attempt));
    for (const delay of delays) {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
    expect(new Set(delays).size).toBeGreaterThanOrEqual(100);
    expect(Math.min(...delays)).toBeLessThan(0.1 * ceiling);
    expect(Math.max(...delays)).toBeGreaterThan(0.9 * ceiling);
  });
});

it('treats options explicitly set to undefined as absent', () => {
  expect(backoffCeiling(1, { maxDelay: undefined })).toBe(1000);
  expect(backoffDelay(1, { maxDelay: undefined }, () => 0.5)).toBe(500);
  expect(backoffCeiling(1, { initialDelay: undefined })).toBe(1000);
  expect(backoffCeiling(2, { factor: undefined })).toBe(2000);
});
