/**
 * The MDN chat protocol ("Writing WebSocket client applications"): one JSON object per text frame.
 * Server-to-client packets first, then the two the client sends.
 */

/** The version of the kit's protocol extension that a server announcing `ext` speaks. */
export const PROTOCOL_EXTENSION_VERSION = 1;

/**
 * Sent once to a new connection: the id the server gave it. The reference server adds the fields
 * of the kit's protocol extension (MDN's client reads `id` alone; MDN's server sends none of them,
 * and the kit then uses none of the extension):
 * - `ext`: the extension version it speaks ({@link PROTOCOL_EXTENSION_VERSION}); it answers the text
 *   frame `ping` with `pong` (to that connection alone) and takes `session` in `username`;
 * - `session`: a secret naming this connection's user; sent back in `username` after a reconnect,
 *   it makes the server treat the user as the same one, rejoining;
 * - `rateMessages` / `rateInterval`: the server's rate for this connection's frames, a token bucket
 *   of `rateMessages` refilled evenly over `rateInterval` ms (absent: no limit); the chat store
 *   paces its frames by it (`createPacer`), so that the server never has to slow it down.
 */
export interface IdPacket {
  readonly type: 'id';
  readonly id: number;
  readonly ext?: number;
  readonly session?: string;
  readonly rateMessages?: number;
  readonly rateInterval?: number;
  /**
   * Extension (history): the server keeps the room's history and takes `history` requests; the
   * value is the most packets one `history` reply holds. Absent: no history, send no `history`.
   */
  readonly history?: number;
  /** Extension (history): the room's last `seq` when this connection joined; every packet it gets live has a greater one. */
  readonly seq?: number;
  /**
   * Extension (history): names the room's sequence. A `seq` means something only within one epoch:
   * a room that restarted without its history (the in-memory one) starts a new epoch.
   */
  readonly epoch?: string;
  /**
   * Extension (typing): the server relays `typing` frames ({@link ClientTypingPacket},
   * {@link TypingPacket}) between the connections that send them. Absent: send no `typing`.
   */
  readonly typing?: boolean;
  /**
   * Extension (edits): the server takes `edit` and `delete` frames for its users' own messages
   * ({@link ClientEditPacket}, {@link ClientDeletePacket}) and relays them ({@link EditPacket},
   * {@link DeletePacket}) to the connections that said they understand them (`edits: true` in
   * `username`, or an edit frame of their own). Absent: send none.
   */
  readonly edits?: boolean;
}

/** Sent only to the requester when the name it asked for is taken: `name` is the one it got instead. */
export interface RejectUsernamePacket {
  readonly type: 'rejectusername';
  readonly id: number;
  readonly name: string;
}

/** Everyone's names; a connection that has no name yet is `null`. */
export interface UserListPacket {
  readonly type: 'userlist';
  readonly users: readonly (string | null)[];
  /** Extension: its position in the room's sequence (see {@link RoomPacket}). */
  readonly seq?: number;
}

/** Someone signed in with `name`, or changed its name to `name` (relayed to everyone, the sender included). */
export interface UsernamePacket {
  readonly type: 'username';
  readonly id: number;
  readonly name: string;
  /** Epoch milliseconds, set by the sender. */
  readonly date: number;
  /** Extension: true when a user who was connected moments ago came back with its `session` (a reconnect, not a new user). */
  readonly rejoin?: boolean;
  /** Extension: the name this connection had before, when this is a rename (absent for a first name and a rejoin). */
  readonly previous?: string;
  /** Extension: its position in the room's sequence (see {@link RoomPacket}). */
  readonly seq?: number;
}

/** A chat message (relayed to everyone, the sender included); the server fills `name`. */
export interface MessagePacket {
  readonly type: 'message';
  readonly id: number;
  readonly name: string;
  readonly text: string;
  /** Epoch milliseconds, set by the sender. */
  readonly date: number;
  /**
   * The sender's own key for the message, when it sent one (an extension: MDN's sample server relays
   * unknown fields unchanged, and the reference server keeps it). Lets the sender recognise its own
   * echo, and lets a server drop a message resent after a reconnect.
   */
  readonly nonce?: string;
  /** Extension: its position in the room's sequence (see {@link RoomPacket}). */
  readonly seq?: number;
}

/** Anything the server sends. */
export type ServerPacket = IdPacket | RejectUsernamePacket | UserListPacket | UsernamePacket | MessagePacket;

/** The client's name request, sent after it learned its id. */
export interface ClientUsernamePacket {
  readonly type: 'username';
  readonly name: string;
  readonly id: number;
  readonly date: number;
  /** Extension: the `session` of the previous connection's `id`, to rejoin as the same user. Only sent to a server that announced `ext`. */
  readonly session?: string;
  /**
   * Extension (edits): this client understands `edit` and `delete` packets, so the server relays
   * them to it. Only sent to a server that announced `edits`.
   */
  readonly edits?: boolean;
}

/** A chat message from the client. */
export interface ClientMessagePacket {
  readonly type: 'message';
  readonly text: string;
  readonly id: number;
  readonly date: number;
  readonly nonce?: string;
}

