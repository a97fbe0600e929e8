// The room over Redis: every node numbers its packets with one Lua script (the room's sequence,
// shared), keeps them in one Stream (the history) and reads that Stream back (XREAD BLOCK), so every
// node delivers every packet once, in `seq` order, its own included. Loaded only by
// createChatServer({ redis }) (a dynamic import): nothing else of the package needs @redis/client.
import { randomBytes } from 'node:crypto';

import { createClient } from '@redis/client';

import type { RoomBroker } from '../RoomBroker.js';
import type { HistoryPosition, RoomHistory } from '../RoomHistory.js';
import { RedisHistory } from './RedisHistory.js';
import { CLAIM_NAME_SCRIPT, POSITION_SCRIPT, PUBLISH_SCRIPT, RELEASE_NAME_SCRIPT, RENEW_NAMES_SCRIPT, roomKeys } from './redisScripts.js';
import { type RedisClient, runScript } from './runScript.js';

/**
 * Entries the Stream keeps at least, whatever the history's limit: it is also how nodes hear each
 * other, and a node that falls this far behind (a long pause) skips what was trimmed (logged).
 */
export const FANOUT_RESERVE = 1000;
/** Entries one XREAD takes at most. */
const READ_BATCH = 1000;
/**
 * Connection ids per node: node N gives ids from N × ID_RANGE + 1, so that ids are unique in the
 * room (clients tell their own packets by id). Safe integers for 9 million node starts.
 */
export const ID_RANGE = 1_000_000_000;
/**
 * How long (ms) a name stays taken without its node renewing it (every third of it): the most a dead
 * node's names stay taken. Long enough to ride out a pause of the node (a GC, a slow Redis), short
 * enough that its users can sign in again under their names soon after it died.
 */
export const NAME_LEASE_MS = 30_000;
/** How often a node that lost Redis checks whether its connections are back (ms). */
const RECOVER_POLL_MS = 100;

/** What the backend tells the server. */
export interface RedisBackendEvents {
  /** A packet of the room, in `seq` order: give it to the room. */
  deliver(seq: number, text: string): void;
  /** Redis cannot be reached (or the sequence changed under this node): stop serving. Once per outage. */
  lost(error: Error): void;
  /**
   * Redis is back; `resequenced`: its sequence began again (a new epoch at `position`), and this
   * node's connection ids start again from {@link RedisBackend.firstId} (a new range).
   */
  restored(position: HistoryPosition, resequenced: boolean): void;
  /** A failure that is not an outage (a gap in what this node read). */
  error(error: Error): void;
}

/** What the backend needs: the server's resolved options about Redis and history. */
export interface RedisBackendOptions {
  readonly url: string;
  /** The room's key prefix in Redis. */
  readonly key: string;
  /** The history's bounds (`historyLimit` 0: no history served). */
  readonly historyLimit: number;
  readonly historyMaxAge: number;
  /** How long (ms) a relayed message's (name, nonce) keeps a resend from being relayed again. */
  readonly dedupeWindow: number;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The room's Redis backend: its broker (the shared sequence and fan-out) and its history. */
export class RedisBackend implements RoomBroker {
  /** The history served to clients, or null without one (`historyLimit` 0). */
  readonly history: RoomHistory | null;
  readonly #commands: RedisClient;
  /** Its own connection: a blocked XREAD holds it. */
  readonly #reader: RedisClient;
  readonly #keys: ReturnType<typeof roomKeys>;
  readonly #options: RedisBackendOptions;
  #epoch = '';
  /** This node's number in the room (`K:nodes`): its range of connection ids. */
  #node = 0;
  /** The last `seq` delivered (or the room's position before the first). */
  #last = 0;
  #events: RedisBackendEvents | null = null;
  #lost = false;
  #recovering: Promise<void> | null = null;
  #closed = false;
  /** Connected once: from then on a lost connection is retried. */
  #started = false;
  /** The name key each owner (a connection's session) of this node holds. */
  readonly #names = new Map<string, string>();
  /** Names whose owner left while Redis was out of reach (name key -> owner): freed when it is back. */
  readonly #unreleased = new Map<string, string>();
  #renewing: ReturnType<typeof setInterval> | null = null;

