/**
 * Every user-visible string of the chat components. Pass a partial object as `strings` to
 * `<ChatProvider>` to replace any of them (for another language, or other words).
 */
export interface ChatStrings {
  /** Accessible name of the message log. */
  messagesLabel: string;
  /** Accessible name of the user list. */
  usersLabel: string;
  /**
   * After `usersLabel` (in the heading, so in the list's accessible name too) while the chat is
   * not connected: the list is the last one the server sent, and may be out of date.
   */
  usersOffline: string;
  /** Label of the message field. */
  messageLabel: string;
  /** The send button. */
  send: string;
  /** Placeholder of the message field. */
  messagePlaceholder: string;
  /** After the current user's name in the user list. */
  you: string;
  /** A connected user who has not chosen a name yet. */
  unnamedUser: string;
  /** The user count. */
  userCount: (count: number) => string;
  /** The button that jumps to the newest message; also announced when it appears or its count changes. */
  newMessages: (count: number) => string;
  /**
   * A message as screen readers hear it: every row's accessible name, with its time ("bob, 9:30 AM:
   * hi"), and the announcement of a lone new message, without (`time` undefined: "bob: hi").
   */
  messageName: (sender: string, text: string, time?: string) => string;
  /** Who sent an own message, in its accessible name (no name shows over one's own messages). */
  ownSender: string;
  /** Announced for several new messages at once: how many, and their senders (each once, in order). */
  newMessagesFrom: (count: number, senders: readonly string[]) => string;
  /**
   * Who is typing (`<TypingIndicator>`, with `<ChatProvider typing>`): one or two names, or none
   * for three and more. Optional: its default ("bob is typing…", "bob and alice are typing…",
   * "Several people are typing…") comes with `<TypingIndicator>`, so that a chat without it does
   * not carry it. The names are shown direction-isolated, as in notices.
   */
  typing?: (names: readonly string[]) => string;
  /**
   * "User NAME signed in at TIME". `<ChatBox>` shows the name direction-isolated (in a `<bdi>`): it
   * finds where the sentence puts it by calling it once more with a placeholder (U+FDD0), so keep
   * this a pure function and put `name` in as given; a sentence that changes the name is shown
   * as it returns it, without the isolation.
   */
  signedIn: (name: string, time: string) => string;
  /** The notice shown when the server gave another name; the name is isolated as in `signedIn`. */
  renamed: (name: string) => string;
  /** "OLD is now NEW": a user changed name; both names are isolated as in `signedIn` (each must appear once). */
  nameChanged: (previous: string, name: string) => string;
  /** "NAME left": a user left the chat; the name is isolated as in `signedIn`. */
  left: (name: string) => string;
  /** Where the server no longer held part of what the user missed (`chatHistory()`'s gap entries). */
  missingMessages: string;
  /** Status of an own message still waiting for a connection. */
  pending: string;
  /** Status of an own message on the wire, not yet echoed. */
  sent: string;
  /** Status of an own message not delivered in time (`persistentOutbox()`'s `failAfter`). */
  failed: string;
  /** The button of a failed message that sends it again. */
  retry: string;
  /** The button of a failed message that removes it. */
  discard: string;
  /** The counter under the message field, shown near the limit. */
  charactersLeft: (left: number) => string;
  /** Under the message field while the chat is not connected: what happens to what is written now. */
  sendWhenConnected: string;
  /** An empty log. */
  noMessages: string;
  /** The button at the top of the log that asks for older history (`chatHistory()` only). */
  loadOlder: string;
  /** That button while the older page is on its way. */
  loadingOlder: string;
  connecting: string;
  connected: string;
  closing: string;
  /** Waiting to reconnect: seconds left (rounded up) and the attempt number. */
  reconnecting: (seconds: number, attempt: number) => string;
  /** Offline: waiting for the network before reconnecting. */
  offline: string;
  /** The button that retries at once while a retry is pending (or under way, or waits for the network). */
  retryNow: string;
  /** The button that connects again once disconnected for good. */
  reconnect: string;
  /**
   * Closed for good: `code` is the close code, or null when there was no close to explain (never
   * connected, or an error shown beside it says why). The default names the codes a chat user
   * meets and gives the number of any other; the core's `closeCodeMeaning(code)` has words for
   * every code, in English, for a replacement that wants them.
   */
  disconnected: (code: number | null) => string;
  /**
   * Prefix of an error shown to the user, once disconnected for good. While a retry is planned the
   * error is not shown (it is the status's `title`, and in `useChatStatus().error`).
   */
  error: (message: string) => string;
  /** Shown by the message field when a message was refused because too many wait for the server. */
  sendRefused: string;
}

