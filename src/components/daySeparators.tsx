import { useEffect, useReducer, type ReactNode } from 'react';
import { dayLabel, msUntilNextDay, startsDay, type DayLabelStrings } from './dayLabel.js';

/**
 * What `<ChatBox daySeparators>` takes: what to render before a row dated `date` (epoch ms) after
 * one dated `previous` (undefined for the log's first row), in the chat's `locale`; null for none.
 * ChatBox calls it for the rows in view only, so it costs what a screenful does, not the log.
 */
export type DaySeparators = (date: number, previous: number | undefined, locale: string | undefined) => ReactNode;

/** Options of {@link daySeparators}. */
export interface DaySeparatorsOptions {
  /** The label of the current day. Default "Today". */
  today?: string;
  /** The label of the day before. Default "Yesterday". */
  yesterday?: string;
  /** How other days are written, in the chat's locale. Default `{ dateStyle: 'full' }` ("Thursday, January 15, 2026"). */
  format?: Intl.DateTimeFormatOptions;
  /** The clock that says which day is today. Default `Date.now`. */
  now?: () => number;
}

/**
 * Day separators for `<ChatBox daySeparators={daySeparators()}>`: before the first row of each
 * local day, a `<div class="rwc-chatbox__day">` (outside the row's `<article>`, inside its place in
 * the virtual list) that reads "Today", "Yesterday", or the date in the chat's locale (`Intl`). Opt-in:
 * a bundle without it carries none of this code. Create it once (a module constant, or `useMemo`):
 * a new value re-renders every row in view.
 *
 * @example
 * ```tsx
 * const days = daySeparators({ today: "Aujourd'hui", yesterday: 'Hier' });
 * <ChatProvider url={url} username="ada" locale="fr"><ChatBox daySeparators={days} /></ChatProvider>
 * ```
 */
export function daySeparators(options: DaySeparatorsOptions = {}): DaySeparators {
  const strings: DayLabelStrings = { today: options.today ?? 'Today', yesterday: options.yesterday ?? 'Yesterday' };
  const now = options.now ?? Date.now;
  // One formatter per locale, made when first needed.
  const formats = new Map<string | undefined, Intl.DateTimeFormat>();
  const format = (locale: string | undefined) => {
    let formatter = formats.get(locale);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat(locale, options.format ?? { dateStyle: 'full' });
      formats.set(locale, formatter);
    }
    return formatter;
  };
  return (date, previous, locale) =>
    startsDay(date, previous) ? <DayLabel date={date} now={now} format={(day) => format(locale).format(day)} strings={strings} /> : null;
}

interface DayLabelProps {
  date: number;
  now: () => number;
  format: (date: number) => string;
  strings: DayLabelStrings;
}

/** A separator's label, read again at the next local midnight: "Today" becomes "Yesterday" in a chat left open. */
function DayLabel({ date, now, format, strings }: DayLabelProps) {
  const [, nextDay] = useReducer((day: number) => day + 1, 0);
  const at = now();
  useEffect(() => {
    const timer = setTimeout(nextDay, msUntilNextDay(at));
    return () => clearTimeout(timer);
  });
  return (
    <div className="rwc-chatbox__day" dir="auto">
      {dayLabel(date, at, format, strings)}
    </div>
  );
}
