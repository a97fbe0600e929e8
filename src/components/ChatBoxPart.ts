import type { ComponentType, ReactNode, RefObject } from 'react';
import type { VirtualizerHandle } from 'virtua';
import type { ChatEntry, ChatHistoryState, ChatStrings } from '../chat/index.js';

/** What ChatBox gives the component of an opt-in {@link ChatBoxPart} (`olderHistory()`, `unreadDivider()`, `navigationKeys()`). */
export interface ChatBoxPartProps {
  /** The log, as ChatBox renders it. */
  entries: readonly ChatEntry[];
  /** The state of the store's `chatHistory()`, published with `entries`; undefined without it. */
  history: ChatHistoryState | undefined;
  /** Whether the log follows the newest entry. */
  pinned: boolean;
  /** ChatBox's log element (the scroll container) and its virtual list. */
  logRef: RefObject<HTMLElement | null>;
  listRef: RefObject<VirtualizerHandle | null>;
  strings: ChatStrings;
  /** Put a divider (`mark[1]`) before the row whose key is `mark[0]`; null: none. One at a time. */
  onMark: (mark: ChatBoxMark | null) => void;
  /** Unpin and show row `index` at the top of the view. */
  scrollToRow: (index: number) => void;
  /** Follow the newest entry again (scroll to it), leaving the focus where it is. */
  pin: () => void;
  /** The part itself, as passed to ChatBox: a component finds its settings in it. */
  part: ChatBoxPart;
}

/** A divider and the key of the row it stands before. */
export type ChatBoxMark = readonly [key: string, divider: ReactNode];

/**
 * An opt-in part of ChatBox: a component it renders once inside its root, before the log (buttons
 * that float over it, listeners of its scrolling). A value, so that a bundle without it carries none
 * of its code; keep the same value for the ChatBox's life (a module constant, or `useMemo`).
 */
export interface ChatBoxPart {
  readonly Part: ComponentType<ChatBoxPartProps>;
}

/**
 * The ref of a button that may disappear while it has the focus: keyboard focus then goes to the
 * log, not to the page. Stable per log (make it once, e.g. with `useState`).
 */
export function keepFocusIn(logRef: RefObject<HTMLElement | null>): (button: HTMLElement | null) => () => void {
  return (button) => () => {
    if (button?.ownerDocument.activeElement === button) logRef.current?.focus({ preventScroll: true });
  };
}
