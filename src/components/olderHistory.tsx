'use client';

import { useEffect, useState } from 'react';
import type { ChatBoxPart, ChatBoxPartProps } from './ChatBoxPart.js';
import { keepFocusIn } from './ChatBoxPart.js';

/**
 * Older history in ChatBox, for a store given `chatHistory()`: `<ChatBox parts={[olderHistory()]}>`.
 * While the server may hold older messages (`state.history.available && more`), a "Load older
 * messages" button (`strings.loadOlder`; `strings.loadingOlder` and `aria-disabled` while the page
 * is on its way) floats over the top of the log, for keyboard and pointer users, and scrolling up to
 * within a screen of the top asks for the page too. The page is put before the log without moving
 * the view (virtua's `shift`), and is not announced. Opt-in: a bundle without it carries none of
 * this code. Create it once (a module constant, or `useMemo`).
 */
export function olderHistory(): ChatBoxPart {
  return { Part: OlderHistory };
}

function OlderHistory({ history, logRef, strings }: ChatBoxPartProps) {
  const [keepFocus] = useState(() => keepFocusIn(logRef));
  const loadOlder = history?.loadOlder;

  // Scrolling up near the top asks for the next page (loadOlder itself refuses while one is on its way).
  useEffect(() => {
    const log = logRef.current;
    if (!log || !loadOlder) return;
    let last = log.scrollTop;
    const onScroll = () => {
      const offset = log.scrollTop;
      if (offset < last && offset < log.clientHeight) loadOlder();
      last = offset;
    };
    log.addEventListener('scroll', onScroll, { passive: true });
    return () => log.removeEventListener('scroll', onScroll);
  }, [logRef, loadOlder]);

  return history?.available && history.more ? (
    <button ref={keepFocus} type="button" className="rwc-chatbox__load-older" aria-disabled={history.loadingOlder} onClick={loadOlder}>
      {history.loadingOlder ? strings.loadingOlder : strings.loadOlder}
    </button>
  ) : null;
}
