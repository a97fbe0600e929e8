// @vitest-environment node
// Edits and deletes across nodes over a real redis-server (started here; the file fails when it
// cannot be started): an author's edit on one node is numbered in the room's one sequence and
// reaches the clients that understand edits on every node (never an MDN-style client), and is
// kept in the Redis history for a late joiner on another node; another user's edit is refused.
import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';

import { RedisHistory } from '../../src/server/redis/RedisHistory.ts';
import { roomKeys } from '../../src/server/redis/redisScripts.ts';
import type { RedisClient } from '../../src/server/redis/runScript.ts';
import type { ChatServer } from '../../src/server/index.ts';
import { redisNodesPerFile } from '../helpers/redisNodes.ts';
import { TestClient, barrier, type Packet } from '../helpers/referenceServer.ts';

const redisFile = redisNodesPerFile();

/** `count` nodes of the room `key` (a room of its own per test: the Stream outlives the nodes). */
const startNodes = (count: number, key = 'test:edits') => redisFile.start(count, key);

/** A client that says, as the kit does, that it understands edits. */
async function editor(url: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  client.send({ type: 'username', name, id: client.id, date: Date.now(), edits: true });
  await client.waitFor((p) => p.type === 'username' && p.id === client.id, `username of ${name}`);
  return client;
}

describe('edits across nodes', () => {
  it('an edit and a delete on node A reach the clients that understand them on node B, in the one sequence, and stay in the history', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const mdn = await TestClient.connect(b.url);
    await mdn.register('mdn');
    const ada = await editor(b.url, 'ada');
    const bob = await editor(a.url, 'bob');
    bob.sendMessage('helo', { nonce: 'n1' });
    const message = await ada.waitFor((p) => p.type === 'message' && p.nonce === 'n1', 'message at B');

    bob.send({ type: 'edit', nonce: 'n1', text: 'hello' });
    const edit = await ada.waitFor((p) => p.type === 'edit', 'edit at B');
    expect(edit).toMatchObject({ id: bob.id, name: 'bob', nonce: 'n1', text: 'hello', seq: (message.seq as number) + 1 });
    bob.send({ type: 'delete', nonce: 'n1' });
    await ada.waitFor((p) => p.type === 'delete', 'delete at B');

    // eve, on node B, cannot change bob's message.
    const eve = await editor(b.url, 'eve');
    eve.send({ type: 'delete', nonce: 'n1' });
    expect(await eve.waitFor((p) => p.refused !== undefined, 'refusal')).toEqual({ type: 'delete', nonce: 'n1', refused: 'not-yours' });

    await barrier(bob, [mdn, ada]);
    expect(mdn.received.filter((p) => p.type === 'edit' || p.type === 'delete')).toEqual([]);

    const late = await TestClient.connect(b.url);
    late.send({ type: 'history' });
    const reply = await late.waitFor((p) => p.type === 'history' && p.done === true, 'catch-up');
    // (The edit reads as the message does now: deleted.)
    expect((reply.packets as Packet[]).filter((p) => p.nonce === 'n1').map((p) => p.type)).toEqual(['message', 'delete', 'delete']);
  });

  it('a delete and an edit on node A erase the replaced texts from the history every node serves: a joiner on node B gets none', async () => {
    const [a, b] = (await startNodes(2, 'test:erase')) as [ChatServer, ChatServer];
    const watcher = await editor(b.url, 'watcher');
    const bob = await editor(a.url, 'bob');
    bob.sendMessage('secret plan', { nonce: 'n1' });
    bob.sendMessage('helo', { nonce: 'n2' });
    const message = await watcher.waitFor((p) => p.type === 'message' && p.nonce === 'n2', 'message at B');
    bob.send({ type: 'delete', nonce: 'n1' });
    bob.send({ type: 'edit', nonce: 'n2', text: 'hello' });
    // Acknowledged: bob has both changes back (and so has node B's watcher).
    const edit = await bob.waitFor((p) => p.type === 'edit', 'edit back at A');
    await watcher.waitFor((p) => p.type === 'edit', 'edit at B');

    const late = await TestClient.connect(b.url);
    late.send({ type: 'history' });
    const reply = await late.waitFor((p) => p.type === 'history' && p.done === true, 'catch-up at B');
    const packets = (reply.packets as Packet[]).filter((p) => p.nonce !== undefined);
    expect(packets.map((p) => [p.type, p.nonce, p.text, p.deleted ?? p.edited])).toEqual([
      ['message', 'n1', '', true],
      ['message', 'n2', 'hello', edit.date],
      ['delete', 'n1', undefined, undefined],
      ['edit', 'n2', 'hello', undefined],
    ]);
    expect(packets[1]?.seq).toBe(message.seq);
    const from = late.received.length;
    late.send({ type: 'history', before: (edit.seq as number) + 1, limit: 50 });
    const page = await late.waitFor((p) => p.type === 'history' && p.before !== undefined, 'older page at B', from);
    for (const frame of [reply, page]) expect(JSON.stringify(frame)).not.toMatch(/secret plan|helo"/);
  });

  it("RedisHistory.amend: reads serve the amended text; an entry the Stream no longer holds is not amended; trimmed entries' amendments are pruned", async () => {
    const client: RedisClient = createClient({ url: redisFile.redis.url, RESP: 2 });
    await client.connect();
    try {
      const keys = roomKeys('test:amend');
      const now = Date.now();
      const add = async (seq: number, maxlen: number) => {
        await client.sendCommand(['XADD', keys.log, 'MAXLEN', String(maxlen), `${seq}-0`, 'at', String(now), 'text', `{"seq":${seq}}`]);
        await client.sendCommand(['SET', keys.seq, String(seq)]);
      };
      for (let seq = 1; seq <= 4; seq++) await add(seq, 3);
      const history = new RedisHistory(client, keys, 10, 60_000, () => ({ epoch: 'e', seq: 4 }));
      await history.amend(1, '{"seq":1,"amended":true}');
      await history.amend(3, '{"seq":3,"amended":true}');
      const texts = async () => (await history.after(0, 10, now)).entries.map((entry) => entry.text);
      expect(await texts()).toEqual(['{"seq":2}', '{"seq":3,"amended":true}', '{"seq":4}']);
      expect((await history.before(4, 1, now)).entries).toEqual([{ seq: 3, at: now, text: '{"seq":3,"amended":true}' }]);
      expect(await client.sendCommand(['HKEYS', keys.amended])).toEqual(['3']);

      await history.amend(2, '{"seq":2,"amended":true}');
      await history.amend(4, '{"seq":4,"amended":true}');
      for (let seq = 5; seq <= 8; seq++) await add(seq, 2);
      // The Stream holds 7 and 8: 2, 3 and 4 are stale; past twice the Stream's length they go.
      await history.amend(7, '{"seq":7,"amended":true}');
      expect(await client.sendCommand(['HLEN', keys.amended])).toBe(4);
      await history.amend(8, '{"seq":8,"amended":true}');
      expect(((await client.sendCommand(['HKEYS', keys.amended])) as string[]).sort()).toEqual(['7', '8']);
      expect(await texts()).toEqual(['{"seq":7,"amended":true}', '{"seq":8,"amended":true}']);
    } finally {
      client.destroy();
    }
  });
});
