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
}

/** A chat message from the client. */
export interface ClientMessagePacket {
  readonly type: 'message';
  readonly text: string;
  readonly id: number;
  readonly date: number;
  readonly nonce?: string;
}

/** Anything the client sends. */
export type ClientPacket = ClientUsernamePacket | ClientMessagePacket;

/** Encode the name request the client sends on receiving its id. */
export function encodeUsername(name: string, id: number, date: number = Date.now(), session?: string): ClientUsernamePacket {
  return session === undefined ? { type: 'username', name, id, date } : { type: 'username', name, id, date, session };
}

/** Encode a chat message. */
export function encodeMessage(text: string, id: number, date: number = Date.now(), nonce?: string): ClientMessagePacket {
  return nonce === undefined ? { type: 'message', text, id, date } : { type: 'message', text, id, date, nonce };
}
