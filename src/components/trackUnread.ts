// Pure helper of the unread divider (`unreadDivider()`): where the messages the reader has not seen
// start, kept across the log's changes. No timers, no DOM.
import type { ChatEntry } from '../chat/index.js';
import type { EntriesChange } from './chatBoxScroll.js';

/** Where unread messages start. */
export interface UnreadMark {
  /** The key and the index of the first unread message, or null and -1 for none. */
  readonly key: string | null;
  readonly index: number;
  /**
   * Whether the reader is still away since it was set: later messages belong to the same run. Once
   * the reader is back (at the newest, on a visible page), the mark stays but closes: the next message
   * that comes while they are away starts a new run.
   */
  readonly open: boolean;
}

export const NO_UNREAD: UnreadMark = { key: null, index: -1, open: false };

/**
 * The mark after the log changed (`change`, or null when only `away` changed). `away`: the reader
 * does not see what arrives (scrolled up, the page hidden, or the change is the catch-up after a
 * reconnect). The first message of others appended while away starts a run (own messages and
 * notices never do); the index follows the entries the store drops or puts before it, and a mark
 * whose entry was dropped, or a replaced log, is none. Work: the appended entries only.
 */
export function trackUnread(mark: UnreadMark, entries: readonly ChatEntry[], change: EntriesChange | null, away: boolean): UnreadMark {
  if (change?.reset) return NO_UNREAD;
  let next = mark;
  if (change && mark.key !== null && change.prepended !== change.trimmed) {
    const index = mark.index + change.prepended - change.trimmed;
    next = index < 0 ? NO_UNREAD : { ...mark, index };
  }
  if (!away) return next.open ? { ...next, open: false } : next;
  if (next.open || !change) return next;
  for (let i = entries.length - change.added; i < entries.length; i++) {
    const entry = entries[i];
    if (entry?.kind === 'message' && !entry.own) return { key: entry.key, index: i, open: true };
  }
  return next;
}
