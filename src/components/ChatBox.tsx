'use client';

import { Fragment, useCallback, useId, useMemo, useState, type ComponentPropsWithoutRef, type ReactNode } from 'react';
import { Virtualizer } from 'virtua';
import { DEFAULT_GROUP_WINDOW_MS, startsGroup, type ChatEntry, type ChatState } from '../chat/index.js';
import { useDeferredStoreSelector } from '../react/useDeferredStoreSelector.js';
import { shallowEqual } from '../react/useStoreSelector.js';
import { ChatBoxAnnouncer } from './ChatBoxAnnouncer.js';
import { breakUrls } from './breakUrls.js';
import { ChatBoxRow, type ChatBoxEntryInfo, type RenderText } from './ChatBoxRow.js';
import { useChatContext } from './ChatProvider.js';
import { cx } from './cx.js';
import type { ChatBoxMark, ChatBoxPart, ChatBoxPartProps } from './ChatBoxPart.js';
import type { DaySeparators } from './daySeparators.js';
import { useChatBoxScroll } from './useChatBoxScroll.js';

/**
 * The log scrolls itself, as virtua's `VList` lays out its viewport (the `Virtualizer` inside takes
 * its parent as the scroll container); without VList's prop forwarding, which ChatBox does not need.
 */
const LOG_STYLE = { display: 'block', overflowY: 'auto', contain: 'strict', width: '100%', height: '100%' } as const;

// Defined beside the row that builds it; part of ChatBox's public props.
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
  /**
   * Format a message's text (inside ChatBox's own text element, which keeps its `dir="auto"`):
   * `linkify` (from `react-ws-chat`) makes its `http:`/`https:` URLs links; or your own formatting,
   * returning React nodes (never raw HTML). Pass a stable function, as for `renderEntry`. Default:
   * the text, breakable after the slashes of URLs and paths (`breakUrls`). A function with
   * `accessibleText` also names the rows (`messageActions()`'s: "Message deleted" for a deleted one).
   */
  renderText?: RenderText;
  /** Messages of one sender closer together than this form a group. Default 5 minutes. */
  groupWindowMs?: number;
  /** How close to the end, in pixels, counts as being at the bottom. Default 4. */
  bottomThreshold?: number;
  /**
   * Day separators ("Today", "Yesterday", a date) between rows of different local days: pass
   * `daySeparators()` (opt-in, so that a bundle without it carries none of its code).
   */
  daySeparators?: DaySeparators;
  /**
   * Opt-in parts, each a value so that a bundle without it carries none of its code:
   * `olderHistory()` (a "Load older messages" button and pages asked for as the reader scrolls up,
   * for a store given `chatHistory()`), `unreadDivider()` ("New since you were away" and "Jump to
   * first unread"), `navigationKeys()` (Alt+End and friends: to the newest from anywhere in the
   * chat). Keep the same array for the ChatBox's life (a module constant, or `useMemo`).
   */
  parts?: readonly ChatBoxPart[];
}

