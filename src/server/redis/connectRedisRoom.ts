// The seam between the server and its Redis room: without the `redis` option nothing here loads
// @redis/client (the backend is imported only when asked for), so `npm start` and every server
// without Redis run without it installed.
import type { ChatRoom } from '../ChatRoom.js';
import type { ResolvedChatServerOptions } from '../options.js';
import type { RedisBackend } from './RedisBackend.js';

/** What the server does when Redis goes and comes back. */
export interface RedisRoomHooks {
  /** Redis is out of reach: close the connections, refuse new ones. */
  lost(): void;
  /** Redis is back: serve again. */
  restored(): void;
}

/** A server's room in Redis, connected. */
export interface RedisRoom {
  /** The server's options with Redis's history in place of the in-memory one. */
  readonly options: ResolvedChatServerOptions;
  readonly backend: RedisBackend;
  /** Deliver the room's packets to `room` from now on, and report outages to `hooks` and the log. */
  start(room: ChatRoom, hooks: RedisRoomHooks): void;
}

/** Connect the room to Redis when the options say so (null otherwise); rejects when it cannot. */
export async function connectRedisRoom(options: ResolvedChatServerOptions): Promise<RedisRoom | null> {
  const { redis, historyLimit, historyMaxAge, dedupeWindow, rejoinWindow, now, log } = options;
  if (!redis) return null;
  let module: typeof import('./RedisBackend.js');
  try {
    module = await import('./RedisBackend.js');
  } catch (error) {
    throw new Error(`the redis option needs the package @redis/client (npm install @redis/client): ${String(error)}`);
  }
  const backend = await module.RedisBackend.connect({ ...redis, historyLimit, historyMaxAge, dedupeWindow, rejoinWindow, now });
  return {
    options: { ...options, history: backend.history },
    backend,
    start: (room, hooks) =>
      backend.start({
        deliver: (seq, text) => room.deliver(seq, text),
        typing: (text) => room.typingFrom(text),
        replaced: (session) => room.rejoinedElsewhere(session),
        lost: (error) => {
          log({ type: 'redis', state: 'lost', detail: error.message });
          hooks.lost();
        },
        restored: (position, resequenced) => {
          if (resequenced) room.resequence(position, backend.firstId);
          log({ type: 'redis', state: 'restored', detail: resequenced ? `a new sequence from ${position.seq}` : `at ${position.seq}` });
          hooks.restored();
        },
        error: (error) => log({ type: 'error', id: null, error }),
      }),
  };
}
