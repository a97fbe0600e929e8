import type { DecodedClientPacket } from '../protocol/decodeClientPacket.js';
import type { RoomBroker } from './RoomBroker.js';
import type { RoomHistory } from './RoomHistory.js';
import type { ChatServerEvent } from './types.js';

// What a ChatRoom is made with, and what its methods take and give, apart from what it does
// (ChatRoom.ts): the connection, the catch-up and a broker need only these.

/**
 * How the room reaches one connection, and all it needs of it. The server implements it over a `ws`
 * socket (ChatConnection); a room backed by a broker would take the same links for the connections
 * of its own process, and reach the others through the broker.
 */
export interface PeerLink {
  /** Whether what is sent now reaches the peer: false while its connection is closing or closed. */
  readonly open: boolean;
  /**
   * Send one text frame (a serialized packet). A link that is not open drops it. `sent`, when
   * given, is called once the frame left (or was dropped): a catch-up waits for it between frames.
   */
  send(text: string, sent?: () => void): void;
  /** Close the connection with `code` and `reason`; it leaves the room once closed (`ChatRoom.leave`). */
  close(code: number, reason: string): void;
}

/** A connection in the room, as `ChatRoom.join` admits it: what the room's other methods take. */
export interface RoomMember {
  /** Its `id`, unique in the room. */
  readonly id: number;
  /** The secret sent in `id` (protocol extension): a later connection that sends it back is this user rejoining. */
  readonly session: string;
}

/** The room's counters: its part of `ChatServerStats`. */
export interface RoomCounts {
  readonly messagesRelayed: number;
  readonly duplicateMessages: number;
  readonly blankMessages: number;
  readonly usernames: number;
  readonly rejoins: number;
  /** `typing` frames relayed (protocol extension), and those dropped (too soon, repeated, or from a member without a name). */
  readonly typingRelayed: number;
  readonly typingIgnored: number;
  /** `edit` and `delete` frames relayed (protocol extension), and those refused. */
  readonly editsRelayed: number;
  readonly deletesRelayed: number;
  readonly editsRefused: number;
}

/** What the room logs: its part of `ChatServerEvent`. */
export type RoomEvent = Extract<ChatServerEvent, { type: 'username' | 'duplicate' | 'error' }>;

/** Options of `ChatRoom`: the resolved server options it needs. */
export interface ChatRoomOptions {
  readonly maxNameLength: number;
  readonly rejoinWindow: number;
  readonly dedupeWindow: number;
  readonly dedupeCapacity: number;
  /** Where broadcast packets are kept for `history` requests, or null: none. */
  readonly history: RoomHistory | null;
  readonly historyOnJoin: number;
  readonly historyPageSize: number;
  /** The most bytes of live packets held for a member while its catch-up is sent; past it, it is closed with 1013. */
  readonly maxBufferedAmount: number;
  /** The clock, in epoch milliseconds. */
  readonly now: () => number;
  /** Shares the room with other processes; absent: this process alone numbers its packets. */
  readonly broker?: RoomBroker | null;
  /** The first member's `id` (default 1): processes sharing a room each give ids from a range of their own. */
  readonly firstId?: number;
  /** Must not throw. */
  readonly log: (event: RoomEvent) => void;
}

/** A message as the connection decoded and checked it (text and nonce within their bounds). */
export type RoomMessage = Extract<DecodedClientPacket, { type: 'message' }>;

/** A name request as the connection decoded it. */
export type RoomUsername = Extract<DecodedClientPacket, { type: 'username' }>;

/** An `edit` or `delete` as the connection decoded and checked it (nonce and text within their bounds). */
export type RoomEdit = Extract<DecodedClientPacket, { type: 'edit' | 'delete' }>;

/** A `history` request as the connection decoded and checked it (positions are integers ≥ 0). */
export type RoomHistoryRequest = Extract<DecodedClientPacket, { type: 'history' }>;
