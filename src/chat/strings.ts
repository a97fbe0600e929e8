/**
 * Every user-visible string of the chat components. Pass a partial object as `strings` to
 * `<ChatProvider>` to replace any of them (for another language, or other words).
 */
export interface ChatStrings {
  /** Accessible name of the message log. */
  messagesLabel: string;
  /** Accessible name of the user list. */
  usersLabel: string;
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
  /** The button that jumps to the newest message. */
  newMessages: (count: number) => string;
  /**
   * "User NAME signed in at TIME". `<ChatBox>` shows the name direction-isolated (in a `<bdi>`): it
   * finds where the sentence puts it by calling it once more with a placeholder (NUL), so keep
   * this a pure function and put `name` in as given; a sentence that changes the name is shown
   * as it returns it, without the isolation.
   */
  signedIn: (name: string, time: string) => string;
  /** The notice shown when the server gave another name; the name is isolated as in `signedIn`. */
  renamed: (name: string) => string;
  /** Where the server no longer held part of what the user missed (`chatHistory()`'s gap entries). */
  missingMessages: string;
  /** Status of an own message still waiting for a connection. */
  pending: string;
  /** Status of an own message on the wire, not yet echoed. */
  sent: string;
  /** The counter under the message field. */
  charactersLeft: (left: number) => string;
  /** An empty log. */
  noMessages: string;
  connecting: string;
  connected: string;
  closing: string;
  /** Waiting to reconnect: seconds left (rounded up) and the attempt number. */
  reconnecting: (seconds: number, attempt: number) => string;
  /** Offline: waiting for the network before reconnecting. */
  offline: string;
  /**
   * Closed for good: `code` is the close code, or null when there was no close to explain (never
   * connected, or an error shown beside it says why). The default names the codes a chat user
   * meets and gives the number of any other; the core's `closeCodeMeaning(code)` has words for
   * every code, in English, for a replacement that wants them.
   */
  disconnected: (code: number | null) => string;
  /** Prefix of an error shown to the user. */
  error: (message: string) => string;
  /** Shown by the message field when a message was refused because too many wait for the server. */
  sendRefused: string;
}

/** Why the connection closed, in the default `disconnected` sentence: the codes a chat user meets. */
const CLOSE_REASONS: Readonly<Record<number, string>> = {
  1000: 'the chat was closed',
  1001: 'the server is going away',
  1006: 'the connection was lost',
  // A policy close is not retried: say what the user can do.
  1008: 'refused by the server. Wait a minute, then reload the page',
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
  messageLabel: 'Message',
  send: 'Send',
  messagePlaceholder: 'Write a message',
  you: '(you)',
  unnamedUser: '(no name yet)',
  userCount: (count: number) => (count === 1 ? '1 user' : `${count} users`),
  newMessages: (count: number) => (count === 1 ? '1 new message' : `${count} new messages`),
  signedIn: (name: string, time: string) => `User ${name} signed in at ${time}`,
  renamed: (name: string) => `Your username has been set to ${name} because the name you chose is in use.`,
  missingMessages: 'Some messages may be missing',
  pending: 'Waiting to send',
  sent: 'Sending',
  charactersLeft: (left: number) => (left === 1 ? '1 character left' : `${left} characters left`),
  noMessages: 'No messages yet',
  connecting: 'Connecting…',
  connected: 'Connected',
  closing: 'Disconnecting…',
  reconnecting: (seconds: number, attempt: number) => `Reconnecting in ${seconds} s (attempt ${attempt})`,
  offline: 'Offline: waiting for the network',
  disconnected: (code: number | null) => {
    if (code === null) return 'Disconnected';
    const reason = CLOSE_REASONS[code];
    return reason ? `Disconnected: ${reason}` : `Disconnected (code ${code})`;
  },
  error: (message: string) => `Error: ${message}`,
  sendRefused: 'Not sent: too many messages are still waiting for the server. Try again in a moment.',
});

/** Formats message times: `<time dateTime>` gets `iso`, the reader sees `time`. */
export interface TimeFormat {
  readonly locale: string | undefined;
  /** The time of day, in the locale (e.g. "14:05" or "2:05 PM"). */
  time(date: number): string;
  /** The ISO 8601 form, for `<time dateTime>`. */
  iso(date: number): string;
}

/** A {@link TimeFormat} for `locale` (default: the host's), built once per locale. */
export function createTimeFormat(locale?: string): TimeFormat {
  const format = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
  return {
    locale,
    time: (date) => (isValidDate(date) ? format.format(date) : ''),
    iso: (date) => (isValidDate(date) ? new Date(date).toISOString() : ''),
  };
}

/** The range a JavaScript `Date` can hold: a packet's `date` outside it must not throw when shown. */
const MAX_DATE_MS = 8.64e15;

function isValidDate(date: number): boolean {
  return Number.isFinite(date) && Math.abs(date) <= MAX_DATE_MS;
}
