// @vitest-environment node
// Who may change a message, on every node of a Redis room (a real redis-server, started here; the
// file fails when it cannot be): an author back on another node with her session (her node alive,
// or SIGKILLed and replaced) edits and deletes her earlier messages there, relayed to everyone on
// every node; a delete on one node is a delete on all (an edit or a second delete elsewhere is
// refused `deleted`); someone who takes her name once her session expired, or copies her nonce, is
// refused `not-yours`.
import { createClient } from '@redis/client';
import { afterEach, describe, expect, it } from 'vitest';

import type { ChatServer } from '../../src/server/index.ts';
import { type ServerProcess, startServerProcess } from '../reliability/slow/lib/serverProcess.ts';
import { redisNodesPerFile } from '../helpers/redisNodes.ts';
import { TestClient, barrier, type Packet } from '../helpers/referenceServer.ts';

let rooms = 0;
const redisFile = redisNodesPerFile();
const processes = new Set<ServerProcess>();

afterEach(async () => {
  await Promise.all([...processes].map((node) => node.kill()));
  processes.clear();
});

const startNodes = (count: number, key: string, rejoinWindow?: number) => redisFile.start(count, key, { rejoinWindow }, 3000);

/** A node in a process of its own (so that it can be SIGKILLed) of room `key`. */
async function startProcess(key: string): Promise<ServerProcess> {
  const node = await startServerProcess(0, undefined, 'default', { redis: { url: redisFile.redis.url, key, lease: 3000 } });
  processes.add(node);
  return node;
}

/** A client that says, as the kit does, that it understands edits; `session`: it rejoins with it (and must be told so). */
async function editor(url: string, name: string, session?: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  client.send({ type: 'username', name, id: client.id, date: Date.now(), edits: true, ...(session !== undefined && { session }) });
  const given = await client.waitFor((p) => p.type === 'username' && p.id === client.id, `username of ${name}`);
  expect(given).toMatchObject(session === undefined ? { name } : { name, rejoin: true });
  return client;
}

const sessionOf = (client: TestClient) => (client.received[0] as { session: string }).session;
const changeOf = (type: string, nonce: string) => (p: Packet) => p.type === type && p.nonce === nonce && p.refused === undefined;
const refusalOf = (type: string, nonce: string) => (p: Packet) => p.type === type && p.nonce === nonce && p.refused !== undefined;

/** `client` sends `packet` (an edit or a delete) and gets it refused: the reason. */
async function refused(client: TestClient, packet: { type: 'edit' | 'delete'; nonce: string; text?: string }): Promise<unknown> {
  const from = client.received.length;
  client.send(packet);
  return (await client.waitFor(refusalOf(packet.type, packet.nonce), `refusal of ${packet.type} ${packet.nonce}`, from)).refused;
}

/** The same packet (same `seq`) reached every one of `clients`; returns it. */
async function everywhere(clients: readonly TestClient[], predicate: (p: Packet) => boolean, label: string): Promise<Packet> {
  const got = await Promise.all(clients.map((client) => client.waitFor(predicate, label)));
  for (const packet of got) expect(packet).toEqual(got[0]);
  expect(got[0]?.seq).toEqual(expect.any(Number));
  return got[0] as Packet;
}

