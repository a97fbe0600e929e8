import type { WebSocketError } from '../core/index.js';

/**
 * The chat's state as `ChatStore` publishes it: the log's entries, the problems the chat met, and
 * what the server announced of the protocol extension.
 */

/** Fields every log entry has. */
interface EntryBase {
  /** Stable and unique within the store: a React key. */
  readonly key: string;
  /** Epoch milliseconds: when it was sent (messages) or happened (notices). */
  readonly date: number;
}

/**
 * A chat message. The user's own messages appear as soon as they are written: `pending` while they
 * wait for a connection (or for a slow link to drain, or for the server's rate), `sent` once handed to the socket, `delivered` when the
 * server echoed them back; `failed` (only with a durable outbox, `persistentOutbox()`) when not
 * delivered within its `failAfter`: it waits for `ChatStore.retry(key)` or `discard(key)`, and a
 * late echo still makes it `delivered`. Everyone else's are `delivered`.
 */
export interface ChatMessageEntry extends EntryBase {
  readonly kind: 'message';
  /** The sender's connection id, or null for an own message not yet echoed. */
  readonly senderId: number | null;
  readonly name: string;
  readonly text: string;
  readonly own: boolean;
  readonly status: 'pending' | 'sent' | 'delivered' | 'failed';
}

/**
 * "User NAME signed in at TIME". Not logged for a name already present (a rejoin, a repeated
 * request), nor for one that comes back within `LEAVE_DELAY_MS` of leaving the user list (a
 * reconnect), nor for the user's own reconnect.
 */
export interface ChatSignInEntry extends EntryBase {
  readonly kind: 'signin';
  readonly senderId: number;
  readonly name: string;
  /**
   * True when it came from the server's history (`chatHistory()`): a sign-in that happened before
   * this user joined or while it was away, shown at its place in the log, not a new sign-in.
   */
  readonly history?: boolean;
}

/** "Your username has been set to NAME because the name you chose is in use." */
export interface ChatRenameEntry extends EntryBase {
  readonly kind: 'rename';
  /** The name the server gave. */
  readonly name: string;
  /** The name that was asked for. */
  readonly requested: string;
}

/**
 * "OLD is now NEW": a user (the user too) changed name. Not logged for the user's own rename when
 * the server gave another name than the one asked for: its `rename` notice tells it.
 */
export interface ChatNameChangeEntry extends EntryBase {
  readonly kind: 'namechange';
  readonly senderId: number;
  /** The name it had. */
  readonly previous: string;
  /** The name it has now. */
  readonly name: string;
}

/**
 * "NAME left": a name that left the user list and did not come back within `LEAVE_DELAY_MS` (a
 * reconnect does). `date` is when it left the list. MDN's protocol has no leave: the store infers it.
 */
export interface ChatLeaveEntry extends EntryBase {
  readonly kind: 'leave';
  readonly name: string;
}

/**
 * "Some messages may be missing" (`chatHistory()` only): the server no longer held part of what this
 * user missed (it was too old, or the server restarted and lost it). It stands where they were.
 */
export interface ChatGapEntry extends EntryBase {
  readonly kind: 'gap';
  /** The room's position (`seq`) of the first packet after the gap. */
  readonly before: number;
}

/** One line of the chat log. */
export type ChatEntry = ChatMessageEntry | ChatSignInEntry | ChatRenameEntry | ChatNameChangeEntry | ChatLeaveEntry | ChatGapEntry;

/** The history's state (`chatHistory()` only; see `ChatState.history`). */
export interface ChatHistoryState {
  /** Whether the current connection's server keeps history (it announced it in `id`). */
  readonly available: boolean;
  /** A catch-up (the recent history on joining, or what was missed after a reconnect) is on its way. */
  readonly catchingUp: boolean;
  /**
   * How many catch-ups this store completed (one per join of a server with history). A view that
   * compares two published states sees a catch-up by it even when one publication holds the whole
   * catch-up and the connection's end (`available` false again).
   */
  readonly caughtUp: number;
  /** An older page was asked for (`loadOlder()`) and has not come yet. */
  readonly loadingOlder: boolean;
  /** Whether the server may hold older packets than the log shows: false once a page said it has none. */
  readonly more: boolean;
  /**
   * Ask the server for the page of history before the oldest packet shown; it is put at the start
   * of the log when it comes (`loadingOlder` meanwhile; `more` false once there is nothing older).
   * The same function in every state of one store.
   *
   * @returns whether it was asked: false while the server keeps no history (or the connection is
   *   down), while a page or a catch-up is on its way, or when there is nothing older.
   */
  readonly loadOlder: () => boolean;
}

/**
 * A problem the chat met: the connection's, a packet that broke the protocol (`kind: 'packet'`), or
 * the durable outbox's storage (`kind: 'storage'`: IndexedDB unavailable, blocked or full; the chat
 * goes on with its messages in memory only).
 */
export type ChatError = WebSocketError | (Omit<WebSocketError, 'kind'> & { readonly kind: 'packet' | 'storage' });

/**
 * What the server announced of the kit's protocol extension in its `id` packet (see `IdPacket`).
 * MDN's sample server announces nothing: the state's `server` is then null.
 */
export interface ChatServerFeatures {
  /** The extension version it speaks. */
  readonly version: number;
  /** Its rate for this connection's frames (a token bucket), or null when it set none. */
  readonly rate: { readonly messages: number; readonly interval: number } | null;
}

/** Everything the chat knows, as one immutable value; unchanged slices keep their identity. */
export interface ChatState {
  /** The id the server gave this connection, or null before it did. */
  readonly clientId: number | null;
  /** The current user name: the one asked for, or the one the server gave instead. */
  readonly username: string;
  /** Whether the server knows the user by name on the current connection. */
  readonly signedIn: boolean;
  /** The protocol extension the current (or last) connection's server announced, or null for none. */
  readonly server: ChatServerFeatures | null;
  /** Connected users' names (`null`: a connection without a name yet), as the server last listed them. */
  readonly users: readonly (string | null)[];
  /** The log, oldest first, at most `maxEntries` long. */
  readonly entries: readonly ChatEntry[];
  /** Own messages not yet echoed by the server (pending, sent or failed). */
  readonly unconfirmed: number;
  /** Packets of a type the client does not know: ignored, counted. */
  readonly unknownPackets: number;
  /** Malformed packets: reported, skipped. */
  readonly malformedPackets: number;
  /** The latest problem, or null. */
  readonly error: ChatError | null;
  /** The history's state: absent without `chatHistory()` (`ChatStoreOptions.history`). */
  readonly history?: ChatHistoryState;
}
