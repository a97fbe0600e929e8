'use client';

import { useEffect, useState } from 'react';
import type { ChatEntry, ChatHistoryState } from '../chat/index.js';
import { createAnnouncementQueue, type AnnouncementStrings } from './createAnnouncementQueue.js';

/** Props of {@link ChatBoxAnnouncer}. */
export interface ChatBoxAnnouncerProps {
  /** The log, as ChatBox renders it. */
  entries: readonly ChatEntry[];
  /** The state of the store's `chatHistory()`, if any: what a catch-up brings is not new. */
  history?: ChatHistoryState | undefined;
  /** The count on ChatBox's new-messages button, 0 while it is hidden. */
  unseen: number;
  strings: AnnouncementStrings;
}

/**
 * ChatBox's live region: polite, visually hidden (`rwc-visually-hidden`), in the DOM from the first
 * render (screen readers only watch regions they have seen), and apart from the virtualized rows,
 * which come and go as the reader scrolls. It says what the announcement queue makes of the log's
 * changes and the button's count (see `createAnnouncementQueue`), at most once a second. Its own
 * component: an announcement re-renders it, not the log.
 */
export function ChatBoxAnnouncer({ entries, history, unseen, strings }: ChatBoxAnnouncerProps) {
  const [queue] = useState(createAnnouncementQueue);
  // Each announcement is a new element (the key), so that one that repeats the last is heard too.
  const [said, setSaid] = useState<[number, string]>([0, '']);

  useEffect(() => {
    const wait = queue.update(entries, unseen, Date.now(), history);
    if (wait < 0) return;
    // Set again after every change, for the same moment: the queue keeps when it last spoke.
    const timer = setTimeout(() => {
      const text = queue.take(Date.now(), strings);
      if (text) setSaid(([serial]) => [serial + 1, text]);
    }, wait);
    return () => clearTimeout(timer);
  }, [queue, entries, history, unseen, strings]);

  return (
    <div aria-live="polite" className="rwc-visually-hidden">
      <p key={said[0]}>{said[1]}</p>
    </div>
  );
}
