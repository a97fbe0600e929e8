// Several nodes over Redis, long: 3 reference servers in processes of their own over a real
// redis-server (fails when it cannot start one), 150 of the kit's own clients spread over them by a
// round-robin `url` (a load balancer), every client writing throughout. During the traffic nodes are
// SIGKILLed (each replaced by a new one once every client is back and the user list is one again) and
// Redis is restarted with its data. Every client must show every message exactly once, the others'
// in the room's one order, its own name, and the same user list as everyone. The short versions are
// test/server/redisCluster.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runClusterTraffic } from '../../helpers/clusterTraffic.ts';
import { type RedisServer, startRedis } from '../../helpers/redisServer.ts';
import { recordFigures } from '../lib/figures.ts';

const CLIENTS = 150;
const ROUNDS = 20;
const LEASE_MS = 3000;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.dispose();
});

describe('3 nodes over Redis, 150 of the kit’s clients, faults during the traffic', () => {
  it('survives 8 node kills and 3 Redis restarts: every message once everywhere, in one order, names kept, one user list', async () => {
    const started = performance.now();
    const kills = ['kill+respawn', 'kill+respawn', 'kill+respawn'] as const;
    const faults = [...kills, 'redis', 'kill+respawn', 'kill+respawn', 'redis', ...kills, 'redis'] as const;
    const figures = await runClusterTraffic({
      redis,
      nodes: 3,
      clients: CLIENTS,
      rounds: ROUNDS,
      every: 2,
      lease: LEASE_MS,
      faults,
      timeout: 60_000,
    });
    expect(figures.kills).toBe(8);
    expect(figures.redisRestarts).toBe(3);
    expect(figures.gaps).toBe(0);
    recordFigures('Several nodes over Redis', 'npm run test:reliability', [
      { what: 'nodes, clients', value: `3 (in processes), ${CLIENTS} (ChatStore + WebSocketClient, resuming)` },
      { what: 'messages written', value: figures.messages },
      { what: 'messages checked (each at each client: once, in one order)', value: figures.checked },
      { what: 'node kills survived (SIGKILL)', value: `${figures.kills} (${figures.moved} clients moved to another node)` },
      { what: 'Redis restarts survived (data kept)', value: figures.redisRestarts },
      { what: 'connections lost by the clients (of them 1013)', value: `${figures.closes} (${figures.closes1013})` },
      { what: `all back and one user list, after each kill (ms, lease ${LEASE_MS})`, value: figures.convergedMs.join(', ') },
      { what: 'nodes that found their lease run out (stalled past it)', value: figures.leaseExpiries },
      { what: 'gap markers shown', value: figures.gaps },
      { what: 'duration (s)', value: Math.round((performance.now() - started) / 1000) },
    ]);
  });
});
