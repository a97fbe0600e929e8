// The seam where a room is shared by several processes (the Redis room, src/server/redis): the
// broker numbers and carries the room's packets, and (optionally) keeps names unique across them.
import type { NameClaim } from './claimName.js';

/**
 * What numbers the room's packets and carries them to every process of the room (the Redis backend,
 * src/server/redis): in place of the room's own counter, each packet goes out through it and comes
 * back to every process's room, this one included, through `ChatRoom.deliver`, in one order.
 */
export interface RoomBroker {
  /**
   * Number `json` (a packet without `seq`), keep it and carry it to every process. Resolves with its
   * `seq`, or null when `dedupeKey` was published within the dedupe window (a resend: not published).
   */
  publish(json: string, at: number, dedupeKey?: string): Promise<number | null>;
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
  /** The name of the user `session` belongs to while it may rejoin (its connection open, or closed within `rejoinWindow`); null otherwise. */
  session(session: string): Promise<string | null>;
  /** `owner` (a member's session) is in the room as `name`; `replaces`: the session it rejoined with (that entry goes). */
  join(owner: string, name: string, replaces?: string): void;
  /** `owner` left (its session may rejoin within `rejoinWindow`). */
  leave(owner: string): void;
}
