// What ChatBox's live region (ChatBoxAnnouncer) says, and when: the messages of others appended to
// the log, or the new-messages count while the reader is scrolled up; at most one announcement per
// interval, a burst summarised. Pure: no timers, no DOM; the clock is passed in.
import type { ChatEntry, ChatHistoryState, ChatMessageEntry, ChatStrings } from '../chat/index.js';
import { diffEntries, isCatchUp } from './chatBoxScroll.js';

/** The least time between two announcements, in milliseconds. */
export const ANNOUNCE_INTERVAL_MS = 1000;

/** The strings an announcement is made of. */
export type AnnouncementStrings = Pick<ChatStrings, 'messageName' | 'newMessagesFrom' | 'newMessages'>;

/** What {@link createAnnouncementQueue} makes. */
export interface AnnouncementQueue {
  /**
   * Take the log as it is now, the count on the new-messages button (0: hidden), and the state of
   * `chatHistory()` if the store has one. The messages of others appended since the last call wait
   * to be announced; the log of the first call, a replaced log (a new store), what a history
   * catch-up brought (see `isCatchUp`) and older pages put before the log are not announced, nor
   * the user's own messages, nor notices.
   * The button's count waits when it appeared or changed. Returns how long after `now`, in
   * milliseconds, the next announcement is due (0: at once), or -1 when nothing waits. Work: the
   * appended entries only.
   */
  update(entries: readonly ChatEntry[], unseen: number, now: number, history?: ChatHistoryState): number;
  /**
   * What to say, and empty the queue: the button's `newMessages(unseen)` if it waits (the reader is
   * scrolled up: the count, which they can act on, rather than the texts), else one message as
   * `messageName(sender, text)`, several as `newMessagesFrom(count, senders)`. Empty when nothing
   * waits. Call it when `update` said it is due.
   */
  take(now: number, strings: AnnouncementStrings): string;
}

/**
 * The queue of ChatBox's announcements. What waits is kept as a summary (a count, the latest message,
 * the senders), so that a flood costs what one message does.
 */
export function createAnnouncementQueue(): AnnouncementQueue {
  let log: readonly ChatEntry[] | null = null;
  let past: ChatHistoryState | undefined;
  let count = 0;
  let latest: ChatMessageEntry | undefined;
  const senders = new Set<string>();
  let unseen = 0;
  let toldUnseen = 0;
  // When it last spoke: as if an interval before the clock's zero, so the first one is due at once.
  let at = -ANNOUNCE_INTERVAL_MS;
  return {
    update(entries, shown, now, history) {
      const change = log && log !== entries && !isCatchUp(past, history) ? diffEntries(log, entries) : null;
      log = entries;
      past = history;
      for (let i = change && !change.reset ? entries.length - change.added : entries.length; i < entries.length; i++) {
        const entry = entries[i];
        if (entry?.kind === 'message' && !entry.own) {
          count++;
          latest = entry;
          senders.add(entry.name);
        }
      }
      unseen = shown;
      // Hidden, then shown again: said again.
      if (!shown) toldUnseen = 0;
      return count || unseen !== toldUnseen ? Math.max(0, at + ANNOUNCE_INTERVAL_MS - now) : -1;
    },
    take(now, strings) {
      const text =
        unseen !== toldUnseen
          ? strings.newMessages(unseen)
          : count > 1
            ? strings.newMessagesFrom(count, [...senders])
            : latest
              ? strings.messageName(latest.name, latest.text)
              : '';
      count = 0;
      latest = undefined;
      senders.clear();
      toldUnseen = unseen;
      if (text) at = now;
      return text;
    },
  };
}
