import type { HistoryEntry, HistoryPage, HistoryPosition, RoomHistory } from '../RoomHistory.js';
import { AFTER_SCRIPT, AMEND_SCRIPT, BEFORE_SCRIPT, type roomKeys } from './redisScripts.js';
import { type RedisClient, runScript } from './runScript.js';

/**
 * The room's history in its Redis Stream, bounded for readers by count (the newest `limit`) and age
 * (`maxAge` ms), as MemoryHistory is. The broker's publish keeps every packet (one script numbers and
 * appends it), so `append` has nothing to do. Each read is one script: a consistent view, amended
 * entries as amended.
 */
export class RedisHistory implements RoomHistory {
  readonly #client: RedisClient;
  readonly #keys: ReturnType<typeof roomKeys>;
  readonly #limit: number;
  readonly #maxAge: number;
  readonly #position: () => HistoryPosition;

  constructor(client: RedisClient, keys: ReturnType<typeof roomKeys>, limit: number, maxAge: number, position: () => HistoryPosition) {
    this.#client = client;
    this.#keys = keys;
    this.#limit = limit;
    this.#maxAge = maxAge;
    this.#position = position;
  }

  position(): HistoryPosition {
    return this.#position();
  }

  append(): void {
    // Kept by the broker's publish, in the same step that numbered it.
  }

  /**
   * In the room's `amended` hash, read with the Stream by every node's reads (one script each): a
   * read that starts after this resolved serves `text`, on every node.
   */
  async amend(seq: number, text: string): Promise<void> {
    await runScript(this.#client, AMEND_SCRIPT, [this.#keys.log, this.#keys.amended], [String(seq), text]);
  }

  after(after: number, limit: number, now: number): Promise<HistoryPage> {
    return this.#read(AFTER_SCRIPT, after, limit, now);
  }

  before(before: number, limit: number, now: number): Promise<HistoryPage> {
    return this.#read(BEFORE_SCRIPT, before, limit, now);
  }

  async #read(script: string, at: number, count: number, now: number): Promise<HistoryPage> {
    const args = [String(now - this.#maxAge), String(this.#limit), String(at), String(Math.max(0, count))];
    const reply = (await runScript(this.#client, script, [this.#keys.seq, this.#keys.log, this.#keys.amended], args)) as (
      | string
      | number
    )[];
    const first = Number(reply[0]);
    const entries: HistoryEntry[] = [];
    for (let i = 1; i + 2 < reply.length; i += 3) {
      entries.push({ seq: Number(reply[i]), at: Number(reply[i + 1]), text: String(reply[i + 2]) });
    }
    return { entries, first: first >= 0 ? first : null };
  }
}