/**
 * The chat log of the nearest `<ChatProvider>`: a virtualized `role="log"` (only the rows in view
 * are in the DOM, so a 100 000-entry history costs what a screenful does), named by
 * `strings.messagesLabel`.
 *
 * - Every row is an `<article>` with `aria-posinset` / `aria-setsize` (its place in the whole
 *   log). A message is named `strings.messageName(sender, text, time)` ("bob, 9:30 AM: hi"; the
 *   sender of an own message is `strings.ownSender`, "You") and has its full date as `title`.
 * - Screen readers hear new messages from a polite live region of its own (visually hidden), never
 *   from the rows, which come and go as the reader scrolls: messages of others appended to the log
 *   (not the user's own, not notices, not the log it mounted with, not what `chatHistory()` brings:
 *   a catch-up or older pages), at most one announcement a
 *   second: one message as `strings.messageName(sender, text)`, several as
 *   `strings.newMessagesFrom(count, senders)`; while scrolled up, `strings.newMessages(n)` when the
 *   button appears or its count changes, instead of the texts.
 * - Messages show the sender, the time (`<time dateTime>` in ISO 8601) and the text, whose spaces
 *   and line breaks are kept by the stylesheet (`.rwc-chatbox__text { white-space: pre-wrap }`).
 *   Consecutive messages of one sender form a group: rows carry `data-group="start"` or
 *   `"continue"`; only a group's first row shows the sender and the time, and own messages never
 *   show the sender: those stay in the DOM with `rwc-visually-hidden`. Own messages carry
 *   `data-own`; every message `data-status` (pending and sent also show `strings.pending` /
 *   `strings.sent`; failed, `persistentOutbox()`'s, `strings.failed` and the Retry and Discard
 *   buttons, `__actions`); every row `data-kind`.
 * - Sign-in and rename notices show `strings.signedIn` / `strings.renamed`.
 * - All text is rendered as text, never as HTML.
 * - Right-to-left: each sender and text has `dir="auto"` (its direction is its own first strong
 *   character's, isolated from the row's), and the name in a notice is in a `<bdi>`, so mixed
 *   Hebrew, Arabic and English read in order in either page direction.
 * - While the reader is at the bottom, new entries keep the newest in view. Once they scroll up,
 *   new entries leave the view where it is (even when the store drops the oldest entries) and a
 *   `strings.newMessages(n)` button (n counts messages, not notices) offers to jump to the newest;
 *   scrolling back down hides it.
 *   An own message written while scrolled up jumps to the bottom: the writer expects to see it.
 * - The log's `data-state` is `"empty"`, `"pinned"` (following the newest) or `"scrolled-up"`.
 * - Entries put before the log (`state.history.loadOlder()`) leave the view where it is.
 * - Opt-in: `daySeparators` (`daySeparators()`) and `parts` (`olderHistory()`, `unreadDivider()`,
 *   `navigationKeys()`, or your own `ChatBoxPart`).
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
  renderText = breakUrls,
  groupWindowMs = DEFAULT_GROUP_WINDOW_MS,
  bottomThreshold,
  daySeparators,
  parts,
  ...rest
}: ChatBoxProps) {
  const { store, strings, timeFormat } = useChatContext('ChatBox');
  // As a transition: a streaming log never delays the next frame of what the user types. The
  // history's state comes with the entries it describes.
  const { entries, history } = useDeferredStoreSelector(store, selectLog, shallowEqual);
  const emptyId = useId();
  const [logRef, listRef, pinned, unseen, onScroll, onResize, jumpToNewest, shift, scrollToRow, pin] = useChatBoxScroll(
    entries,
    bottomThreshold,
  );
  // A part's divider (the unread one) and the key of the row it stands before.
  const [mark, setMark] = useState<ChatBoxMark | null>(null);

  const renderRow = useCallback(
    (entry: ChatEntry, index: number) => (
      <Fragment key={entry.key}>
        {daySeparators?.(entry.date, entries[index - 1]?.date, timeFormat.locale)}
        {entry.key === mark?.[0] && mark[1]}
        <ChatBoxRow
          entry={entry}
          groupStart={startsGroup(entries[index - 1], entry, groupWindowMs)}
          position={index + 1}
          size={entries.length}
          strings={strings}
          timeFormat={timeFormat}
          renderEntry={renderEntry}
          renderText={renderText}
          className={rowClassName}
        />
      </Fragment>
    ),
    [entries, groupWindowMs, strings, timeFormat, renderEntry, renderText, rowClassName, daySeparators, mark],
  );

  const partProps: Omit<ChatBoxPartProps, 'part'> = {
    entries,
    history,
    pinned,
    logRef,
    listRef,
    strings,
    onMark: setMark,
    scrollToRow,
    pin,
  };
  const empty = entries.length === 0;
  const state = empty ? 'empty' : pinned ? 'pinned' : 'scrolled-up';
  // The same element while only the new-messages count changes: React then skips the list.
  const list = useMemo(
    () => (
      <div
        ref={logRef}
        role="log"
        aria-label={strings.messagesLabel}
        // Not a live region (a log's default): its rows come and go as the reader scrolls. The
        // announcer below says what is new.
        aria-live="off"
        aria-describedby={empty ? emptyId : undefined}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
        tabIndex={0}
        className="rwc-chatbox__log"
        data-state={state}
        style={LOG_STYLE}
      >
        <Virtualizer ref={listRef} data={entries} shift={shift} onScroll={onScroll} onResize={onResize}>
          {renderRow}
        </Virtualizer>
      </div>
    ),
    [entries, strings.messagesLabel, empty, emptyId, state, logRef, listRef, shift, onScroll, onResize, renderRow],
  );

  return (
    <div {...rest} className={cx('rwc-chatbox', className)}>
      {parts?.map((part, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the array is fixed for the ChatBox's life
        <part.Part key={index} {...partProps} part={part} />
      ))}
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
      <ChatBoxAnnouncer entries={entries} history={history} unseen={unseen} strings={strings} />
    </div>
  );
}

const selectLog = ({ entries, history }: ChatState) => ({ entries, history });
