/**
 * User names: clean-up and case-insensitive uniqueness. One set of rules, used by the reference
 * server and by `react-ws-chat/testing`'s mock server, so that a test written against the mock
 * meets the same names as the real server gives.
 */

/** The longest name the reference server keeps, in code points, unless configured otherwise. */
export const DEFAULT_MAX_NAME_LENGTH = 64;

/** At most `max` code points of `text` (never half an emoji). */
export function cutCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, Math.max(0, max)).join('');
}

/**
 * The name as the server keeps it: NFC, control characters (newlines, tabs, NUL...) turned into spaces,
 * runs of white space made one space, trimmed, then cut to `maxLength` code points (and trimmed again).
 * May be empty: the caller then gives a default name.
 */
export function cleanName(requested: string, maxLength: number): string {
  const cleaned = requested
    .normalize('NFC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return cutCodePoints(cleaned, maxLength).trim();
}

/**
 * The key two names are compared by: equal keys are the same name. Case-insensitive, and compatibility
 * forms are folded too (NFKC), so `Ada`, `ada` and the full-width `Ａｄａ` are one name.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/**
 * `name` itself when `isTaken(nameKey(name))` is false, else the first of `name2`, `name3`... that is
 * free; the base is cut so that base and number fit in `maxLength` code points.
 */
export function uniqueName(name: string, maxLength: number, isTaken: (key: string) => boolean): string {
  if (!isTaken(nameKey(name))) return name;
  for (let n = 2; ; n++) {
    const suffix = String(n);
    const candidate = `${cutCodePoints(name, maxLength - suffix.length).trimEnd()}${suffix}`;
    if (!isTaken(nameKey(candidate))) return candidate;
  }
}
