import { randomBytes } from 'node:crypto';

import type { HistoryEntry, HistoryPage, HistoryPosition, RoomHistory } from './RoomHistory.js';

/**
 * The default {@link RoomHistory}: the last `limit` entries no older than `maxAge` ms, in this
 * process's memory, so lost when it stops (a restarted server starts a new epoch: its clients are
 * told that what they missed before the restart may be missing). Every read is synchronous.
 */
export class MemoryHistory implements RoomHistory {
  /** Oldest first; `#head` entries at its start are dropped ones, compacted now and then. */
  #entries: HistoryEntry[] = [];
  #head = 0;
  readonly #limit: number;
  readonly #maxAge: number;
  readonly #epoch = randomBytes(9).toString('base64url');
  #last = 0;

  constructor(limit: number, maxAge: number) {
    this.#limit = limit;
    this.#maxAge = maxAge;
  }

  /** Entries held now (expired ones count until the next call that takes a clock). */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  position(): HistoryPosition {
    return { epoch: this.#epoch, seq: this.#last };
  }

  append(entry: HistoryEntry): void {
    this.#last = entry.seq;
    if (this.#limit === 0) return;
    this.#entries.push(entry);
    if (this.size > this.#limit) this.#head++;
    this.#prune(entry.at);
  }

  after(after: number, limit: number, now: number): HistoryPage {
    this.#prune(now);
    const start = this.#indexOf(after + 1);
    return this.#page(start, start + limit);
  }

  before(before: number, limit: number, now: number): HistoryPage {
    this.#prune(now);
    const end = this.#indexOf(before);
    return this.#page(Math.max(this.#head, end - limit), end);
  }

  amend(seq: number, text: string): void {
    const index = this.#indexOf(seq);
    const entry = this.#entries[index];
    if (entry?.seq === seq) this.#entries[index] = { seq, at: entry.at, text };
  }

  /** The index of `seq`, clamped to the entries held (seqs are contiguous: no search needed). */
  #indexOf(seq: number): number {
    const first = this.#entries[this.#head];
    if (!first) return this.#head;
    return Math.min(this.#entries.length, Math.max(this.#head, this.#head + seq - first.seq));
  }

  #page(start: number, end: number): HistoryPage {
    return { entries: this.#entries.slice(start, Math.max(start, end)), first: this.#entries[this.#head]?.seq ?? null };
  }

  /** Drop what is older than `maxAge`, and compact once the dropped part is the larger. */
  #prune(now: number): void {
    const entries = this.#entries;
    while (this.#head < entries.length && now - (entries[this.#head] as HistoryEntry).at >= this.#maxAge) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
