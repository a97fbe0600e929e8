// @vitest-environment node
// Several reference servers in processes of their own as one room over a real redis-server (the
// file fails, never skips, when it cannot start one), with the kit's own clients (ChatStore and
// WebSocketClient, resuming as in a browser): the short versions of the reliability suite's
// test/reliability/slow/cluster.reliability.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCluster } from '../helpers/chatCluster.ts';
import { runClusterTraffic } from '../helpers/clusterTraffic.ts';
import { type RedisServer, startRedis } from '../helpers/redisServer.ts';
import { TestClient } from '../helpers/referenceServer.ts';
import { recordFigures } from '../reliability/lib/figures.ts';
import type { ServerProcess } from '../reliability/slow/lib/serverProcess.ts';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.dispose();
});

describe('3 nodes in processes, the kit’s own clients', () => {
  it('150 clients, two-way traffic: every client shows every message once, in the room’s one order, and the same user list', async () => {
    const figures = await runClusterTraffic({
      redis,
      nodes: 3,
      clients: 150,
      rounds: 1,
      every: 2,
      lease: 3000,
      faults: [],
      timeout: 20_000,
    });
    expect(figures.closes).toBe(0);
    recordFigures('Several nodes: traffic (short)', 'npm test', [
      { what: 'messages checked (each message at each client)', value: figures.checked },
    ]);
  }, 50_000);

  it('a node SIGKILLed during the traffic: its clients resume on the others, nothing lost or doubled, names kept, one list again', async () => {
    const lease = 3000;
    // 60 clients in the fault tests here, to stay well within a minute on a busy machine (150 in the
    // test above and in the long version, test/reliability/slow/cluster.reliability.ts).
    const figures = await runClusterTraffic({
      redis,
      nodes: 3,
      clients: 60,
      rounds: 2,
      every: 2,
      lease,
      faults: ['kill'],
      timeout: 20_000,
    });
    expect(figures.kills).toBe(1);
    // About a third of the clients lost their node (and nobody else a connection).
    expect(figures.moved).toBeGreaterThanOrEqual(15);
    expect(figures.closes).toBe(figures.moved);
    expect(figures.gaps).toBe(0);
    recordFigures('Several nodes: a node killed (short)', 'npm test', [
      { what: 'messages checked', value: figures.checked },
      { what: 'kills survived', value: figures.kills },
      { what: 'clients whose node was killed', value: figures.moved },
      { what: 'connections lost', value: figures.closes },
      { what: 'all back and one user list after the kill (ms)', value: figures.convergedMs.join(', ') },
    ]);
  }, 50_000);

  it('Redis restarted (data kept) during the traffic: the nodes recover; nothing lost or doubled', async () => {
    const figures = await runClusterTraffic({
      redis,
      nodes: 3,
      clients: 60,
      rounds: 2,
      every: 2,
      lease: 3000,
      faults: ['redis'],
      timeout: 20_000,
    });
    expect(figures.redisRestarts).toBe(1);
    // Every client was closed with 1013 at least once, then came back.
    expect(figures.closes1013).toBeGreaterThanOrEqual(60);
    expect(figures.gaps).toBe(0);
    recordFigures('Several nodes: Redis restarted (short)', 'npm test', [
      { what: 'messages checked', value: figures.checked },
      { what: 'connections lost (1013)', value: `${figures.closes} (${figures.closes1013})` },
      { what: 'gap markers', value: figures.gaps },
    ]);
  }, 50_000);
});

describe('a node that dies drops out', () => {
  it('its users leave every user list and their names are free again within the lease and a third', async () => {
    const lease = 1500;
    const cluster = await startCluster(redis.url, 2, lease);
    try {
      const [dying, staying] = cluster.nodes as readonly [ServerProcess, ServerProcess];
      const ghost = await TestClient.connect(dying.url);
      await ghost.register('ghost');
      const watcher = await TestClient.connect(staying.url);
      await watcher.register('watcher');
      await watcher.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["ghost","watcher"]', 'both listed');
      const killed = performance.now();
      await cluster.kill(0);
      const list = await watcher.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["watcher"]', 'the ghost gone');
      const gone = performance.now() - killed;
      expect(typeof list.seq).toBe('number');
      expect(gone).toBeLessThan((lease * 4) / 3 + 1000);
      const heir = await TestClient.connect(staying.url);
      expect(await heir.register('ghost')).toBe('ghost');
      recordFigures('Several nodes: a dead node drops out (short)', 'npm test', [
        { what: `its users left the list after (ms, lease ${lease})`, value: Math.round(gone) },
      ]);
    } finally {
      await cluster.dispose();
    }
  }, 20_000);
});
