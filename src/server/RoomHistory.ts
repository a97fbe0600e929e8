// The seam where the room's history is kept: the in-memory default (MemoryHistory) or another
// backend (Redis, #16) behind the same methods. Every method may answer at once or with a promise.

/** One packet the room broadcast, as it was sent: its position, when it was kept, and its JSON text. */
export interface HistoryEntry {
  /** Its position in the room's sequence: ≥ 1, each one more than the one before (gap-free). */
  readonly seq: number;
  /** When the room kept it (the server's clock, epoch ms): what the age bound counts from. */
  readonly at: number;
  /** The packet as sent, JSON (with its `seq`): replayed as it is, never parsed again. */
  readonly text: string;
}

/** Entries a read found, oldest first, and the oldest `seq` the history holds now (null: none). */
export interface HistoryPage {
  readonly entries: readonly HistoryEntry[];
  readonly first: number | null;
}

/** Where a room's sequence stands: what a room started on a kept history continues from. */
export interface HistoryPosition {
  /** Names the sequence: a new one for a history that starts empty (a `seq` from another epoch means nothing here). */
  readonly epoch: string;
  /** The last `seq` kept (0: none yet). */
  readonly seq: number;
}

/** A value or a promise of it: an in-memory backend answers at once, a remote one later. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The room's history: what it broadcast (as amended by edits and deletes), bounded (by count and age, or however the backend bounds
 * it), for catch-ups and older pages. The room numbers the packets and appends them in order; a
 * read must see every append made before it (a backend that queues its commands in order, as one
 * Redis connection does, has this for free). `now` is the server's clock, for the age bound.
 */
export interface RoomHistory {
  /** Where the sequence stands when the room starts: read once, before the first append. */
  position(): MaybePromise<HistoryPosition>;
  /** Keep `entry` (its `seq` is the last one plus one). What it throws or rejects is logged, not fatal. */
  append(entry: HistoryEntry): MaybePromise<void>;
  /** The entries with `seq` > `after`, oldest first, at most `limit` of them. */
  after(after: number, limit: number, now: number): MaybePromise<HistoryPage>;
  /** The latest `limit` entries with `seq` < `before`, oldest first. */
  before(before: number, limit: number, now: number): MaybePromise<HistoryPage>;
  /**
   * From now on serve the entry `seq` as `text` (its `at` unchanged), if it still holds it: an edit
   * or delete erases what it replaced (the room calls it before it appends the change). Every read
   * that starts after it resolves, on any process sharing the history, must serve `text`.
   */
  amend(seq: number, text: string): MaybePromise<void>;
}
