'use client';

import { useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type ComponentPropsWithoutRef, type ReactNode } from 'react';
import { Virtualizer, type VirtualizerHandle } from 'virtua';
import { DEFAULT_GROUP_WINDOW_MS, startsGroup, type ChatEntry } from '../chat/index.js';
import { useLatest } from '../react/useLatest.js';
import { diffEntries, endOffset, isAtEnd } from './chatBoxScroll.js';
import { ChatBoxRow, type ChatBoxEntryInfo } from './ChatBoxRow.js';
import { cx } from './cx.js';
import { useChatStrings, useDeferredChatEntries } from './useChat.js';

/**
 * How close to the end (in CSS pixels) still counts as "at the bottom". Scrolling to the end by any
 * means lands exactly on it, so the margin only absorbs sub-pixel rounding of `scrollTop` at
 * fractional zoom / device pixel ratios (at most a pixel or two); it stays far below one arrow-key
 * (40 px) or wheel (~100 px) step, so any deliberate scroll up counts as leaving the bottom.
 */
const DEFAULT_BOTTOM_THRESHOLD = 4;

/**
 * The log scrolls itself, as virtua's `VList` lays out its viewport (the `Virtualizer` inside takes
 * its parent as the scroll container); without VList's prop forwarding, which ChatBox does not need.
 */
const LOG_STYLE = { display: 'block', overflowY: 'auto', contain: 'strict', width: '100%', height: '100%' } as const;

export type { ChatBoxEntryInfo };

/** Props of {@link ChatBox}. The rest go to the root `<div>`. */
export interface ChatBoxProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /**
   * Class of the root `<div class="rwc-chatbox">`, added to the default one. The root must have a
   * height (the stylesheet's, yours, or `style`): the log fills it and scrolls inside it.
   */
  className?: string;
  /** Class added to every row (`rwc-chatbox__row`). */
  rowClassName?: string;
  /**
   * Render the inside of a row yourself. The row element (its class and `data-*` attributes) stays
   * ChatBox's. Rows are memoized: pass a stable function (`useCallback`), or every visible row
   * re-renders whenever ChatBox does. Render text as text, never as raw HTML, and give what users
   * wrote (names, texts) `dir="auto"` or a `<bdi>`, as ChatBox does.
   */
  renderEntry?: (entry: ChatEntry, info: ChatBoxEntryInfo) => ReactNode;
  /** Messages of one sender closer together than this form a group. Default 5 minutes. */
  groupWindowMs?: number;
  /** How close to the end, in pixels, counts as being at the bottom. Default 4. */
  bottomThreshold?: number;
}

/**
 * The chat log of the nearest `<ChatProvider>`: a virtualized `role="log"` (only the rows in view
 * are in the DOM, so a 100 000-entry history costs what a screenful does), named by
 * `strings.messagesLabel`, announced politely.
 *
 * - Messages show the sender, the time (`<time dateTime>` in ISO 8601) and the text, whose spaces
 *   and line breaks are kept by the stylesheet (`.rwc-chatbox__text { white-space: pre-wrap }`).
 *   Consecutive messages of one sender form a group: rows carry `data-group="start"` or
 *   `"continue"`, and a continuation's sender stays in the DOM for screen readers but gets
 *   `rwc-visually-hidden`. Own messages carry `data-own`; every message `data-status`
 *   (pending and sent also show `strings.pending` / `strings.sent`); every row `data-kind`.
 * - Sign-in and rename notices show `strings.signedIn` / `strings.renamed`.
 * - All text is rendered as text, never as HTML.
 * - Right-to-left: each sender and text has `dir="auto"` (its direction is its own first strong
 *   character's, isolated from the row's), and the name in a notice is in a `<bdi>`, so mixed
 *   Hebrew, Arabic and English read in order in either page direction.
 * - While the reader is at the bottom, new entries keep the newest in view. Once they scroll up,
 *   new entries leave the view where it is (even when the store drops the oldest entries) and a
 *   `strings.newMessages(n)` button offers to jump to the newest; scrolling back down hides it.
 *   An own message written while scrolled up jumps to the bottom: the writer expects to see it.
 * - The log's `data-state` is `"empty"`, `"pinned"` (following the newest) or `"scrolled-up"`.
 *
 * Unstyled: it only sets class names (`rwc-chatbox`, `rwc-chatbox__log`, `__row`, `__sender`,
 * `__time`, `__text`, `__status`, `__notice`, `__empty`, `__new-messages`, `rwc-visually-hidden`).
 * Must be used inside `<ChatProvider>`.
 *
 * @example
 * ```tsx
 * <ChatProvider url="wss://chat.example.com" username="ada">
 *   <ChatBox className="my-chat" style={{ height: 400 }} />
 * </ChatProvider>
 * ```
 */
