'use client';

import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { ChatEntry, ChatHistoryState } from '../chat/index.js';
import { keepFocusIn, type ChatBoxPart, type ChatBoxPartProps } from './ChatBoxPart.js';
import { diffEntries, isCatchUp } from './chatBoxScroll.js';
import { NO_UNREAD, trackUnread, type UnreadMark } from './trackUnread.js';

/** Options of {@link unreadDivider}. */
export interface UnreadDividerOptions {
  /** The divider's text. Default "New since you were away". */
  label?: string;
  /** The button that scrolls to it. Default "Jump to first unread". */
  jump?: string;
}

/**
 * An unread divider for `<ChatBox parts={[unreadDivider()]}>`: a `<div class="rwc-chatbox__unread">`
 * that reads `label`, before the first message of others that came while the
 * reader was away, that is: while the log was scrolled up, while the page was hidden, or in the
 * history's catch-up after a reconnect (`chatHistory()`: "new since you were away"); not the history
 * shown on first joining. It stays when the reader comes back; the next message that comes while they
 * are away again starts a new run. While the divider is above the view, a `jump` button
 * (`rwc-chatbox__jump-unread`) scrolls to it. Opt-in: a bundle without it carries none of this code.
 * Create it once (a module constant, or `useMemo`).
 */
export function unreadDivider(options: UnreadDividerOptions = {}): ChatBoxPart {
  const label = options.label ?? 'New since you were away';
  const part: UnreadDividerPart = {
    Part: UnreadTracker,
    jump: options.jump ?? 'Jump to first unread',
    divider: (
      <div className="rwc-chatbox__unread" dir="auto">
        {label}
      </div>
    ),
  };
  return part;
}

/** The value {@link unreadDivider} makes: its component finds its words in it (`props.part`). */
interface UnreadDividerPart extends ChatBoxPart {
  readonly jump: string;
  readonly divider: ReactNode;
}

/** Whether the page is hidden (never, without a document). */
const pageHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

function UnreadTracker({ entries, history, pinned, logRef, listRef, onMark, scrollToRow, part }: ChatBoxPartProps) {
  const { divider, jump } = part as UnreadDividerPart;
  const [keepFocus] = useState(() => keepFocusIn(logRef));
  const [hidden, setHidden] = useState(pageHidden);
  const [mark, setMark] = useState<UnreadMark>(NO_UNREAD);
  const [above, setAbove] = useState(false);
  // The log and the history as the last update saw them.
  const seen = useRef<{ entries: readonly ChatEntry[] | null; history: ChatHistoryState | undefined }>({
    entries: null,
    history: undefined,
  });

  useEffect(() => {
    const update = () => setHidden(pageHidden());
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);

  useLayoutEffect(() => {
    const last = seen.current;
    // A catch-up after an earlier one completed is a resume: what it brings is unread (the history
    // shown on first joining is not).
    const resumed = !!history && isCatchUp(last.history, history) && history.caughtUp - (history.catchingUp ? 0 : 1) > 0;
    last.history = history;
    const previous = last.entries;
    last.entries = entries;
    // The log ChatBox mounted with is not unread.
    if (!previous) return;
    const change = previous === entries ? null : diffEntries(previous, entries);
    setMark((current) => trackUnread(current, entries, change, !pinned || hidden || resumed));
  }, [entries, history, pinned, hidden]);

  useEffect(() => onMark(mark.key === null ? null : [mark.key, divider]), [mark.key, divider, onMark]);

  // Whether the divider is above the view: after every change, and as the reader scrolls (virtua's
  // model, updated by its own listener, registered first).
  // biome-ignore lint/correctness/useExhaustiveDependencies: checked again after every change of the log (rows above it were added, dropped or measured)
  useEffect(() => {
    const log = logRef.current;
    const check = () => {
      const list = listRef.current;
      setAbove(!!list && mark.key !== null && mark.index < list.findItemIndex(list.scrollOffset));
    };
    check();
    log?.addEventListener('scroll', check, { passive: true });
    return () => log?.removeEventListener('scroll', check);
  }, [mark, entries, listRef, logRef]);

  return above ? (
    <button ref={keepFocus} type="button" className="rwc-chatbox__jump-unread" onClick={() => scrollToRow(mark.index)}>
      {jump}
    </button>
  ) : null;
}
