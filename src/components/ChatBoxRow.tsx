'use client';

import { memo, useMemo, type ReactNode } from 'react';
import type { ChatEntry, ChatMessageEntry, ChatStrings, TimeFormat } from '../chat/index.js';
import { type AvatarRenderer, useChatContext } from './ChatProvider.js';
import { cx, flag } from './cx.js';
import { splitAtName } from './splitAtName.js';

/** What `ChatBoxProps.renderEntry` gets besides the entry. */
export interface ChatBoxEntryInfo {
  /** Whether the entry starts a group (see `startsGroup`); false for a continuation message. */
  readonly groupStart: boolean;
  readonly timeFormat: TimeFormat;
  readonly strings: ChatStrings;
}

/**
 * A message's text as ChatBox shows it (`ChatBoxProps.renderText`): the inside of its text element,
 * and, when that does not read as the message's text (`messageActions()`'s tombstone), the text its
 * row is named with instead.
 */
export interface RenderText {
  (text: string, message: ChatMessageEntry): ReactNode;
  /** The text of the row's accessible name (`strings.messageName`). Default: `message.text`. */
  readonly accessibleText?: (message: ChatMessageEntry) => string;
}

/** Props of {@link ChatBoxRow}. */
export interface ChatBoxRowProps {
  entry: ChatEntry;
  groupStart: boolean;
  /** The entry's place in the log (from 1) and the log's length: the row's `aria-posinset` and `aria-setsize`. */
  position: number;
  size: number;
  strings: ChatStrings;
  timeFormat: TimeFormat;
  renderEntry: ((entry: ChatEntry, info: ChatBoxEntryInfo) => ReactNode) | undefined;
  /** The inside of a message's text element (`ChatBoxProps.renderText`). */
  renderText: RenderText;
  className: string | undefined;
}

/**
 * One row of ChatBox, an `<article>` with its place in the whole log (virtualized: only some rows
 * are in the DOM): a message (sender, time, text, status; named `strings.messageName(sender, text,
 * time)`, its full date as `title`; a failed one, `persistentOutbox()`'s, also its Retry and Discard
 * buttons, `rwc-chatbox__actions`) or a notice (sign-in, rename, name change, leave, gap), or what `renderEntry` makes of it
 * inside ChatBox's row element. What users wrote gets `dir="auto"` or a `<bdi>`. Memoized: a row
 * re-renders when its entry (by identity), its group, its place or the log's length changes, and
 * its inside only for its entry or its group.
 */
export const ChatBoxRow = memo(function ChatBoxRow({
  entry,
  groupStart,
  position,
  size,
  strings,
  timeFormat,
  renderEntry,
  renderText,
  className,
}: ChatBoxRowProps) {
  const message = entry.kind === 'message' ? entry : null;
  const { avatars } = useChatContext();
  const [content, name, title] = useMemo(
    () => [
      rowContent(entry, groupStart, strings, timeFormat, renderEntry, renderText, avatars),
      message
        ? strings.messageName(
            message.own ? strings.ownSender : message.name,
            renderText.accessibleText?.(message) ?? message.text,
            timeFormat.time(message.date),
          )
        : undefined,
      message ? timeFormat.full(message.date) : undefined,
    ],
    [entry, message, groupStart, strings, timeFormat, renderEntry, renderText, avatars],
  );
  return (
    <article
      aria-posinset={position}
      aria-setsize={size}
      aria-label={name}
      title={title}
      className={cx('rwc-chatbox__row', className)}
      data-kind={entry.kind}
      data-group={groupStart ? 'start' : 'continue'}
      data-own={flag(message?.own)}
      data-status={message?.status}
    >
      {content}
    </article>
  );
});

/**
 * The inside of a row. A message shows its sender (after its avatar, with `<ChatProvider avatars>`,
 * others' only) and time on the first row of its group only, and
 * never the user's own name: those stay in the DOM for screen readers, with `rwc-visually-hidden`.
 */
function rowContent(
  entry: ChatEntry,
  groupStart: boolean,
  strings: ChatStrings,
  timeFormat: TimeFormat,
  renderEntry: ChatBoxRowProps['renderEntry'],
  renderText: ChatBoxRowProps['renderText'],
  avatars: AvatarRenderer | null | undefined,
): ReactNode {
  const message = entry.kind === 'message' ? entry : null;
  let content: ReactNode;
  if (renderEntry) {
    content = renderEntry(entry, { groupStart, timeFormat, strings });
  } else if (message) {
    content = (
      <>
        {groupStart && !message.own && avatars?.(message.name)}
        <span dir="auto" className={cx('rwc-chatbox__sender', (!groupStart || message.own) && 'rwc-visually-hidden')}>
          {message.name}
        </span>{' '}
        <time dir="auto" className={cx('rwc-chatbox__time', !groupStart && 'rwc-visually-hidden')} dateTime={timeFormat.iso(message.date)}>
          {timeFormat.time(message.date)}
        </time>{' '}
        <div dir="auto" className="rwc-chatbox__text">
          {renderText(message.text, message)}
        </div>
        {message.status !== 'delivered' && <span className="rwc-chatbox__status">{strings[message.status]}</span>}
        {message.status === 'failed' && <FailedActions entryKey={message.key} strings={strings} />}
      </>
    );
  } else if (entry.kind === 'gap') {
    content = <div className="rwc-chatbox__notice">{strings.missingMessages}</div>;
  } else {
    // Each name in a <bdi> (none if the sentence could not be cut): its direction never reorders the
    // sentence around it.
    const time = timeFormat.time(entry.date);
    const parts =
      entry.kind === 'namechange'
        ? splitAtName(strings.nameChanged, entry.previous, entry.name)
        : splitAtName(
            (n) => (entry.kind === 'signin' ? strings.signedIn(n, time) : entry.kind === 'leave' ? strings.left(n) : strings.renamed(n)),
            entry.name,
          );
    content = (
      <div className="rwc-chatbox__notice">
        {/* biome-ignore lint/suspicious/noArrayIndexKey: the parts of one sentence, always in the same order */}
        {parts.map((part, i) => (i % 2 ? <bdi key={i}>{part}</bdi> : part))}
      </div>
    );
  }
  return content;
}

/** A failed own message's buttons (`persistentOutbox()`): send it again, or remove it. */
function FailedActions({ entryKey, strings }: { entryKey: string; strings: ChatStrings }) {
  const { store } = useChatContext('ChatBox');
  return (
    <span className="rwc-chatbox__actions">
      <button type="button" onClick={() => store.retry(entryKey)}>
        {strings.retry}
      </button>{' '}
      <button type="button" onClick={() => store.discard(entryKey)}>
        {strings.discard}
      </button>
    </span>
  );
}
