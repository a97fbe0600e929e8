// A real redis-server for a test file, and the chat nodes its tests start on it.
import { afterAll, afterEach, beforeAll } from 'vitest';

import { createChatServer, type ChatServer, type ChatServerOptions } from '../../src/server/index.ts';
import { type RedisServer, startRedis } from './redisServer.ts';

/** What {@link redisNodesPerFile} gives a test file. */
export interface RedisNodes {
  /** The file's Redis, started before its first test, stopped after its last. */
  readonly redis: RedisServer;
  /** The nodes a test started: each test's are closed after it. */
  readonly nodes: Set<ChatServer>;
  /**
   * Start `count` nodes of the room `key` on the file's Redis, one after the other, with no rate
   * limit and no heartbeat (`options` over those) and the node lease `lease` (default the server's).
   */
  start(count: number, key: string, options?: ChatServerOptions, lease?: number): Promise<ChatServer[]>;
}

/**
 * Start a real `redis-server` (on a free loopback port) for the calling test file, and close the
 * nodes its tests add to `nodes` after each test. Fails, never skips, when Redis cannot be started.
 */
export function redisNodesPerFile(): RedisNodes {
  let redis: RedisServer | undefined;
  const nodes = new Set<ChatServer>();
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.dispose();
  });
  afterEach(async () => {
    await Promise.all([...nodes].map((node) => node.close()));
    nodes.clear();
  });
  const file: RedisNodes = {
    get redis() {
      if (!redis) throw new Error('The file’s Redis starts in beforeAll: read it in a test or a hook');
      return redis;
    },
    nodes,
    async start(count, key, options = {}, lease) {
      const started: ChatServer[] = [];
      for (let i = 0; i < count; i++) {
        const redisOptions = { url: file.redis.url, key, ...(lease !== undefined && { lease }) };
        const node = await createChatServer({ port: 0, rateLimit: false, heartbeatInterval: 0, ...options, redis: redisOptions });
        nodes.add(node);
        started.push(node);
      }
      return started;
    },
  };
  return file;
}
