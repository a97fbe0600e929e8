// The options of the reference chat server: what each means, its default, and the one place they
// are checked (resolveOptions), so that the rest of the server reads resolved, valid values.
import { DEFAULT_MAX_NAME_LENGTH } from '../protocol/names.js';
import { MemoryHistory } from './MemoryHistory.js';
import type { RoomHistory } from './RoomHistory.js';
import type { ChatServerEvent } from './types.js';

/**
 * The most messages a connection may send in a burst, refilled evenly over `interval`, announced to
 * clients in `id` (`rateMessages` / `rateInterval`). Frames over it wait; only a flood is cut.
 */
export interface RateLimitOptions {
  /** Tokens in the bucket: the largest burst. Every frame a client sends costs one. */
  readonly messages: number;
  /** Milliseconds in which a full bucket refills. */
  readonly interval: number;
  /**
   * Frames over the rate that may wait for tokens (handled in order as the bucket refills); one
   * more, a flood far over the rate, closes the connection with 1008. Default `5 * messages`
   * (five bursts' worth: 100 at the default rate); 0 closes at the first frame over the rate.
   */
  readonly maxBacklog?: number;
}

/** Where the room lives in Redis (see {@link ChatServerOptions.redis}). */
export interface RedisRoomOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  readonly url: string;
  /** The prefix of the room's keys: nodes with the same URL and key are one room. Default `'rwc:room'`. */
  readonly key?: string;
  /**
   * The lease (ms) of a node in Redis: the node renews it, with its users' names and sessions,
   * every third of it; a node that dies stops, and its users leave every user list and their names
   * are free again at most a lease and a third after. Default 15 000 (a pause of the node up to two
   * renewals is ridden out); at least 300.
   */
  readonly lease?: number;
}

/** The shortest lease of a node in Redis (ms) the server accepts: see {@link RedisRoomOptions.lease}. */
export const MIN_REDIS_LEASE_MS = 300;

/** The default lease of a node in Redis (ms): see {@link RedisRoomOptions.lease}. */
export const REDIS_LEASE_MS = 15_000;