/** Why the connection closed, in the default `disconnected` sentence: the codes a chat user meets. */
const CLOSE_REASONS: Readonly<Record<number, string>> = {
  1000: 'the chat was closed',
  1001: 'the server is going away',
  1006: 'the connection was lost',
  // A policy close is not retried: say what the user can do (the status offers "Reconnect").
  1008: 'refused by the server. Wait a minute, then reconnect',
  1009: 'a message was too big',
  1011: 'server error',
  1012: 'the server is restarting',
  1013: 'the server is busy, try again later',
  4000: 'no reply to the heartbeat',
};

/** The default, English strings. */
export const defaultChatStrings: Readonly<ChatStrings> = Object.freeze({
  messagesLabel: 'Messages',
  usersLabel: 'Users',
  usersOffline: '(offline)',
  messageLabel: 'Message',
  send: 'Send',
  messagePlaceholder: 'Write a message',
  you: '(you)',
  unnamedUser: '(no name yet)',
  userCount: (count: number) => (count === 1 ? '1 user' : `${count} users`),
  newMessages: (count: number) => (count === 1 ? '1 new message' : `${count} new messages`),
  messageName: (sender: string, text: string, time?: string) => `${sender}${time ? `, ${time}` : ''}: ${text}`,
  ownSender: 'You',
  // "bob", "bob and eve", "bob, eve, and ann", "bob, eve, and 3 others".
  newMessagesFrom: (count: number, senders: readonly string[]) =>
    `${count} new messages from ${new Intl.ListFormat('en').format(senders.length > 3 ? [...senders.slice(0, 2), `${senders.length - 2} others`] : senders)}`,
  signedIn: (name: string, time: string) => `User ${name} signed in at ${time}`,
  renamed: (name: string) => `Your username has been set to ${name} because the name you chose is in use.`,
  nameChanged: (previous: string, name: string) => `${previous} is now ${name}`,
  left: (name: string) => `${name} left`,
  missingMessages: 'Some messages may be missing',
  pending: 'Waiting to send',
  sent: 'Sending',
  failed: 'Not sent',
  retry: 'Retry',
  discard: 'Discard',
  charactersLeft: (left: number) => (left === 1 ? '1 character left' : `${left} characters left`),
  sendWhenConnected: 'Not connected: messages will be sent when reconnected.',
  noMessages: 'No messages yet',
  loadOlder: 'Load older messages',
  loadingOlder: 'Loading older messages…',
  connecting: 'Connecting…',
  connected: 'Connected',
  closing: 'Disconnecting…',
  reconnecting: (seconds: number, attempt: number) => `Reconnecting in ${seconds} s (attempt ${attempt})`,
  offline: 'Offline: waiting for the network',
  retryNow: 'Retry now',
  reconnect: 'Reconnect',
  disconnected: (code: number | null) => {
    if (code === null) return 'Disconnected';
    const reason = CLOSE_REASONS[code];
    return reason ? `Disconnected: ${reason}` : `Disconnected (code ${code})`;
  },
  error: (message: string) => `Error: ${message}`,
  sendRefused: 'Not sent: too many messages are still waiting for the server. Try again in a moment.',
});

/** Formats message times: `<time dateTime>` gets `iso`, the reader sees `time`, and `full` on hover. */
export interface TimeFormat {
  readonly locale: string | undefined;
  /** The time of day, in the locale (e.g. "14:05" or "2:05 PM"). */
  time(date: number): string;
  /** The date and time, in the locale (e.g. "Thursday, January 15, 2026 at 9:30 AM"): a message's `title`. */
  full(date: number): string;
  /** The ISO 8601 form, for `<time dateTime>`. */
  iso(date: number): string;
}

/** A {@link TimeFormat} for `locale` (default: the host's), built once per locale. */
export function createTimeFormat(locale?: string): TimeFormat {
  const format = (options: Intl.DateTimeFormatOptions) => {
    const formatter = new Intl.DateTimeFormat(locale, options);
    return (date: number) => (isValidDate(date) ? formatter.format(date) : '');
  };
  return {
    locale,
    time: format({ hour: 'numeric', minute: '2-digit' }),
    full: format({ dateStyle: 'full', timeStyle: 'short' }),
    iso: (date) => (isValidDate(date) ? new Date(date).toISOString() : ''),
  };
}

/** The range a JavaScript `Date` can hold: a packet's `date` outside it must not throw when shown. */
const MAX_DATE_MS = 8.64e15;

function isValidDate(date: number): boolean {
  return Number.isFinite(date) && Math.abs(date) <= MAX_DATE_MS;
}
