import type { WebSocketError } from '../core/index.js';
import type { EditRefusal } from '../protocol/index.js';

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
  /** The sender's key for it (protocol extension), when it sent one: what an edit or a delete names. */
  readonly nonce?: string;
  /** When it was last edited (epoch ms), with `messageEdits()`: `text` is the edited text. */
  readonly edited?: number;
  /** It was deleted by its author, with `messageEdits()`: `text` is then empty; shown as "Message deleted". */
  readonly deleted?: boolean;
  /** The user's own edit or delete of it that the server has not confirmed yet, with `messageEdits()`. */
  readonly change?: ChatMessageChange;
}

/**
 * An own edit or delete on its way (`messageEdits()`): `pending` while it waits for the server (for
 * the connection, for the message's own echo, or for the relay of the change); `failed` when the
 * server refused it (`reason`): the entry keeps showing what the user wanted until they retry it
 * (`ChatEditsState.retry`) or drop it (`dismiss`: the message as the server has it). For a delete that
 * failed, the message shows again.
 */
export interface ChatMessageChange {
  readonly kind: 'edit' | 'delete';
  readonly status: 'pending' | 'failed';
  /** Why the server refused it (`failed` only). */
  readonly reason?: EditRefusal;
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
 * Editing and deleting own messages (`messageEdits()` only; see `ChatState.edits`). Every action
 * takes the entry's `key`, and returns whether it was taken: only an own message, with a nonce,
 * delivered or on its way (not `failed`), not deleted, while the server announced edits.
 */
export interface ChatEditsState {
  /** Whether the current (or last) connection's server announced `edits` in `id`: else nothing is offered, nothing sent. */
  readonly available: boolean;
  /** The key of the own message being edited in the UI (`startEditing`), or null. */
  readonly editing: string | null;
  /**
   * Give an own message a new text: shown at once (`edited`, `change` pending), sent once the
   * message is confirmed and the user signed in (again after a reconnect), in the order written.
   * False for blank text (delete it instead), or an entry that cannot be edited.
   */
  readonly edit: (key: string, text: string) => boolean;
  /** Delete an own message: shown at once as deleted (`change` pending), sent as `edit` is. */
  readonly remove: (key: string) => boolean;
  /** Send a `failed` change again. */
  readonly retry: (key: string) => boolean;
  /** Drop a `failed` change: the message shows as the server has it. */
  readonly dismiss: (key: string) => boolean;
  /** Say which own message the UI edits (null: none); false when that one cannot be edited. */
  readonly startEditing: (key: string | null) => boolean;
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
  /** Editing and deleting own messages: absent without `messageEdits()` (`ChatStoreOptions.edits`). */
  readonly edits?: ChatEditsState;
}
