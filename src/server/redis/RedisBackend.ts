// The room over Redis: every node numbers its packets with one Lua script (the room's sequence,
// shared), keeps them in one Stream (the history) and reads that Stream back (XREAD BLOCK), so every
// node delivers every packet once, in `seq` order, its own included. Loaded only by
// createChatServer({ redis }) (a dynamic import): nothing else of the package needs @redis/client.
import { randomBytes } from 'node:crypto';

import { createClient } from '@redis/client';

import type { Authorship, BrokerChange, RoomBroker } from '../RoomBroker.js';
import type { HistoryPosition, RoomHistory } from '../RoomHistory.js';
import { RedisHistory } from './RedisHistory.js';
import { RedisPresence } from './RedisPresence.js';
import { POSITION_SCRIPT, PUBLISH_SCRIPT, roomKeys } from './redisScripts.js';
import { authorshipOf, runEdit, StaleSequenceError } from './runEdit.js';
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
/** How often a node that lost Redis checks whether its connections are back (ms). */
const RECOVER_POLL_MS = 100;

/** What the backend tells the server. */
export interface RedisBackendEvents {
  /** A packet of the room, in `seq` order: give it to the room. */
  deliver(seq: number, text: string): void;
  /** A typing frame another node relayed: to this node's listeners. */
  typing(text: string): void;
  /**
   * The user of connection `session` rejoined on a new connection (on any node), just before the
   * packet `deliver` gets next: that connection, if it is this node's and still open, must go (4002).
   */
  replaced(session: string): void;
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
  /** The lease (ms) of a node, its names and its users in the list (`redis.lease`). */
  readonly lease: number;
  /** How long (ms) a session may rejoin after its connection closed. */
  readonly rejoinWindow: number;
  /** The clock (epoch ms), as the room's. */
  readonly now: () => number;
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
  /** Typing frames (pub/sub: not kept, never numbered; its client subscribes again after a reconnect). */
  readonly #subscriber: RedisClient;
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
  /** The names, the user list and the sessions of the room, and this node's lease. */
  readonly presence: RedisPresence;

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
    this.#subscriber = this.#commands.duplicate();
    // Its outages are the other two's: a frame lost meanwhile is renewed or forgotten by the clients.
    this.#subscriber.on('error', () => {});
    const lose = (error: unknown) => this.#lose(asError(error));
    for (const client of [this.#commands, this.#reader]) {
      client.on('error', lose);
      client.on('end', () => lose(new Error('Redis connection ended')));
    }
    this.presence = new RedisPresence({
      client: this.#commands,
      keys: this.#keys,
      lease: options.lease,
      rejoinWindow: options.rejoinWindow,
      maxlen: Math.max(options.historyLimit, FANOUT_RESERVE),
      now: options.now,
      state: () => ({ epoch: this.#epoch, node: this.#node, lost: this.#lost }),
      expired: (error) => this.#lose(error),
      error: (error) => this.#events?.error(error),
    });
    this.history =
      options.historyLimit > 0
        ? new RedisHistory(this.#commands, this.#keys, options.historyLimit, options.historyMaxAge, () => this.position())
        : null;
  }

  /** Connect to Redis at `options.url` and read where the room stands; rejects when Redis cannot be reached. */
  static async connect(options: RedisBackendOptions): Promise<RedisBackend> {
    const backend = new RedisBackend(options);
    try {
      await Promise.all([backend.#commands.connect(), backend.#reader.connect(), backend.#subscriber.connect()]);
      await backend.#readPosition();
      await backend.#claimNode();
      await backend.presence.start();
      backend.#started = true;
    } catch (error) {
      backend.#closed = true;
      backend.#commands.destroy();
      backend.#reader.destroy();
      backend.#subscriber.destroy();
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

  /** Start reading the room: every packet from the position on goes to `events.deliver`, other nodes' typing frames to `events.typing`. */
  start(events: RedisBackendEvents): void {
    this.#events = events;
    void this.#read();
    this.#subscriber
      .subscribe(this.#keys.typing, (message: string) => {
        // `NODE\nFRAME`: this node's own frames were delivered here already.
        const cut = message.indexOf('\n');
        if (message.slice(0, cut) !== String(this.#node)) events.typing(message.slice(cut + 1));
      })
      .catch((error: unknown) => events.error(asError(error)));
  }

  /** Carry a typing frame to the other nodes (at most once: lost while Redis is away). */
  typing(text: string): void {
    if (this.#lost) return;
    this.#commands.sendCommand(['PUBLISH', this.#keys.typing, `${this.#node}\n${text}`]).catch(() => {
      // An outage: reported by the connection; typing is not kept.
    });
  }

  claimName(owner: string, keys: readonly string[], previousOwner?: string): Promise<number> {
    return this.presence.claimName(owner, keys, previousOwner);
  }

  releaseName(owner: string): void {
    this.presence.releaseName(owner);
  }

  publish(json: string, at: number, dedupeKey?: string, written?: Authorship): Promise<number | null> {
    if (this.#lost) return Promise.reject(new Error('Redis unavailable: not published'));
    const { epoch, seq, log, nonce } = this.#keys;
    const window = this.#options.dedupeWindow;
    const author = authorshipOf(this.#keys, written);
    const keys = dedupeKey !== undefined && window > 0 ? [epoch, seq, log, nonce + dedupeKey, ...author.keys] : [epoch, seq, log];
    const maxlen = Math.max(this.#options.historyLimit, FANOUT_RESERVE);
    const args = [this.#epoch, json, String(at), String(maxlen), String(window), ...author.args];
    return runScript(this.#commands, PUBLISH_SCRIPT, keys, args).then((reply) => {
      const result = Number(reply);
      if (result === -1) {
        const error = new Error("The room's sequence changed under this node (Redis lost its data): not published");
        this.#lose(error);
        throw error;
      }
      return result === 0 ? null : result;
    });
  }

  edit(author: string, change: BrokerChange, at: number, check?: boolean): Promise<number | 'not-yours' | 'deleted'> {
    if (this.#lost) return Promise.reject(new Error('Redis unavailable: not published'));
    const context = {
      client: this.#commands,
      keys: this.#keys,
      epoch: this.#epoch,
      maxlen: Math.max(this.#options.historyLimit, FANOUT_RESERVE),
    };
    return runEdit(context, author, change, at, check).catch((error: unknown) => {
      if (error instanceof StaleSequenceError) this.#lose(error);
      throw error;
    });
  }

  /** Take this node's users out of the list (when Redis can be reached), stop reading and disconnect. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.presence.stop().catch(() => {
      // Redis out of reach: the lease lets the users go.
    });
    this.#reader.destroy();
    this.#subscriber.destroy();
    this.#commands.destroy();
  }

  /** Agree with Redis on where the room stands (POSITION_SCRIPT); true when its sequence began again. */
  async #readPosition(): Promise<boolean> {
    const { epoch, seq, log } = this.#keys;
    const fresh = randomBytes(9).toString('base64url');
    // With this node's epoch: a new sequence another node began is taken as it is, wherever it stands.
    const args = [fresh, String(this.#last), this.#epoch];
    const reply = (await runScript(this.#commands, POSITION_SCRIPT, [epoch, seq, log], args)) as [string, number];
    const changed = reply[0] !== this.#epoch;
    this.#epoch = reply[0];
    // The same sequence: read on from the last packet delivered (what others published meanwhile
    // is in the Stream); a new one (or the first reading): from where it stands.
    if (changed) this.#last = Number(reply[1]);
    return changed;
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

  /**
   * An XREAD reply (`[[key, [[id, [field, value, ...]], ...]]]`, or null): each new entry delivered in
   * order, after the takeover it carries (`replaced`, see presenceScripts.ts).
   */
  #deliver(reply: unknown): void {
    const streams = reply as [string, [string, string[]][]][] | null;
    for (const [id, fields] of streams?.[0]?.[1] ?? []) {
      const seq = Number.parseInt(id, 10);
      if (seq <= this.#last) continue;
      if (seq !== this.#last + 1) {
        this.#events?.error(new Error(`packets ${this.#last + 1} to ${seq - 1} were trimmed before this node read them`));
      }
      this.#last = seq;
      const replaced = fields[4] === 'replaced' ? fields[5] : undefined;
      if (replaced !== undefined) {
        this.presence.replaced(replaced);
        this.#events?.replaced(replaced);
      }
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
            this.presence.forget();
            await this.presence.start();
          } else {
            await this.presence.resync();
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
