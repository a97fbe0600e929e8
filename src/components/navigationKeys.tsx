'use client';

import { useEffect } from 'react';
import type { ChatBoxPart, ChatBoxPartProps } from './ChatBoxPart.js';

/**
 * Keys that bring ChatBox's log to the newest message: `<ChatBox parts={[navigationKeys()]}>`.
 * Anywhere in the closest `.rwc-chat` (else in ChatBox): Alt+End; Ctrl+End too, except in a text
 * field, where it moves the caret to the end of the text; and Escape in a text field (the message
 * field: leave the log on the newest while writing). The focus stays where it is. A key another
 * handler already took (`defaultPrevented`), or typed while an input method composes, is left alone.
 * Opt-in: a bundle without it carries none of this code.
 */
export function navigationKeys(): ChatBoxPart {
  return { Part: NavigationKeys };
}

/** Text fields, where Ctrl+End edits and Escape pins. */
const FIELD = 'input,textarea,[contenteditable]:not([contenteditable="false"])';

function NavigationKeys({ logRef, pin }: ChatBoxPartProps) {
  useEffect(() => {
    const log = logRef.current;
    const scope = log?.closest('.rwc-chat') ?? log?.parentElement;
    if (!scope) return;
    const onKey = (event: Event) => {
      const { key, altKey, ctrlKey, target, defaultPrevented, isComposing } = event as KeyboardEvent;
      const field = target instanceof Element && target.matches(FIELD);
      if (defaultPrevented || isComposing || !(key === 'End' ? altKey || (ctrlKey && !field) : key === 'Escape' && field)) return;
      // End would also scroll whatever has the focus: the log's move is the one asked for.
      if (key === 'End') event.preventDefault();
      pin();
    };
    scope.addEventListener('keydown', onKey);
    return () => scope.removeEventListener('keydown', onKey);
  }, [logRef, pin]);
  return null;
}
