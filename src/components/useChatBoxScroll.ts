'use client';

import { useCallback, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { VirtualizerHandle } from 'virtua';
import type { ChatEntry } from '../chat/index.js';
import { useLatest } from '../react/useLatest.js';
import { diffEntries, endOffset, isAtEnd } from './chatBoxScroll.js';

/**
 * The default "at the bottom" margin, in CSS pixels. Scrolling to the end lands exactly on it, so
 * this only absorbs sub-pixel rounding of `scrollTop` at fractional zoom; it stays far below one
 * arrow-key (40 px) or wheel (~100 px) step, so any deliberate scroll up leaves the bottom.
 */
const DEFAULT_BOTTOM_THRESHOLD = 4;

/**
 * What {@link useChatBoxScroll} gives ChatBox, in order: the refs for the log element (the scroll
 * container) and for the `Virtualizer` inside it; whether the view follows the newest entry; how
 * many messages were added since it stopped (0 while pinned); the `Virtualizer`'s `onScroll` (a move
 * up unpins, reaching the end pins) and `onResize` (a pinned view stays on the newest);
 * `jumpToNewest` (pin, scroll to the newest, focus the log); the `Virtualizer`'s `shift` (true in
 * the render that puts entries before the log: virtua then keeps the view where it is);
 * `scrollToRow(index)` (unpin and show that row at the top); and `pin` (follow the newest, focus
 * left where it is). The refs and functions are stable. A tuple, as `useState`'s: an object's keys stay in the minified bundle.
 */
export type ChatBoxScroll = [
  logRef: RefObject<HTMLDivElement | null>,
  listRef: RefObject<VirtualizerHandle | null>,
  pinned: boolean,
  unseen: number,
  onScroll: (offset: number) => void,
  onResize: () => void,
  jumpToNewest: () => void,
  shift: boolean,
  scrollToRow: (index: number) => void,
  pin: () => void,
];

/**
 * ChatBox's scroll pinning. While pinned, every change of `entries` scrolls the log to its end
 * before paint; once the reader scrolls up, new messages (not notices) are counted in `unseen` and
 * the view stays where it is, even when the store drops the oldest entries or puts older ones
 * before the log. An own message, or a new log, pins again. `bottomThreshold` (default 4) is how
 * close to the end, in pixels, counts as the bottom.
 *
 * The end is computed from virtua's model (see `chatBoxScroll.ts`), so scrolling reads no layout.
 */
export function useChatBoxScroll(entries: readonly ChatEntry[], bottomThreshold = DEFAULT_BOTTOM_THRESHOLD): ChatBoxScroll {
  const logRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<VirtualizerHandle>(null);
  const threshold = useLatest(bottomThreshold);

  // The refs are the truth (read synchronously by the effect and the handlers); the state mirrors
  // them for rendering and is only set when a value changes.
  const [pinned, setPinned] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const pinnedRef = useRef(true);
  const unseenRef = useRef(0);
  const lastOffset = useRef(0);
  const previousEntries = useRef<readonly ChatEntry[] | null>(null);
  // Against the log as last committed (the ref): an abandoned render leaves it alone.
  const shift = useMemo(() => {
    const previous = previousEntries.current;
    return !!previous && previous !== entries && diffEntries(previous, entries).prepended > 0;
  }, [entries]);

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

  // A pinned view stays on the newest, after every change of the log and every resize. The end is
  // virtua's model's: no layout read. Always written, never skipped as "already there": virtua may
  // have moved the view (its scroll-jump compensation) before a scroll event says so. Not virtua's
  // `scrollToIndex`: its retry loop would pull the view back down after the reader scrolled up.
  const keepAtEnd = useCallback(() => {
    const element = logRef.current;
    const list = listRef.current;
    if (element && list && pinnedRef.current) element.scrollTop = endOffset(list);
  }, []);

  // After every change of the log, before paint: follow the newest, or keep the reader's place.
  useLayoutEffect(() => {
    const previous = previousEntries.current;
    previousEntries.current = entries;
    const element = logRef.current;
    if (!element) return;
    if (previous !== null && previous !== entries) {
      const change = diffEntries(previous, entries);
      if (change.reset || change.own) {
        follow(true);
      } else if (!pinnedRef.current) {
        if (change.trimmed > 0 && listRef.current) keepPlace(element, listRef.current, change.trimmed);
        // Messages only: a notice is not something to jump to.
        if (change.messages > 0) {
          unseenRef.current += change.messages;
          setUnseen(unseenRef.current);
        }
      }
    }
    keepAtEnd();
  }, [entries, follow, keepAtEnd]);

  const onScroll = useCallback(
    (offset: number) => {
      const list = listRef.current;
      if (!list) return;
      const previous = lastOffset.current;
      lastOffset.current = offset;
      // Only a move up unpins (content growing under the view, or a smooth scroll down, never does).
      // virtua's model may be ahead of the DOM, so the DOM confirms it: the browser clamping the
      // offset as rows shrink when measured is not the reader leaving the end.
      if (isAtEnd(list, threshold.current, offset)) follow(true);
      else if (pinnedRef.current && offset < previous && !isDomAtEnd(logRef.current, threshold.current)) follow(false);
    },
    [follow, threshold],
  );

  const pin = useCallback(() => {
    follow(true);
    keepAtEnd();
  }, [follow, keepAtEnd]);

  const jumpToNewest = useCallback(() => {
    pin();
    // The button disappears: keep keyboard focus in the chat, on the (focusable) log.
    logRef.current?.focus({ preventScroll: true });
  }, [pin]);

  const scrollToRow = useCallback(
    (index: number) => {
      // Unpinned first: a resize while virtua scrolls must not pull the view back to the end.
      follow(false);
      listRef.current?.scrollToIndex(index, { align: 'start' });
    },
    [follow],
  );

  return [logRef, listRef, pinned, unseen, onScroll, keepAtEnd, jumpToNewest, shift, scrollToRow, pin];
}

/** Whether the log's DOM is scrolled to (within `threshold` of) its end. Reads layout: use sparingly. */
function isDomAtEnd(element: HTMLElement | null, threshold: number): boolean {
  if (!element) return false;
  // The DOM's own numbers in the model's shape (padding is in both heights, so it cancels out).
  return isAtEnd({ scrollOffset: element.scrollTop, viewportSize: element.clientHeight, scrollSize: element.scrollHeight }, threshold);
}

/**
 * The store dropped `trimmed` entries from the start while the reader is scrolled up. virtua's size
 * cache is by index and has not seen it yet, so the row at the top of the view (index `top`) is now
 * at `top - trimmed`: scroll up by the difference of their offsets to keep it in place.
 */
function keepPlace(element: HTMLElement, list: VirtualizerHandle, trimmed: number): void {
  const top = list.findItemIndex(element.scrollTop);
  const shift = list.getItemOffset(top) - list.getItemOffset(Math.max(0, top - trimmed));
  if (shift > 0) element.scrollTop -= shift;
}
