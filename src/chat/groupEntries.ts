import type { ChatEntry, ChatMessageEntry } from './ChatState.js';

/** Messages of one sender closer together than this form a group. */
export const DEFAULT_GROUP_WINDOW_MS = 5 * 60 * 1000;

/**
 * Whether `entry` starts a new group: it does unless it is a message from the same sender as the
 * message just before it, sent within `windowMs` of it. Notices always stand alone.
 */
export function startsGroup(previous: ChatEntry | undefined, entry: ChatEntry, windowMs = DEFAULT_GROUP_WINDOW_MS): boolean {
  if (entry.kind !== 'message' || previous?.kind !== 'message') return true;
  return !sameSender(previous, entry) || entry.date - previous.date > windowMs || entry.date < previous.date;
}

function sameSender(a: ChatMessageEntry, b: ChatMessageEntry): boolean {
  if (a.own || b.own) return a.own === b.own;
  return a.senderId === b.senderId && a.name === b.name;
}

/** A run of consecutive entries that belong together. */
export interface EntryGroup {
  readonly key: string;
  readonly entries: readonly ChatEntry[];
}

/** Split a log into groups with {@link startsGroup}: for custom UIs that render groups, not lines. */
export function groupEntries(entries: readonly ChatEntry[], windowMs = DEFAULT_GROUP_WINDOW_MS): EntryGroup[] {
  const groups: { key: string; entries: ChatEntry[] }[] = [];
  let previous: ChatEntry | undefined;
  for (const entry of entries) {
    const last = groups.at(-1);
    if (!last || startsGroup(previous, entry, windowMs)) groups.push({ key: entry.key, entries: [entry] });
    else last.entries.push(entry);
    previous = entry;
  }
  return groups;
}