/** Options of {@link createChatServer}. Every limit has a default; sizes and times must be ≥ 0. */
export interface ChatServerOptions {
  /** Interface to listen on. Default `'127.0.0.1'` (local only; `'0.0.0.0'` or `'::'` for all). */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (read it from {@link ChatServer.port}). Default 6502. */
  readonly port?: number;
  /** Largest frame in bytes; a bigger one closes the connection with 1009. Default 64 KiB. */
  readonly maxPayload?: number;
  /**
   * Longest message text in UTF-16 code units (what the `maxlength` attribute counts, so anything a
   * `<MessageInput>` with the same limit lets through passes). A longer one is dropped and counted as
   * invalid. Default 2000.
   */
  readonly maxTextLength?: number;
  /** Longest user name in code points; a longer one is cut. Default 64. */
  readonly maxNameLength?: number;
  /**
   * Token bucket per connection: every frame costs a token; a frame with none left waits for one
   * (the client is slowed down, its frames handled in order), and one more than `maxBacklog`
   * waiting closes the connection with 1008. Default 20 per 10 s. `false` turns it off.
   */
  readonly rateLimit?: RateLimitOptions | false;
  /**
   * Invalid frames a connection may send (not JSON, binary, malformed, unknown type, text too long):
   * one more closes it with 1007. Counted over the connection's life. Default 10.
   */
  readonly maxInvalidPackets?: number;
  /**
   * Origins allowed to connect, e.g. `['https://chat.example.com']` (compared as URL origins, so case
   * and default ports do not matter). Absent: any origin, and none. Present: any other origin, or a
   * request without one, is refused with HTTP 403.
   */
  readonly allowedOrigins?: readonly string[];
  /** Ping every connection this often (ms); one that did not pong since the last ping is terminated. Default 30 s; 0 turns it off. */
  readonly heartbeatInterval?: number;
  /**
   * How long (ms) after a connection closed its `session` still lets the same user rejoin (protocol
   * extension): its `username` is then relayed with `rejoin: true`. At most 10 000 are kept. Default
   * 2 min; 0 turns rejoining after a close off (a half-open connection is still taken over).
   */
  readonly rejoinWindow?: number;
  /**
   * How long (ms) a relayed message's (name, nonce) is remembered to drop a resend. Default 10 min;
   * never less than `historyMaxAge` (a resend of a message the history still replays is dropped).
   */
  readonly dedupeWindow?: number;
  /** The most (name, nonce) pairs remembered; the oldest are forgotten first. Default 10 000; never less than `historyLimit`. */
  readonly dedupeCapacity?: number;
  /**
   * The most broadcast packets the in-memory history keeps for catch-ups and older pages (protocol
   * extension); the oldest are dropped first. Default 10 000; 0: no history (`id` announces none).
   */
  readonly historyLimit?: number;
  /** How long (ms) the in-memory history keeps a packet. Default 1 h. */
  readonly historyMaxAge?: number;
  /** How many packets of recent history a joining client that asks for it gets. Default 100. */
  readonly historyOnJoin?: number;
  /** The most packets one `history` reply holds (an older page, or one frame of a catch-up). Default 200, at least 1. */
  readonly historyPageSize?: number;
  /**
   * Another backend for the history (see {@link RoomHistory}), in place of the in-memory one that
   * `historyLimit` and `historyMaxAge` bound; it bounds itself.
   */
  readonly history?: RoomHistory;
  /**
   * Share the room with every other server process using the same Redis (a URL, or `{ url, key }`):
   * the room's sequence, its history (bounded by `historyLimit` and `historyMaxAge`, `history` is
   * then not used) and the resend check live in Redis, and every process delivers every packet in
   * one order; so do the user list, names, sessions (a user rejoins on any process) and typing. Needs the
   * optional peer dependency `@redis/client`; loaded only when given (README: "Several nodes over Redis").
   */
  readonly redis?: string | RedisRoomOptions;
  /** A connection with more bytes than this waiting to be sent (a reader too slow) is terminated. Default 1 MiB. */
  readonly maxBufferedAmount?: number;
  /** How long (ms) {@link ChatServer.close} waits for closing handshakes before terminating. Default 2000. */
  readonly shutdownTimeout?: number;
  /** Called with every notable event (never with message texts). Errors it throws are ignored. */
  readonly log?: (event: ChatServerEvent) => void;
  /** The clock, in epoch milliseconds: for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** The value of every option of {@link ChatServerOptions} that has one when it is left out. */
export const CHAT_SERVER_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 6502,
  maxPayload: 64 * 1024,
  maxTextLength: 2000,
  maxNameLength: DEFAULT_MAX_NAME_LENGTH,
  rateLimit: Object.freeze({ messages: 20, interval: 10_000, maxBacklog: 100 }),
  maxInvalidPackets: 10,
  heartbeatInterval: 30_000,
  rejoinWindow: 2 * 60_000,
  dedupeWindow: 10 * 60_000,
  dedupeCapacity: 10_000,
  historyLimit: 10_000,
  historyMaxAge: 60 * 60_000,
  historyOnJoin: 100,
  historyPageSize: 200,
  maxBufferedAmount: 1024 * 1024,
  shutdownTimeout: 2000,
});

/** {@link ChatServerOptions} checked, with their defaults filled in. */
export interface ResolvedChatServerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxPayload: number;
  readonly maxTextLength: number;
  readonly maxNameLength: number;
  readonly maxInvalidPackets: number;
  readonly heartbeatInterval: number;
  readonly rejoinWindow: number;
  readonly dedupeWindow: number;
  readonly dedupeCapacity: number;
  /** The history backend, or null: none kept, none announced (with `redis`: the server puts Redis's in). */
  readonly history: RoomHistory | null;
  /** Where the room lives in Redis, or null: in this process alone. */
  readonly redis: Required<RedisRoomOptions> | null;
  readonly historyLimit: number;
  readonly historyMaxAge: number;
  readonly historyOnJoin: number;
  readonly historyPageSize: number;
  readonly maxBufferedAmount: number;
  readonly shutdownTimeout: number;
  /** With its backlog filled in; false: none. */
  readonly rateLimit: Required<RateLimitOptions> | false;
  /** The allowed origins, normalized (see {@link normalizeOrigin}); null: any origin. */
  readonly allowedOrigins: ReadonlySet<string> | null;
  /** The logger, made safe: what it throws is ignored. */
  readonly log: (event: ChatServerEvent) => void;
  readonly now: () => number;
}

