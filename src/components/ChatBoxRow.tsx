'use client';

import { memo, type ReactNode } from 'react';
import type { ChatEntry, ChatStrings, TimeFormat } from '../chat/index.js';
import { cx, flag } from './cx.js';
import { splitAtName } from './splitAtName.js';

/** What `ChatBoxProps.renderEntry` gets besides the entry. */
export interface ChatBoxEntryInfo {
  /** Whether the entry starts a group (see `startsGroup`); false for a continuation message. */
  readonly groupStart: boolean;
  readonly timeFormat: TimeFormat;
  readonly strings: ChatStrings;
}

/** Props of {@link ChatBoxRow}. */
export interface ChatBoxRowProps {
  entry: ChatEntry;
  groupStart: boolean;
  strings: ChatStrings;
  timeFormat: TimeFormat;
  renderEntry: ((entry: ChatEntry, info: ChatBoxEntryInfo) => ReactNode) | undefined;
  className: string | undefined;
}

/**
 * One row of ChatBox: a message (sender, time, text, status), a sign-in / rename / gap notice, or what
 * `renderEntry` makes of it inside ChatBox's row element. What users wrote gets `dir="auto"` or a
 * `<bdi>`. Memoized: a row re-renders only when its entry (by identity) or its group changes.
 */
export const ChatBoxRow = memo(function ChatBoxRow({ entry, groupStart, strings, timeFormat, renderEntry, className }: ChatBoxRowProps) {
  const message = entry.kind === 'message' ? entry : null;
  let content: ReactNode;
  if (renderEntry) {
    content = renderEntry(entry, { groupStart, timeFormat, strings });
  } else if (message) {
    content = (
      <>
        <span dir="auto" className={cx('rwc-chatbox__sender', !groupStart && 'rwc-visually-hidden')}>
          {message.name}
        </span>{' '}
        <time className="rwc-chatbox__time" dateTime={timeFormat.iso(message.date)}>
          {timeFormat.time(message.date)}
        </time>{' '}
        <div dir="auto" className="rwc-chatbox__text">
          {message.text}
        </div>
        {message.status !== 'delivered' && (
          <span className="rwc-chatbox__status">{message.status === 'pending' ? strings.pending : strings.sent}</span>
        )}
      </>
    );
  } else if (entry.kind === 'gap') {
    content = <div className="rwc-chatbox__notice">{strings.missingMessages}</div>;
  } else {
    // The name in a <bdi> (empty if the sentence could not be cut): its direction never reorders the
    // sentence around it.
    const time = timeFormat.time(entry.date);
    const [before, name, after] = splitAtName(
      (n) => (entry.kind === 'signin' ? strings.signedIn(n, time) : strings.renamed(n)),
      entry.name,
    );
    content = (
      <div className="rwc-chatbox__notice">
        {before}
        <bdi>{name}</bdi>
        {after}
      </div>
    );
  }
  return (
    <div
      className={cx('rwc-chatbox__row', className)}
      data-kind={entry.kind}
      data-group={groupStart ? 'start' : 'continue'}
      data-own={flag(message?.own)}
      data-status={message?.status}
    >
      {content}
    </div>
  );
});