  private constructor(options: RedisBackendOptions) {
    this.#options = options;
    this.#keys = roomKeys(options.key);
    // No offline queue, no retry of a command whose reply was lost: a publish either happened (and
    // is read back from the Stream) or failed; never sent twice after a reconnect.
    this.#commands = createClient({
      url: options.url,
      // RESP2: replies as plain arrays (what #deliver and the scripts' callers read), in every version.
      RESP: 2,
      disableOfflineQueue: true,
      // A start that cannot reach Redis fails (the cause); once started, it retries for as long as it runs.
      socket: { reconnectStrategy: (retries: number, cause: Error) => (this.#started ? Math.min(50 * 2 ** retries, 1000) : cause) },
    });
    this.#reader = this.#commands.duplicate();
    const lose = (error: unknown) => this.#lose(asError(error));
    for (const client of [this.#commands, this.#reader]) {
      client.on('error', lose);
      client.on('end', () => lose(new Error('Redis connection ended')));
    }
    this.history =
      options.historyLimit > 0
        ? new RedisHistory(this.#commands, this.#keys, options.historyLimit, options.historyMaxAge, () => this.position())
        : null;
  }

  /** Connect to Redis at `options.url` and read where the room stands; rejects when Redis cannot be reached. */
  static async connect(options: RedisBackendOptions): Promise<RedisBackend> {
    const backend = new RedisBackend(options);
    try {
      await Promise.all([backend.#commands.connect(), backend.#reader.connect()]);
      await backend.#readPosition();
      await backend.#claimNode();
      backend.#started = true;
    } catch (error) {
      backend.#closed = true;
      backend.#commands.destroy();
      backend.#reader.destroy();
      throw new Error(`cannot use Redis at ${options.url}: ${asError(error).message}`);
    }
    return backend;
  }

  /** The first connection id of this node's range. */
  get firstId(): number {
    return this.#node * ID_RANGE + 1;
  }

  /** Where the room's sequence stands (this node's view: the last `seq` it delivered). */
  position(): HistoryPosition {
    return { epoch: this.#epoch, seq: this.#last };
  }

  /** Start reading the room: every packet from the position on goes to `events.deliver`. */
  start(events: RedisBackendEvents): void {
    this.#events = events;
    void this.#read();
    this.#renewing = setInterval(() => this.#renewNames(), NAME_LEASE_MS / 3);
    this.#renewing.unref();
  }

  async claimName(owner: string, keys: readonly string[], previousOwner?: string): Promise<number> {
    if (this.#lost) throw new Error('Redis unavailable: no name claimed');
    const prefixed = keys.map((key) => this.#keys.name + key);
    const reply = Number(await runScript(this.#commands, CLAIM_NAME_SCRIPT, prefixed, [owner, String(NAME_LEASE_MS), previousOwner ?? '']));
    if (reply === 0) return -1;
    const claimed = prefixed[reply - 1] as string;
    const before = this.#names.get(owner);
    if (before !== undefined && before !== claimed) void this.#release(owner, before);
    if (previousOwner !== undefined) this.#names.delete(previousOwner);
    this.#names.set(owner, claimed);
    return reply - 1;
  }

  releaseName(owner: string): void {
    const key = this.#names.get(owner);
    if (key === undefined) return;
    this.#names.delete(owner);
    void this.#release(owner, key);
  }

  publish(json: string, at: number, dedupeKey?: string): Promise<number | null> {
    if (this.#lost) return Promise.reject(new Error('Redis unavailable: not published'));
    const { epoch, seq, log, nonce } = this.#keys;
    const window = this.#options.dedupeWindow;
    const keys = dedupeKey !== undefined && window > 0 ? [epoch, seq, log, nonce + dedupeKey] : [epoch, seq, log];
    const maxlen = Math.max(this.#options.historyLimit, FANOUT_RESERVE);
    return runScript(this.#commands, PUBLISH_SCRIPT, keys, [this.#epoch, json, String(at), String(maxlen), String(window)]).then(
      (reply) => {
        const result = Number(reply);
        if (result === -1) {
          const error = new Error("The room's sequence changed under this node (Redis lost its data): not published");
          this.#lose(error);
          throw error;
        }
        return result === 0 ? null : result;
      },
    );
  }

  /** Stop reading and disconnect. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#renewing) clearInterval(this.#renewing);
    this.#reader.destroy();
    this.#commands.destroy();
  }

  /** Agree with Redis on where the room stands (POSITION_SCRIPT); true when its sequence began again. */
  async #readPosition(): Promise<boolean> {
    const { epoch, seq, log } = this.#keys;
    const fresh = randomBytes(9).toString('base64url');
    const reply = (await runScript(this.#commands, POSITION_SCRIPT, [epoch, seq, log], [fresh, String(this.#last)])) as [string, number];
    const changed = reply[0] !== this.#epoch;
    this.#epoch = reply[0];
    this.#last = Number(reply[1]);
    return changed;
  }

  /** Free `key` if `owner` still holds it; if Redis cannot be reached, once it is back. */
  async #release(owner: string, key: string): Promise<void> {
    try {
      await runScript(this.#commands, RELEASE_NAME_SCRIPT, [key], [owner]);
    } catch {
      this.#unreleased.set(key, owner);
    }
  }

  /** Free the names whose owners left during an outage (their users reconnect and ask for them again). */
  async #releaseLeft(): Promise<void> {
    const left = [...this.#unreleased];
    this.#unreleased.clear();
    await Promise.all(left.map(([key, owner]) => this.#release(owner, key)));
  }

  /** Extend the leases of the names this node's connections hold. */
  async #renewNames(): Promise<void> {
    if (this.#lost || this.#names.size === 0) return;
    const entries = [...this.#names];
    try {
      await runScript(
        this.#commands,
        RENEW_NAMES_SCRIPT,
        entries.map(([, key]) => key),
        [String(NAME_LEASE_MS), ...entries.map(([owner]) => owner)],
      );
    } catch (error) {
      this.#events?.error(asError(error));
    }
  }

  /** Take the next node number: a range of connection ids no other node of the room uses. */
  async #claimNode(): Promise<void> {
    this.#node = Number(await this.#commands.sendCommand(['INCR', this.#keys.nodes]));
  }

  /** Read the Stream from the last `seq` on, for as long as the backend runs; an outage waits for recovery. */
  async #read(): Promise<void> {
    while (!this.#closed) {
      try {
        const reply = await this.#reader.sendCommand([
          'XREAD',
          'COUNT',
          String(READ_BATCH),
          'BLOCK',
          '0',
          'STREAMS',
          this.#keys.log,
          `${this.#last}-0`,
        ]);
        this.#deliver(reply);
      } catch (error) {
        if (this.#closed) return;
        this.#lose(asError(error));
        await this.#recovering;
      }
    }
  }

  /** An XREAD reply (`[[key, [[id, [field, value, ...]], ...]]]`, or null): each new entry delivered in order. */
  #deliver(reply: unknown): void {
    const streams = reply as [string, [string, string[]][]][] | null;
    for (const [id, fields] of streams?.[0]?.[1] ?? []) {
      const seq = Number.parseInt(id, 10);
      if (seq <= this.#last) continue;
      if (seq !== this.#last + 1) {
        this.#events?.error(new Error(`packets ${this.#last + 1} to ${seq - 1} were trimmed before this node read them`));
      }
      this.#last = seq;
      this.#events?.deliver(seq, fields[3] ?? '');
    }
  }

  /** Redis is out of reach: tell the server once, and recover (single flight). */
  #lose(error: Error): void {
    if (this.#closed) return;
    if (!this.#lost) {
      this.#lost = true;
      this.#events?.lost(error);
    }
    this.#recovering ??= this.#recover().finally(() => {
      this.#recovering = null;
    });
  }

  /** Wait until both connections are back, agree on the position again, and tell the server. */
  async #recover(): Promise<void> {
    while (!this.#closed) {
      if (this.#commands.isReady && this.#reader.isReady) {
        try {
          const resequenced = await this.#readPosition();
          // A Redis that lost the room lost the node numbers too: every node takes a new one.
          if (resequenced) {
            await this.#claimNode();
            // Their connections were closed, and Redis holds none of their names.
            this.#names.clear();
            this.#unreleased.clear();
          } else {
            await this.#releaseLeft();
          }
          this.#lost = false;
          this.#events?.restored(this.position(), resequenced);
          return;
        } catch {
          // Not back after all: try again.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, RECOVER_POLL_MS));
    }
  }
}
