// @vitest-environment node
// The readiness endpoint over a real redis-server (started here on a free loopback port; the file
// fails when it cannot be started): 200 while Redis is there, 503 once the node lost it (when it also
// refuses new connections with 1013), 200 again once Redis is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { type RedisServer, startRedis } from '../helpers/redisServer.ts';

/** The most a node may take to notice Redis gone or back (its reconnects poll every 100 ms). */
const NOTICE_MS = 3_000;

let redis: RedisServer;
let node: ChatServer | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await node?.close();
  await redis?.dispose();
});

/** `/ready`'s status and JSON body. */
async function ready(server: ChatServer): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url.replace('ws:', 'http:')}/ready`);
  return { status: response.status, body: await response.json() };
}

describe('GET /ready over Redis', () => {
  it('200 while Redis is there, 503 once it is lost, 200 again once it is back', { timeout: 15_000 }, async () => {
    node = await createChatServer({ port: 0, rateLimit: false, heartbeatInterval: 0, redis: { url: redis.url, key: 'test:ready' } });
    expect(await ready(node)).toEqual({ status: 200, body: { ready: true, redis: 'connected' } });

    await redis.stop();
    await expect
      .poll(() => ready(node as ChatServer), { timeout: NOTICE_MS, interval: 50 })
      .toEqual({ status: 503, body: { ready: false, reason: 'redis-unavailable', redis: 'lost' } });

    await redis.restart();
    await expect
      .poll(() => ready(node as ChatServer), { timeout: NOTICE_MS, interval: 50 })
      .toEqual({ status: 200, body: { ready: true, redis: 'connected' } });
  });
});
