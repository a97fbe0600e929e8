// The pure helpers of the day separators (src/components/dayLabel.ts): which rows start a local day
// and its label, with the clock and the format passed in. Dates are built in local time, so the
// tests hold in any time zone.
// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { dayLabel, localDay, msUntilNextDay, startsDay } from '../../src/components/dayLabel.js';

const at = (year: number, month: number, day: number, hour = 12, minute = 0) => new Date(year, month - 1, day, hour, minute).getTime();
const strings = { today: 'Today', yesterday: 'Yesterday' };
const iso = (date: number) => `day ${localDay(date)}`;

describe('startsDay', () => {
  it('starts a day at the first row and wherever the local day changes, not within a day', () => {
    expect(startsDay(at(2026, 1, 15, 9), undefined)).toBe(true);
    expect(startsDay(at(2026, 1, 15, 23, 59), at(2026, 1, 15, 0, 0))).toBe(false);
    expect(startsDay(at(2026, 1, 16, 0, 0), at(2026, 1, 15, 23, 59))).toBe(true);
    // Across a month and a year.
    expect(startsDay(at(2026, 1, 1, 0, 1), at(2025, 12, 31, 23, 59))).toBe(true);
  });

  it('never starts a day at an invalid date, and starts one after an invalid one', () => {
    expect(startsDay(Number.NaN, undefined)).toBe(false);
    expect(startsDay(9e15, at(2026, 1, 15))).toBe(false);
    expect(startsDay(at(2026, 1, 15), Number.NaN)).toBe(true);
  });
});

describe('dayLabel', () => {
  const now = at(2026, 3, 2, 0, 30);
  it('says Today and Yesterday by the calendar, not by 24 hours', () => {
    expect(dayLabel(at(2026, 3, 2, 0, 5), now, iso, strings)).toBe('Today');
    // 23:59 the day before, 31 minutes earlier: yesterday.
    expect(dayLabel(at(2026, 3, 1, 23, 59), now, iso, strings)).toBe('Yesterday');
    expect(dayLabel(at(2026, 3, 1, 0, 1), now, iso, strings)).toBe('Yesterday');
    // Less than 48 hours ago, but two days back (across February's end): the date.
    expect(dayLabel(at(2026, 2, 28, 23, 0), now, iso, strings)).toBe('day 20260228');
  });

  it('formats other days with the given format and takes the words given', () => {
    const format = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long' });
    expect(dayLabel(at(2026, 1, 15), now, (date) => format.format(date), strings)).toBe('15. Januar 2026');
    expect(dayLabel(at(2026, 3, 2), now, iso, { today: 'Heute', yesterday: 'Gestern' })).toBe('Heute');
  });
});

describe('msUntilNextDay', () => {
  it('counts to the next local midnight, from any time of the day', () => {
    expect(msUntilNextDay(at(2026, 1, 15, 23, 59))).toBe(60_000);
    expect(msUntilNextDay(at(2026, 1, 15, 0, 0))).toBe(at(2026, 1, 16, 0, 0) - at(2026, 1, 15, 0, 0));
    expect(at(2026, 1, 15, 18) + msUntilNextDay(at(2026, 1, 15, 18))).toBe(at(2026, 1, 16, 0, 0));
    // Across a year.
    expect(at(2025, 12, 31, 12) + msUntilNextDay(at(2025, 12, 31, 12))).toBe(at(2026, 1, 1, 0, 0));
  });
});
