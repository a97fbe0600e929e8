/**
 * The MDN chat protocol ("Writing WebSocket client applications"): one JSON object per text frame.
 * Server-to-client packets first, then the two the client sends.
 */

/** Sent once to a new connection: the id the server gave it. */
export interface IdPacket {
  readonly type: 'id';
  readonly id: number;
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

/** Someone signed in with `name` (relayed to everyone, the sender included). */
export interface UsernamePacket {
  readonly type: 'username';
  readonly id: number;
  readonly name: string;
  /** Epoch milliseconds, set by the sender. */
  readonly date: number;
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

/** The packet types a client understands. */
export const SERVER_PACKET_TYPES = ['id', 'rejectusername', 'userlist', 'username', 'message'] as const;

/** Encode the name request the client sends on receiving its id. */
export function encodeUsername(name: string, id: number, date: number = Date.now()): ClientUsernamePacket {
  return { type: 'username', name, id, date };
}

/** Encode a chat message. */
export function encodeMessage(text: string, id: number, date: number = Date.now(), nonce?: string): ClientMessagePacket {
  return nonce === undefined ? { type: 'message', text, id, date } : { type: 'message', text, id, date, nonce };
}