/** Check every option and fill in the defaults; throws a `RangeError` naming the first bad one. */
export function resolveOptions(options: ChatServerOptions): ResolvedChatServerOptions {
  const port = options.port ?? CHAT_SERVER_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, not ${String(port)}`);
  }
  const historyLimit = limit(options, 'historyLimit', 0);
  const historyMaxAge = limit(options, 'historyMaxAge', 1);
  return {
    host: options.host ?? CHAT_SERVER_DEFAULTS.host,
    port,
    maxPayload: limit(options, 'maxPayload', 1),
    maxTextLength: limit(options, 'maxTextLength', 1),
    maxNameLength: limit(options, 'maxNameLength', 1),
    maxInvalidPackets: limit(options, 'maxInvalidPackets', 0),
    heartbeatInterval: limit(options, 'heartbeatInterval', 0),
    rejoinWindow: limit(options, 'rejoinWindow', 0),
    // The dedupe covers the history: a resend of a message a catch-up can still replay is dropped.
    dedupeWindow: Math.max(limit(options, 'dedupeWindow', 0), historyLimit > 0 ? historyMaxAge : 0),
    dedupeCapacity: Math.max(limit(options, 'dedupeCapacity', 0), historyLimit),
    history: options.redis ? null : (options.history ?? (historyLimit > 0 ? new MemoryHistory(historyLimit, historyMaxAge) : null)),
    redis: redisOption(options.redis),
    historyLimit,
    historyMaxAge,
    historyOnJoin: limit(options, 'historyOnJoin', 0),
    historyPageSize: limit(options, 'historyPageSize', 1),
    maxBufferedAmount: limit(options, 'maxBufferedAmount', 0),
    shutdownTimeout: limit(options, 'shutdownTimeout', 0),
    rateLimit: rateOption(options),
    allowedOrigins: options.allowedOrigins ? new Set(options.allowedOrigins.map(normalizeOrigin)) : null,
    log: (event) => {
      try {
        options.log?.(event);
      } catch {
        // A logger's failure must not take the server down.
      }
    },
    now: options.now ?? Date.now,
  };
}

/** The Redis room with its key filled in, or null; throws on a URL that is not `redis:` or `rediss:`. */
function redisOption(redis: ChatServerOptions['redis']): Required<RedisRoomOptions> | null {
  if (redis === undefined) return null;
  const { url, key = 'rwc:room', lease = REDIS_LEASE_MS } = typeof redis === 'string' ? { url: redis } : redis;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // Reported below.
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new RangeError(`redis must be a redis:// or rediss:// URL, not ${JSON.stringify(url)}`);
  if (typeof key !== 'string' || key === '') throw new RangeError('redis.key must be a non-empty string');
  if (!(Number.isSafeInteger(lease) && lease >= MIN_REDIS_LEASE_MS))
    throw new RangeError(`redis.lease must be a whole number of ms, at least ${MIN_REDIS_LEASE_MS}`);
  return { url, key, lease };
}

/** The rate limit with its backlog filled in, or false for none; throws on a bad one. */
function rateOption(options: ChatServerOptions): Required<RateLimitOptions> | false {
  const rate: RateLimitOptions | false = options.rateLimit ?? CHAT_SERVER_DEFAULTS.rateLimit;
  if (!rate) return false;
  const { messages, interval, maxBacklog = 5 * messages } = rate;
  if (!(messages >= 1 && interval > 0 && maxBacklog >= 0)) {
    throw new RangeError('rateLimit needs messages >= 1, interval > 0 and maxBacklog >= 0');
  }
  return { messages, interval, maxBacklog };
}

/** A numeric option: its value or default, checked to be a finite number ≥ `min`. */
function limit(
  options: ChatServerOptions,
  key: Exclude<keyof typeof CHAT_SERVER_DEFAULTS, 'host' | 'port' | 'rateLimit'>,
  min: number,
): number {
  const value = options[key] ?? CHAT_SERVER_DEFAULTS[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${key} must be a finite number >= ${min}, not ${String(value)}`);
  }
  return value;
}

/** An origin as the browser sends it (`scheme://host[:port]`, lower case, no default port). */
export function normalizeOrigin(origin: string): string {
  try {
    const parsed = new URL(origin).origin;
    return parsed === 'null' ? origin.toLowerCase() : parsed;
  } catch {
    return origin.toLowerCase();
  }
}
