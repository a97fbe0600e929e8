import type { OutgoingData } from './types.js';

/** A send of a follower tab that the leader has not answered yet. */
export interface PendingSend {
  readonly id: number;
  readonly data: OutgoingData;
  /** The open connection it was posted for, or null while it waits to be posted. */
  epoch: string | null;
}

/**
 * The sends of a follower tab until the leader answers them, in order. A send is posted for one
 * open connection (its epoch); the leader sends it only on that connection, and otherwise answers
 * "wait": then it, and every later one posted for the same connection, waits for the next. So a
 * tab's sends go out in the order it made them, once each (or, when a leader dies before it
 * answered, once more to the next: a chat message carries a `nonce` the server dedupes).
 */
export class TabOutbox {
  readonly #items: PendingSend[] = [];
  #nextId = 0;

  /** How many sends wait for an answer. */
  get size(): number {
    return this.#items.length;
  }

  /** Whether any send waits to be posted. */
  get waiting(): boolean {
    return this.#items.some((item) => item.epoch === null);
  }

  /** Keep `data`, not posted yet. */
  add(data: OutgoingData): PendingSend {
    const item: PendingSend = { id: ++this.#nextId, data, epoch: null };
    this.#items.push(item);
    return item;
  }

  /** The sends not posted yet, in order, now marked as posted for `epoch`. */
  post(epoch: string): PendingSend[] {
    const posted = this.#items.filter((item) => item.epoch === null);
    for (const item of posted) item.epoch = epoch;
    return posted;
  }

  /** The leader answered send `id` (sent, queued in its outbox, or rejected): forget it. */
  settle(id: number): PendingSend | undefined {
    const index = this.#items.findIndex((item) => item.id === id);
    return index < 0 ? undefined : this.#items.splice(index, 1)[0];
  }

  /** The leader answered "wait" to send `id`: it and the later ones posted for its connection wait again. */
  rewind(id: number): void {
    const found = this.#items.find((item) => item.id === id);
    if (!found?.epoch) return;
    const epoch = found.epoch;
    for (const item of this.#items) if (item.id >= id && item.epoch === epoch) item.epoch = null;
  }

  /** Another leader: whatever the last one did not answer is posted again. */
  rewindAll(): void {
    for (const item of this.#items) item.epoch = null;
  }

  /** Take back the sends not posted yet that `filter` accepts (all without one), in order. */
  discard(filter?: (data: OutgoingData) => boolean): OutgoingData[] {
    const taken: OutgoingData[] = [];
    for (let i = 0; i < this.#items.length; ) {
      const item = this.#items[i] as PendingSend;
      if (item.epoch === null && (!filter || filter(item.data))) {
        taken.push(item.data);
        this.#items.splice(i, 1);
      } else i++;
    }
    return taken;
  }

  /** Take everything (this tab becomes the leader and sends them itself), in order. */
  drain(): OutgoingData[] {
    return this.#items.splice(0).map((item) => item.data);
  }
}
