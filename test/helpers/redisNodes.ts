// A real redis-server for a test file, and the chat nodes its tests start on it.
import { afterAll, afterEach, beforeAll } from 'vitest';

import type { ChatServer } from '../../src/server/index.ts';
import { type RedisServer, startRedis } from './redisServer.ts';

/** What {@link redisNodesPerFile} gives a test file. */
export interface RedisNodes {
  /** The file's Redis, started before its first test, stopped after its last. */
  readonly redis: RedisServer;
  /** The nodes a test started: each test's are closed after it. */
  readonly nodes: Set<ChatServer>;
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
  return {
    get redis() {
      if (!redis) throw new Error('The file’s Redis starts in beforeAll: read it in a test or a hook');
      return redis;
    },
    nodes,
  };
}