/**
 * Extension (history), only to a server whose `id` announced `history`. Either a catch-up, answered
 * with `history` replies up to the moment this connection joined, the last one `done`, and only
 * then the live packets that came meanwhile:
 * - `after` (with the `epoch` it belongs to): what the client missed since that `seq`;
 * - neither: the room's recent history (a first join; how much is the server's choice);
 * or an older page: `before`, the most recent `limit` (bounded by the server) packets before that `seq`.
 */
export interface ClientHistoryPacket {
  readonly type: 'history';
  readonly after?: number;
  readonly epoch?: string;
  readonly before?: number;
  readonly limit?: number;
}

/**
 * Extension (typing), only to a server whose `id` announced `typing`: the user started typing
 * (`typing: true`, renewed while typing) or stopped (`false`: the field was emptied or sent). A
 * connection gets the others' {@link TypingPacket}s once it sent one (the kit sends `false` on
 * joining): so MDN's client, which never sends one, never gets any.
 */
export interface ClientTypingPacket {
  readonly type: 'typing';
  readonly typing: boolean;
}

/**
 * Extension (edits), only to a server whose `id` announced `edits`: replace the text of the user's
 * own message whose `nonce` this is (the one it was sent with). The server relays it as an
 * {@link EditPacket}, or answers the sender alone with an {@link EditRefusedPacket}.
 */
export interface ClientEditPacket {
  readonly type: 'edit';
  readonly nonce: string;
  readonly text: string;
}

/** Extension (edits): delete the user's own message whose `nonce` this is; see {@link ClientEditPacket}. */
export interface ClientDeletePacket {
  readonly type: 'delete';
  readonly nonce: string;
}

/** Anything the client sends. */
export type ClientPacket =
  | ClientUsernamePacket
  | ClientMessagePacket
  | ClientHistoryPacket
  | ClientTypingPacket
  | ClientEditPacket
  | ClientDeletePacket;

/** A packet the room broadcasts, with its position in the room's sequence (extension): what `history` replies hold. */
export type RoomPacket = (UsernamePacket | MessagePacket | UserListPacket) & { readonly seq: number };

/**
 * Extension (history): a reply to the client's `history`, never sent to a client that did not ask
 * (so not part of {@link ServerPacket}, the MDN packets). `packets` are oldest first.
 * - A catch-up's replies (no `before`) come in order, the last one `done: true`; `gap: N` (on the
 *   first) says packets before `seq` N that the client asked for are no longer held (or belong to
 *   another epoch): some may be missing there.
 * - An older page echoes `before`; `more: false` when the history holds nothing older.
 */
export interface HistoryPacket {
  readonly type: 'history';
  readonly packets: readonly RoomPacket[];
  readonly gap?: number;
  readonly done?: boolean;
  readonly before?: number;
  readonly more?: boolean;
}

/**
 * Extension (typing): another user started or stopped typing, relayed only to connections that sent
 * a `typing` frame themselves (so not part of {@link ServerPacket}, the MDN packets). Not kept in the
 * history, no `seq`.
 */
export interface TypingPacket {
  readonly type: 'typing';
  readonly id: number;
  readonly name: string;
  readonly typing: boolean;
}

/**
 * Extension (edits): the message of `name` sent with `nonce` now reads `text` (edited at `date`, the
 * server's clock; `id` is the editor's connection). A room packet: it has a `seq` and is kept in the
 * history, but the server relays it live only to connections that said they understand it (so not
 * part of {@link ServerPacket}, the MDN packets: MDN's client never gets one).
 */
export interface EditPacket {
  readonly type: 'edit';
  readonly id: number;
  readonly name: string;
  readonly nonce: string;
  readonly text: string;
  readonly date: number;
  readonly seq?: number;
}

/** Extension (edits): the message of `name` sent with `nonce` was deleted by its author; see {@link EditPacket}. */
export interface DeletePacket {
  readonly type: 'delete';
  readonly id: number;
  readonly name: string;
  readonly nonce: string;
  readonly date: number;
  readonly seq?: number;
}

/**
 * Why the server refused an edit or a delete:
 * - `not-yours`: no message of this user has that nonce (another user's, unknown, or older than the
 *   server remembers: its `dedupeWindow`);
 * - `deleted`: the message is deleted already;
 * - `blank`: an edit to blank text (delete it instead);
 * - `too-long`: the text is longer than `maxTextLength`.
 */
export type EditRefusal = 'not-yours' | 'deleted' | 'blank' | 'too-long';

/** Extension (edits): to the sender alone, its `edit` or `delete` of `nonce` was refused (no `seq`, not kept). */
export interface EditRefusedPacket {
  readonly type: 'edit' | 'delete';
  readonly nonce: string;
  readonly refused: EditRefusal;
}

/** Encode the name request the client sends on receiving its id. */
export function encodeUsername(name: string, id: number, date: number = Date.now(), session?: string): ClientUsernamePacket {
  return session === undefined ? { type: 'username', name, id, date } : { type: 'username', name, id, date, session };
}

/** Encode a chat message. */
export function encodeMessage(text: string, id: number, date: number = Date.now(), nonce?: string): ClientMessagePacket {
  return nonce === undefined ? { type: 'message', text, id, date } : { type: 'message', text, id, date, nonce };
}