export function ChatBox({
  className,
  rowClassName,
  renderEntry,
  groupWindowMs = DEFAULT_GROUP_WINDOW_MS,
  bottomThreshold = DEFAULT_BOTTOM_THRESHOLD,
  ...rest
}: ChatBoxProps) {
  // As a transition: a streaming log never delays the next frame of what the user types.
  const entries = useDeferredChatEntries();
  const { strings, timeFormat } = useChatStrings();
  const emptyId = useId();
  const logRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<VirtualizerHandle>(null);
  const threshold = useLatest(bottomThreshold);

  // Whether the view follows the newest entry, and how many arrived since it stopped. The refs are
  // the truth (read synchronously by the effects and scroll handler); the state mirrors them for
  // rendering and is only set when a value changes.
  const [pinned, setPinned] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const pinnedRef = useRef(true);
  const unseenRef = useRef(0);
  const lastOffset = useRef(0);
  const previousEntries = useRef<readonly ChatEntry[] | null>(null);

  /**
   * Scroll the log to its very end, computed from virtua's model (see `endOffset`): no layout is
   * read. (The write itself lays out a DOM that changed, once, as the frame would.) Always written,
   * never skipped as "already there": virtua may have moved the view since (its scroll-jump
   * compensation, in the same commit or measurement, before any scroll event reports it). Not
   * virtua's `scrollToIndex`: that starts a retry loop which would pull the view back down after the
   * reader has scrolled up (it re-scrolls on every measurement for 150 ms). Rows measured later
   * re-pin through `onResize`.
   */
  const scrollToEnd = useCallback((element: HTMLElement) => {
    const list = listRef.current;
    if (list) element.scrollTop = endOffset(list);
  }, []);

  const follow = useCallback((value: boolean) => {
    if (pinnedRef.current !== value) {
      pinnedRef.current = value;
      setPinned(value);
    }
    if (value && unseenRef.current !== 0) {
      unseenRef.current = 0;
      setUnseen(0);
    }
  }, []);

  // After every change of the log, before paint: follow the newest, or keep the reader's place.
  useLayoutEffect(() => {
    const previous = previousEntries.current;
    previousEntries.current = entries;
    const element = logRef.current;
    if (!element) return;
    if (previous === null || previous === entries) {
      if (pinnedRef.current) scrollToEnd(element);
      return;
    }
    const change = diffEntries(previous, entries);
    if (change.reset || change.own) {
      follow(true);
      scrollToEnd(element);
    } else if (pinnedRef.current) {
      scrollToEnd(element);
    } else {
      if (change.trimmed > 0 && listRef.current) keepPlace(element, listRef.current, change.trimmed);
      if (change.added > 0) {
        unseenRef.current += change.added;
        setUnseen(unseenRef.current);
      }
    }
  }, [entries, follow, scrollToEnd]);

  const onScroll = useCallback(
    (offset: number) => {
      const list = listRef.current;
      if (!list) return;
      const previous = lastOffset.current;
      lastOffset.current = offset;
      // Leaving the bottom takes a move up: content growing under a pinned view (before it is
      // scrolled to the new end) and smooth scrolls towards the end never unpin it. virtua's model
      // may be ahead of the DOM (it takes the new rows while the log renders, before the commit),
      // so a move up is checked against the DOM before it unpins: the browser clamping the offset
      // of a view at the end, as rows shrink when measured, is not the reader leaving it.
      if (isAtEnd(list, threshold.current, offset)) follow(true);
      else if (pinnedRef.current && offset < previous && !isDomAtEnd(logRef.current, threshold.current)) follow(false);
    },
    [follow, threshold],
  );

  // Rows measured or viewport resized: a pinned view stays on the newest.
  const onResize = useCallback(() => {
    const element = logRef.current;
    if (element && pinnedRef.current) scrollToEnd(element);
  }, [scrollToEnd]);

  const jumpToNewest = useCallback(() => {
    const element = logRef.current;
    follow(true);
    if (!element) return;
    scrollToEnd(element);
    // The button disappears: keep keyboard focus in the chat, on the (focusable) log.
    element.focus({ preventScroll: true });
  }, [follow, scrollToEnd]);

  const renderRow = useCallback(
    (entry: ChatEntry, index: number) => (
      <ChatBoxRow
        key={entry.key}
        entry={entry}
        groupStart={startsGroup(entries[index - 1], entry, groupWindowMs)}
        strings={strings}
        timeFormat={timeFormat}
        renderEntry={renderEntry}
        className={rowClassName}
      />
    ),
    [entries, groupWindowMs, strings, timeFormat, renderEntry, rowClassName],
  );

  const empty = entries.length === 0;
  const state = empty ? 'empty' : pinned ? 'pinned' : 'scrolled-up';
  // The same element while only the new-messages count changes: React then skips the list.
  const list = useMemo(
    () => (
      <div
        ref={logRef}
        role="log"
        aria-label={strings.messagesLabel}
        aria-live="polite"
        aria-describedby={empty ? emptyId : undefined}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
        tabIndex={0}
        className="rwc-chatbox__log"
        data-state={state}
        style={LOG_STYLE}
      >
        <Virtualizer ref={listRef} data={entries} onScroll={onScroll} onResize={onResize}>
          {renderRow}
        </Virtualizer>
      </div>
    ),
    [entries, strings.messagesLabel, empty, emptyId, state, onScroll, onResize, renderRow],
  );

  return (
    <div {...rest} className={cx('rwc-chatbox', className)}>
      {list}
      {empty && (
        <p id={emptyId} className="rwc-chatbox__empty">
          {strings.noMessages}
        </p>
      )}
      {!pinned && unseen > 0 && (
        <button type="button" className="rwc-chatbox__new-messages" onClick={jumpToNewest}>
          {strings.newMessages(unseen)}
        </button>
      )}
    </div>
  );
}

/** Whether the log's DOM is scrolled to (within `threshold` of) its end. Reads layout: use sparingly. */
function isDomAtEnd(element: HTMLElement | null, threshold: number): boolean {
  if (!element) return false;
  // The DOM's own numbers in the model's shape (padding is in both heights, so it cancels out).
  return isAtEnd({ scrollOffset: element.scrollTop, viewportSize: element.clientHeight, scrollSize: element.scrollHeight }, threshold);
}

/**
 * The store dropped `trimmed` entries from the start while the reader is scrolled up: every row
 * moved up by their height. virtua's size cache is by index and has not seen the change yet, so the
 * row at the top of the view (index `top`) is now at `top - trimmed`; scroll up by the difference of
 * their offsets to keep it where the reader sees it.
 */
function keepPlace(element: HTMLElement, list: VirtualizerHandle, trimmed: number): void {
  const top = list.findItemIndex(element.scrollTop);
  const shift = list.getItemOffset(top) - list.getItemOffset(Math.max(0, top - trimmed));
  if (shift > 0) element.scrollTop -= shift;
}
