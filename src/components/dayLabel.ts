// Pure helpers of the day separators (`daySeparators()`): which rows start a local day, and that
// day's label. The clock and the locale are passed in; the time zone is the host's (the local day).

/** The words of a day label: "Today" and "Yesterday"; other days are formatted by `Intl`. */
export interface DayLabelStrings {
  readonly today: string;
  readonly yesterday: string;
}

/** The local calendar day of `date` (epoch ms) as one number, `YYYYMMDD`: equal for one day, ordered. */
export function localDay(date: number): number {
  const day = new Date(date);
  return day.getFullYear() * 10_000 + (day.getMonth() + 1) * 100 + day.getDate();
}

/**
 * Whether a row dated `date` starts a new local day after the row before it (`previous`
 * undefined: the first row of the log, which always does). An invalid date never starts one.
 */
export function startsDay(date: number, previous: number | undefined): boolean {
  if (!Number.isFinite(new Date(date).getTime())) return false;
  return previous === undefined || !Number.isFinite(new Date(previous).getTime()) || localDay(date) !== localDay(previous);
}

/**
 * The label of the local day of `date`, seen at `now`: `strings.today`, `strings.yesterday`, or the
 * date as `format` writes it (a localized date).
 */
export function dayLabel(date: number, now: number, format: (date: number) => string, strings: DayLabelStrings): string {
  const day = localDay(date);
  if (day === localDay(now)) return strings.today;
  const yesterday = new Date(now);
  // The calendar's day before (not 24 h before: a day with a daylight-saving change is 23 or 25 h).
  yesterday.setDate(yesterday.getDate() - 1);
  return day === localDay(yesterday.getTime()) ? strings.yesterday : format(date);
}

/** How long from `now` (epoch ms) until the next local midnight, when "Today" and "Yesterday" move on. */
export function msUntilNextDay(now: number): number {
  const midnight = new Date(now);
  midnight.setHours(24, 0, 0, 0);
  return midnight.getTime() - now;
}
