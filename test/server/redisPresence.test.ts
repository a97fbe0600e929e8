// @vitest-environment node
// The room's user list and sessions shared by every node over a real redis-server (started here;
// the file fails when it cannot be): one `userlist` for everyone, in the sequence; a user rejoins
// with its session on another node and keeps its name; a clean shutdown takes a node's users out.
import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';

import type { ChatServer } from '../../src/server/index.ts';
import { redisNodesPerFile } from '../helpers/redisNodes.ts';
import { TestClient } from '../helpers/referenceServer.ts';

let rooms = 0;
const redisFile = redisNodesPerFile();
const { nodes } = redisFile;

const startNodes = (count: number, key = `presence:room${++rooms}`) => redisFile.start(count, key, {}, 3000);

const lists = (c: TestClient) => c.received.filter((p) => p.type === 'userlist');

/** How soon a node closes a connection whose user rejoined on another node: far below any heartbeat. */
const CLOSE_MS = 2000;

async function signedIn(url: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  expect(await client.register(name)).toBe(name);
  return client;
}

function sessionOf(client: TestClient): string {
  return (client.received[0] as { session: string }).session;
}

/** A new connection to `url` rejoining with `session` (the user's name is `ada`): resolves once announced as a rejoin. */
async function rejoin(url: string, session: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  client.send({ type: 'username', name: 'ada', session, date: Date.now() });
  const packet = await client.waitFor((p) => p.type === 'username' && p.id === client.id, 'the rejoin');
  expect(packet).toMatchObject({ name: 'ada', rejoin: true });
  return client;
}

const listed = (list: Record<string, unknown>, name: string) => (list.users as unknown[]).filter((user) => user === name).length;

/** From the first list `client` got with `name` in it, every later one has it exactly once: no one saw it leave, or twice. */
function expectAlwaysListed(client: TestClient, name: string): void {
  const all = lists(client);
  const from = all.findIndex((list) => listed(list, name) > 0);
  expect(from).toBeGreaterThanOrEqual(0);
  expect(all.slice(from).map((list) => listed(list, name))).toEqual(all.slice(from).map(() => 1));
}

/** `promise`, or a rejection naming `label` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${label} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

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

  it('a user rejoining on another node while its old connection is still open there: that node closes it with 4002 at once; one entry in every list, no one sees it leave', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const watchers = [await signedIn(a.url, 'onA'), await signedIn(b.url, 'onB')];
    const first = await signedIn(a.url, 'ada');
    const back = await rejoin(b.url, sessionOf(first));
    watchers.push(back);
    // No heartbeat here (heartbeatInterval 0): without the takeover, A would keep it open for good.
    expect((await within(first.closed, CLOSE_MS, 'the 4002 on node A')).code).toBe(4002);
    await expect.poll(() => a.clientCount).toBe(1);
    // A later change of the list, after A saw the old connection close: what that close published is before it.
    watchers.push(await signedIn(a.url, 'late'));
    for (const watcher of watchers) await watcher.waitFor((p) => p.type === 'userlist' && listed(p, 'late') === 1, 'the list with late');
    for (const watcher of watchers) expectAlwaysListed(watcher, 'ada');
    back.sendMessage('still here', { nonce: 'n1' });
    expect(await watchers[0]!.waitFor((p) => p.nonce === 'n1', 'the new connection’s message')).toMatchObject({ name: 'ada' });
  });

  it('rejoins crossing nodes (A, then B, then A again, each old link still open): each old connection gets 4002, never the newest', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const watcher = await signedIn(b.url, 'watcher');
    const first = await signedIn(a.url, 'ada');
    const second = await rejoin(b.url, sessionOf(first));
    // At once (A may not have read the first takeover yet): the newest connection is on A, where the first is still open.
    const third = await rejoin(a.url, sessionOf(second));
    const closes = await Promise.all([first.closed, second.closed].map((closed) => within(closed, CLOSE_MS, 'a 4002')));
    expect(closes.map((close) => close.code)).toEqual([4002, 4002]);
    await expect.poll(() => a.clientCount + b.clientCount).toBe(2);
    third.sendMessage('the newest', { nonce: 'n2' });
    expect(await watcher.waitFor((p) => p.nonce === 'n2', 'the newest connection’s message')).toMatchObject({ name: 'ada' });
    expect(third.socket.readyState).toBe(third.socket.OPEN);
    expectAlwaysListed(watcher, 'ada');
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