describe('authorship on every node', () => {
  it('an author back on another node with her session edits and deletes her messages there, relayed on both nodes; a delete on one node is refused again on the other', async () => {
    const [a, b] = (await startNodes(2, `authors:room${++rooms}`)) as [ChatServer, ChatServer];
    const wa = await editor(a.url, 'wa');
    const wb = await editor(b.url, 'wb');
    const alice = await editor(a.url, 'alice');
    alice.sendMessage('helo', { nonce: 'n1' });
    alice.sendMessage('bye', { nonce: 'n2' });
    await wb.waitFor(changeOf('message', 'n2'), 'n2 at B');
    // Deleted on node A, which relayed it.
    alice.send({ type: 'delete', nonce: 'n2' });
    await everywhere([wa, wb], changeOf('delete', 'n2'), 'delete of n2');
    await alice.close();

    const back = await editor(b.url, 'alice', sessionOf(alice));
    back.send({ type: 'edit', nonce: 'n1', text: 'hello' });
    const edit = await everywhere([wa, wb, back], changeOf('edit', 'n1'), 'edit of n1 on B');
    expect(edit).toMatchObject({ id: back.id, name: 'alice', nonce: 'n1', text: 'hello' });
    // Deleted on A, so on B too.
    expect(await refused(back, { type: 'edit', nonce: 'n2', text: 'again' })).toBe('deleted');
    expect(await refused(back, { type: 'delete', nonce: 'n2' })).toBe('deleted');
    back.send({ type: 'delete', nonce: 'n1' });
    expect(await everywhere([wa, wb, back], changeOf('delete', 'n1'), 'delete of n1 on B')).toMatchObject({ name: 'alice' });
    await back.close();

    // Deleted on B, so on A (the node that relayed it) too.
    const again = await editor(a.url, 'alice', sessionOf(back));
    expect(await refused(again, { type: 'edit', nonce: 'n1', text: 'hello?' })).toBe('deleted');
    expect(await refused(again, { type: 'delete', nonce: 'n1' })).toBe('deleted');
  });

  it('an author whose node was killed edits and deletes on another; a node started in its place knows her messages too', async () => {
    const key = `authors:room${++rooms}`;
    const a = await startProcess(key);
    const b = await startProcess(key);
    const wb = await editor(b.url, 'wb');
    const alice = await editor(a.url, 'alice');
    alice.sendMessage('helo', { nonce: 'n1' });
    alice.sendMessage('bye', { nonce: 'n2' });
    await wb.waitFor(changeOf('message', 'n2'), 'n2 at B');
    await a.kill();
    processes.delete(a);

    const back = await editor(b.url, 'alice', sessionOf(alice));
    back.send({ type: 'edit', nonce: 'n1', text: 'hello' });
    expect(await everywhere([wb, back], changeOf('edit', 'n1'), 'edit on B')).toMatchObject({ id: back.id, text: 'hello' });

    const c = await startProcess(key);
    const wc = await editor(c.url, 'wc');
    back.send({ type: 'delete', nonce: 'n1' });
    await everywhere([wb, wc, back], changeOf('delete', 'n1'), 'delete on B');
    await back.close();

    // On the new node, with the session of her connection to B.
    const there = await editor(c.url, 'alice', sessionOf(back));
    expect(await refused(there, { type: 'edit', nonce: 'n1', text: 'hello?' })).toBe('deleted');
    there.send({ type: 'edit', nonce: 'n2', text: 'bye!' });
    expect(await everywhere([wb, wc, there], changeOf('edit', 'n2'), 'edit on C')).toMatchObject({ name: 'alice', text: 'bye!' });

    // Amended in the history every node serves, whichever node relayed the message: a joiner on B
    // gets neither the deleted message's texts nor the one edited away.
    const late = await editor(b.url, 'late');
    late.send({ type: 'history' });
    const reply = await late.waitFor((p) => p.type === 'history' && p.done === true, 'catch-up at B');
    const packets = (reply.packets as { type: string; nonce?: string; text?: string; deleted?: boolean }[]).filter((p) => p.nonce);
    expect(JSON.stringify(reply)).not.toMatch(/helo|hello|"bye"/);
    expect(packets.find((p) => p.type === 'message' && p.nonce === 'n1')).toMatchObject({ text: '', deleted: true });
    expect(packets.find((p) => p.type === 'message' && p.nonce === 'n2')).toMatchObject({ text: 'bye!' });
    // Her earlier edit of the deleted message is served as a delete.
    expect(packets.filter((p) => p.nonce === 'n1').map((p) => p.type)).toEqual(['message', 'delete', 'delete']);
  }, 30_000);

  it('once her session expired, someone who takes her name, or copies her nonce, cannot change her messages on any node', async () => {
    const key = `authors:room${++rooms}`;
    const [a, b] = (await startNodes(2, key, 2000)) as [ChatServer, ChatServer];
    const wb = await editor(b.url, 'wb');
    const alice = await editor(a.url, 'alice');
    alice.sendMessage('helo', { nonce: 'n1' });
    await wb.waitFor(changeOf('message', 'n1'), 'n1 at B');
    await alice.close();
    const back = await editor(b.url, 'alice', sessionOf(alice));
    back.send({ type: 'edit', nonce: 'n1', text: 'hello' });
    await everywhere([wb, back], changeOf('edit', 'n1'), 'her edit on B');
    const session = sessionOf(back);
    await back.close();

    // Her session runs out (rejoinWindow 2 s): her name is anyone's now.
    const client = createClient({ url: redisFile.redis.url });
    await client.connect();
    try {
      await expect.poll(() => client.exists(`${key}:session:${session}`), { timeout: 10_000 }).toBe(0);
    } finally {
      client.destroy();
    }
    const mallory = await editor(b.url, 'alice');
    expect(await refused(mallory, { type: 'edit', nonce: 'n1', text: 'pwned' })).toBe('not-yours');
    expect(await refused(mallory, { type: 'delete', nonce: 'n1' })).toBe('not-yours');
    // Her copy of the nonce under the name is a resend (echoed to her alone, not relayed): still not hers.
    mallory.sendMessage('mine', { nonce: 'n1' });
    const echo = await mallory.waitFor((p) => p.type === 'message' && p.text === 'mine', 'the echo');
    expect(echo).not.toHaveProperty('seq');
    expect(await refused(mallory, { type: 'delete', nonce: 'n1' })).toBe('not-yours');
    const onA = await editor(a.url, 'mallory');
    expect(await refused(onA, { type: 'delete', nonce: 'n1' })).toBe('not-yours');

    await barrier(mallory, [wb]);
    expect(wb.received.filter((p) => p.type === 'edit' || p.type === 'delete').map((p) => p.text)).toEqual(['hello']);
  }, 20_000);

  it('she deletes one message on two nodes at once, her old connection (still open on A) and her rejoin on B: one delete relayed, the other refused `deleted`; A closes the old one with 4002; a blank edit is refused `blank` to her alone', async () => {
    const [a, b] = (await startNodes(2, `authors:room${++rooms}`)) as [ChatServer, ChatServer];
    const wb = await editor(b.url, 'wb');
    const alice = await editor(a.url, 'alice');
    alice.sendMessage('helo', { nonce: 'n1' });
    await wb.waitFor(changeOf('message', 'n1'), 'n1 at B');
    expect(await refused(alice, { type: 'edit', nonce: 'n1', text: '  ' })).toBe('blank');
    expect(await refused(wb, { type: 'edit', nonce: 'n1', text: ' ' })).toBe('not-yours');
    // Her connection to A is still open (its node has not seen it go) as she rejoins on B: a delete
    // from each, in flight together (B's waits for her name there, then goes out under it).
    const twin = await TestClient.connect(b.url);
    alice.send({ type: 'delete', nonce: 'n1' });
    twin.send({ type: 'username', name: 'alice', id: twin.id, date: Date.now(), edits: true, session: sessionOf(alice) });
    twin.send({ type: 'delete', nonce: 'n1' });
    expect(await twin.waitFor((p) => p.type === 'username' && p.id === twin.id, 'her rejoin')).toMatchObject({ rejoin: true });
    const relayed = await wb.waitFor(changeOf('delete', 'n1'), 'the delete relayed');
    const answer = await twin.waitFor(
      (p) => p.type === 'delete' && p.nonce === 'n1' && (p.refused !== undefined || p.id === twin.id),
      'her answer on B',
    );
    // Whichever was numbered first is relayed (A's: B's is refused), never both.
    if (answer.refused === undefined) expect(relayed.id).toBe(twin.id);
    else expect([answer.refused, relayed.id]).toEqual(['deleted', alice.id]);
    expect((await alice.closed).code).toBe(4002);
    await barrier(twin, [wb]);
    expect(wb.ofType('delete')).toHaveLength(1);
    expect(wb.ofType('edit').filter((p) => p.refused === undefined)).toEqual([]);
  });

  it('a session kept by a node of an earlier version (its name alone, a rolling upgrade) still rejoins', async () => {
    const key = `authors:room${++rooms}`;
    const [a] = (await startNodes(1, key)) as [ChatServer];
    const client = createClient({ url: redisFile.redis.url });
    await client.connect();
    try {
      await client.set(`${key}:session:an-old-session`, 'zed', { PX: 10_000 });
    } finally {
      client.destroy();
    }
    const zed = await editor(a.url, 'zed', 'an-old-session');
    expect(zed.ofType('rejectusername')).toEqual([]);
  });
});
