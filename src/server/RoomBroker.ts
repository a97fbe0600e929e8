// The seam where a room is shared by several processes (the Redis room, src/server/redis): the
// broker numbers and carries the room's packets, and (optionally) keeps names unique across them.
import type { DeletePacket, EditPacket } from '../protocol/packets.js';
import type { NameClaim } from './claimName.js';
import type { SessionUser } from './sessions.js';

/** Whose a message is (`Editor.author`), the name it goes out under and its nonce: what an `edit` of it is checked against. */
export interface Authorship {
  readonly author: string;
  readonly name: string;
  readonly nonce: string;
}

/** An `edit` or `delete` for the broker to relay: its `name` is the one the message went out under, which the broker keeps. */
export type BrokerChange = Omit<EditPacket, 'name' | 'seq'> | Omit<DeletePacket, 'name' | 'seq'>;

/**
 * What numbers the room's packets and carries them to every process of the room (the Redis backend,
 * src/server/redis): in place of the room's own counter, each packet goes out through it and comes
 * back to every process's room, this one included, through `ChatRoom.deliver`, in one order.
 */
export interface RoomBroker {
  /**
   * Number `json` (a packet without `seq`), keep it and carry it to every process. Resolves with its
   * `seq`, or null when `dedupeKey` was published within the dedupe window (a resend: not published).
   * `written` (with a `dedupeKey`): a message, its author's to change from then on (see {@link edit}).
   */
  publish(json: string, at: number, dedupeKey?: string, written?: Authorship): Promise<number | null>;
  /**
   * Who may change a message, known to every process (absent: to the one that relayed it, see
   * EditRelay): if the message `change.nonce` is `author`'s (published with it as `written`, within
   * the dedupe window) and not deleted, number and carry `change` (a `delete` marks it deleted), in
   * one step for every process. Resolves with its `seq`, or why it was refused; `check`: nothing
   * published, 0 when it may be changed.
   */
  edit?(author: string, change: BrokerChange, at: number, check?: boolean): Promise<number | 'not-yours' | 'deleted'>;
  /**
   * Names unique across processes: claim for `owner` (a member's session) the first of `keys` (name
   * keys, in order of preference) no one else holds, or one `previousOwner` holds (a user rejoining
   * with its session). Resolves with its index, -1 when all are taken. The owner's earlier name is freed.
   */
  readonly claimName?: NameClaim;
  /** Free the name `owner` holds (its member left). */
  releaseName?(owner: string): void;
  /** Carry a typing frame a member's room relayed to the other processes (absent: typing stays in each process). */
  typing?(text: string): void;
  /** The user list shared by every process (absent: each room lists its own members). */
  readonly presence?: RoomPresence;
}

/**
 * The room's user list across processes: the broker publishes every `userlist` (in the sequence,
 * listing every process's named members); the room tells it who came and went. Sessions are shared
 * too, so that a user rejoins on any process.
 */
export interface RoomPresence {
  /**
   * The user `session` belongs to (its name, and whose its messages are: `Editor.author`) while it
   * may rejoin (its connection open, or closed within `rejoinWindow`); null otherwise.
   */
  session(session: string): Promise<SessionUser | null>;
  /**
   * `owner` (a member's session) is in the room as `name`, the author `author` (kept with its
   * session, never sent); `replaces`: the session it rejoined with (that entry goes, and the process
   * holding that connection, if still open, closes it: `ChatRoom.rejoinedElsewhere`).
   */
  join(owner: string, name: string, author: string, replaces?: string): void;
  /** `owner` left (its session may rejoin within `rejoinWindow`). */
  leave(owner: string): void;
}
