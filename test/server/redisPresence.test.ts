// @vitest-environment node
// The room's user list and sessions shared by every node over a real redis-server (started here;
// the file fails when it cannot be): one `userlist` for everyone, in the sequence; a user rejoins
// with its session on another node and keeps its name; a clean shutdown takes a node's users out.
import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { redisNodesPerFile } from '../helpers/redisNodes.ts';
import { TestClient } from '../helpers/referenceServer.ts';

let rooms = 0;
const redisFile = redisNodesPerFile();
const { nodes } = redisFile;

async function startNodes(count: number, key = `presence:room${++rooms}`): Promise<ChatServer[]> {
  const started: ChatServer[] = [];
  for (let i = 0; i < count; i++) {
    const node = await createChatServer({
      port: 0,
      rateLimit: false,
      heartbeatInterval: 0,
      redis: { url: redisFile.redis.url, key, lease: 3000 },
    });
    nodes.add(node);
    started.push(node);
  }
  return started;
}

const lists = (c: TestClient) => c.received.filter((p) => p.type === 'userlist');

describe('one user list for every node', () => {
  it('every client on every node gets the same userlist packets (same seq), listing the users of all nodes in the order they came', async () => {
    const [a, b, c] = (await startNodes(3)) as [ChatServer, ChatServer, ChatServer];
    const ada = await TestClient.connect(a.url);
    await ada.register('ada');
    const bob = await TestClient.connect(b.url);
    await bob.register('bob');
    const cy = await TestClient.connect(c.url);
    await cy.register('cy');
    const last = await ada.waitFor((p) => p.type === 'userlist' && (p.users as string[]).length === 3, 'three users at ada');
    expect(last.users).toEqual(['ada', 'bob', 'cy']);
    await bob.waitFor((p) => p.seq === last.seq, 'the same list at bob');
    await cy.waitFor((p) => p.seq === last.seq, 'the same list at cy');
    for (const client of [bob, cy]) expect(lists(client).find((p) => p.seq === last.seq)).toEqual(last);

    // bob leaves (node b): everyone gets the list without him, whatever their node.
    await bob.close();
    const after = await cy.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["ada","cy"]', 'bob gone at cy');
    const atAda = await ada.waitFor((p) => p.seq === after.seq, 'the same at ada');
    expect(atAda).toEqual(after);
  });

  it('a renamed user keeps its place in the list; a node shut down takes its users out of it', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const ada = await TestClient.connect(a.url);
    await ada.register('ada');
    const bob = await TestClient.connect(b.url);
    await bob.register('bob');
    await ada.register('ada2x');
    await bob.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["ada2x","bob"]', 'the rename in place');
    await b.close();
    nodes.delete(b);
    await ada.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["ada2x"]', 'bob gone with his node');
  });
});

describe('sessions shared by every node', () => {
  it('a user whose node it left rejoins on another with its session: its name back, announced as a rejoin, one entry in the list', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const watcher = await TestClient.connect(b.url);
    await watcher.register('watcher');
    const first = await TestClient.connect(a.url);
    const { session } = first.received[0] as { session: string };
    await first.register('ada');
    await first.close();
    await watcher.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["watcher"]', 'ada gone');
    const back = await TestClient.connect(b.url);
    back.send({ type: 'username', name: 'ada', session, date: Date.now() });
    const rejoin = await back.waitFor((p) => p.type === 'username' && p.id === back.id, 'the rejoin');
    expect(rejoin).toMatchObject({ name: 'ada', rejoin: true });
    expect(back.ofType('rejectusername')).toEqual([]);
    await watcher.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["watcher","ada"]', 'ada back');
    // A session is used once.
    const again = await TestClient.connect(a.url);
    again.send({ type: 'username', name: 'ada', session, date: Date.now() });
    const second = await again.waitFor((p) => p.type === 'username' && p.id === again.id, 'a second use');
    expect(second.name).toBe('ada2');
    expect(second).not.toHaveProperty('rejoin');
  });

  it('a user rejoining on another node while its old connection is still listed (its node died or has not seen the close) takes that entry’s place', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const watcher = await TestClient.connect(b.url);
    await watcher.register('watcher');
    const first = await TestClient.connect(a.url);
    const { session } = first.received[0] as { session: string };
    await first.register('ada');
    await watcher.waitFor((p) => p.type === 'userlist' && JSON.stringify(p.users) === '["watcher","ada"]', 'ada listed');
    const back = await TestClient.connect(b.url);
    back.send({ type: 'username', name: 'ada', session, date: Date.now() });
    const rejoin = await back.waitFor((p) => p.type === 'username' && p.id === back.id, 'the rejoin');
    expect(rejoin).toMatchObject({ name: 'ada', rejoin: true });
    const list = await watcher.waitFor((p) => p.type === 'userlist' && p.seq === (rejoin.seq as number) + 1, 'the list after the rejoin');
    expect(list.users).toEqual(['watcher', 'ada']);
  });
});

describe('a node’s own lease', () => {
  it('a node that finds its lease ran out (it stalled past it: its users may be gone from the list) closes with 1013 and serves again', async () => {
    const key = `presence:room${++rooms}`;
    const [a] = (await startNodes(1, key)) as [ChatServer];
    const ada = await TestClient.connect(a.url);
    await ada.register('ada');
    // What a stall past the lease looks like from Redis: the node's lease key is gone.
    const redisClient = createClient({ url: redisFile.redis.url });
    await redisClient.connect();
    try {
      const leases = await redisClient.keys(`${key}:node:*`);
      expect(leases).toHaveLength(1);
      await redisClient.del(leases);
    } finally {
      redisClient.destroy();
    }
    // Its next heartbeat (a third of the 3 s lease) finds it.
    expect(await ada.closed).toMatchObject({ code: 1013 });
    await expect.poll(async () => (await fetch(`${a.url.replace('ws:', 'http:')}/ready`)).status, { timeout: 4000 }).toBe(200);
    const back = await TestClient.connect(a.url);
    expect(await back.register('ada')).toBe('ada');
  });
});
