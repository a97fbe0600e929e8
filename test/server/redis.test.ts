// @vitest-environment node
// Several reference servers as one room over a real redis-server (started here on a free loopback
// port; the file fails when it cannot be started): one order for everyone, history and resume across
// nodes, the resend check across nodes, and Redis restarted under traffic.
import { afterEach, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer, type ChatServerEvent, type ChatServerOptions } from '../../src/server/index.ts';
import { redisNodesPerFile } from '../helpers/redisNodes.ts';
import { startRedis } from '../helpers/redisServer.ts';
import { TestClient, barrier } from '../helpers/referenceServer.ts';
import { type LogEntry, ResumingClient } from '../helpers/resumingClient.ts';

let rooms = 0;
const redisFile = redisNodesPerFile();
const resuming = new Set<ResumingClient>();

afterEach(async () => {
  for (const client of resuming) client.stop();
  resuming.clear();
});

/** `count` nodes of one new room (a key of its own) on the test's Redis. */
const startNodes = (count: number, options: ChatServerOptions = {}) => redisFile.start(count, `test:room${++rooms}`, options);

function client(urls: readonly string[], name: string, first: number): ResumingClient {
  const created = new ResumingClient(urls, name, first);
  resuming.add(created);
  return created;
}

/** Each epoch's `seq`s in the order they came, and how often a (epoch, seq) came twice. */
function sequences(log: readonly LogEntry[]): { readonly byEpoch: Map<string, number[]>; readonly repeats: number } {
  const byEpoch = new Map<string, number[]>();
  const seen = new Set<string>();
  let repeats = 0;
  for (const entry of log) {
    if (entry.kind !== 'packet') continue;
    const key = `${entry.epoch}/${entry.packet.seq}`;
    if (seen.has(key)) repeats++;
    seen.add(key);
    byEpoch.set(entry.epoch, [...(byEpoch.get(entry.epoch) ?? []), entry.packet.seq]);
  }
  return { byEpoch, repeats };
}

/** The message texts a client received, by nonce, in order. */
const messagesOf = (c: ResumingClient) => c.packets.filter((p) => p.type === 'message').map((p) => p.nonce as string);

describe('several nodes, one room', () => {
  it('a message sent on one node reaches clients on the others, with one sequence', async () => {
    const [a, b, c] = await startNodes(3);
    const onA = await TestClient.connect((a as ChatServer).url);
    const onC = await TestClient.connect((c as ChatServer).url);
    const onB = await TestClient.connect((b as ChatServer).url);
    await onB.register('bob');
    onB.sendMessage('hello from B', { nonce: 'b1' });
    const atA = await onA.waitFor((p) => p.type === 'message' && p.nonce === 'b1', 'B’s message at A');
    const atC = await onC.waitFor((p) => p.type === 'message' && p.nonce === 'b1', 'B’s message at C');
    expect(atA).toMatchObject({ name: 'bob', text: 'hello from B' });
    expect(atA.seq).toBe(atC.seq);
    // bob's sign-in was 1, the room's user list 2, the message 3: one sequence for the room, whichever node sent it.
    expect(onA.received.filter((p) => typeof p.seq === 'number' && p.type !== 'id').map((p) => [p.type, p.seq])).toEqual([
      ['username', 1],
      ['userlist', 2],
      ['message', 3],
    ]);
    expect(onA.received.find((p) => p.type === 'userlist')).toEqual({ type: 'userlist', users: ['bob'], seq: 2 });
  });

  it('connection ids are unique in the room (each node gives its own range), so no client takes another’s packets for its own', async () => {
    const servers = await startNodes(3);
    const clients = await Promise.all(servers.map((s) => TestClient.connect(s.url)));
    const ids = clients.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
    // Default names come from ids: unique in the room too.
    for (const c of clients) c.sendMessage('hi');
    const names = await Promise.all(clients.map((c) => c.waitFor((p) => p.type === 'message' && p.id === c.id, 'own message')));
    expect(new Set(names.map((p) => p.name)).size).toBe(3);
  });

  it('3 nodes, 30 clients, two-way traffic: every client gets every packet once, in the same seq order', async () => {
    const servers = await startNodes(3);
    const urls = servers.map((s) => s.url);
    const clients = Array.from({ length: 30 }, (_, i) => client(urls, `u${i}`, i % 3));
    await Promise.all(clients.map((c) => c.until(() => c.ready, 'ready')));
    const rounds = 4;
    for (let round = 0; round < rounds; round++) for (const c of clients) c.say(`round ${round} from ${c.name}`);
    const total = clients.length * rounds;
    await Promise.all(clients.map((c) => c.until(() => messagesOf(c).length >= total && c.pending === 0, `${total} messages`, 15_000)));
    const reference = clients[0]?.packets.map((p) => p.seq) as number[];
    const last = Math.max(...reference);
    for (const c of clients) {
      const { byEpoch, repeats } = sequences(c.log);
      expect(repeats).toBe(0);
      expect(byEpoch.size).toBe(1);
      const seqs = [...byEpoch.values()][0] as number[];
      // From the first packet after its join (the recent history before it) to the end, gap-free.
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] as number) + i));
      expect(seqs.at(-1)).toBe(last);
      expect(new Set(messagesOf(c)).size).toBe(total);
    }
    // The same packets under the same seq at every client.
    const bySeq = new Map<number, string>();
    for (const c of clients)
      for (const p of c.packets) {
        const text = JSON.stringify(p);
        expect(bySeq.get(p.seq) ?? text).toBe(text);
        bySeq.set(p.seq, text);
      }
  }, 20_000);
});

describe('names across nodes', () => {
  it('50 clients on 3 nodes ask for one name at once: exactly one gets it, every name in the room differs', async () => {
    const servers = await startNodes(3);
    const clients = await Promise.all(Array.from({ length: 50 }, (_, i) => TestClient.connect((servers[i % 3] as ChatServer).url)));
    for (const c of clients) c.sendUsername('Ada');
    const given = await Promise.all(
      clients.map(async (c) => (await c.waitFor((p) => p.type === 'username' && p.id === c.id, `username of ${c.id}`)).name as string),
    );
    expect(given.filter((name) => name === 'Ada')).toHaveLength(1);
    expect(new Set(given.map((name) => name.toLowerCase())).size).toBe(50);
    // Everyone else was told the name it got instead.
    const rejected = clients.filter((c) => c.ofType('rejectusername').length === 1);
    expect(rejected).toHaveLength(49);
  });

  it('a name taken on one node is numbered on another; once its holder leaves, it is free again', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const first = await TestClient.connect(a.url);
    expect(await first.register('bob')).toBe('bob');
    const second = await TestClient.connect(b.url);
    expect(await second.register('BOB')).toBe('BOB2');
    await first.close();
    const third = await TestClient.connect(b.url);
    // The close reaches node a, which frees the name: poll by asking again until it is given.
    await expect.poll(async () => third.register('bob'), { timeout: 5000, interval: 50 }).toBe('bob');
  });
});

describe('history and resume across nodes', () => {
  it('a client that resumes on another node gets exactly what it missed, then live', async () => {
    const [a, b, c] = (await startNodes(3)) as [ChatServer, ChatServer, ChatServer];
    const talker = await TestClient.connect(b.url);
    await talker.register('talker');
    const reader = await TestClient.connect(a.url);
    const { epoch } = reader.received[0] as { epoch: string };
    talker.sendMessage('seen', { nonce: 's1' });
    const seen = await reader.waitFor((p) => p.nonce === 's1', 'the first message');
    await reader.close();
    for (let i = 0; i < 5; i++) talker.sendMessage(`missed ${i}`, { nonce: `m${i}` });
    await talker.waitFor((p) => p.nonce === 'm4', 'the last missed message');
    const back = await TestClient.connect(c.url);
    back.send({ type: 'history', after: seen.seq, epoch });
    const done = await back.waitFor((p) => p.type === 'history' && p.done === true, 'the catch-up');
    expect(done.gap).toBeUndefined();
    const caught = back.ofType('history').flatMap((f) => f.packets as { nonce?: string; seq: number }[]);
    expect(caught.map((p) => p.nonce)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(caught.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5].map((i) => (seen.seq as number) + i));
    talker.sendMessage('live', { nonce: 'l1' });
    const live = await back.waitFor((p) => p.nonce === 'l1', 'live after the catch-up');
    expect(live.seq).toBe((seen.seq as number) + 6);
  });

  it('a client that missed nothing (resumes at its join position) gets an empty catch-up, without a gap', async () => {
    const [a] = (await startNodes(1)) as [ChatServer];
    const talker = await TestClient.connect(a.url);
    await talker.register('t');
    const back = await TestClient.connect(a.url);
    const { seq, epoch } = back.received[0] as { seq: number; epoch: string };
    // t's sign-in and the user list.
    expect(seq).toBe(2);
    back.send({ type: 'history', after: seq, epoch });
    const done = await back.waitFor((p) => p.type === 'history' && p.done === true, 'the catch-up');
    expect(done).toEqual({ type: 'history', packets: [], done: true });
  });

  it('older pages and the join history come from Redis, bounded by historyLimit', async () => {
    const [a, b] = (await startNodes(2, { historyLimit: 5, historyOnJoin: 3 })) as [ChatServer, ChatServer];
    const talker = await TestClient.connect(a.url);
    const watcher = await TestClient.connect(b.url);
    await talker.register('t'); // seq 1, and the user list 2
    await talker.waitFor((p) => p.type === 'userlist', 'the user list');
    for (let i = 0; i < 6; i++) talker.sendMessage(`m${i}`, { nonce: `n${i}` }); // seq 3..8
    // Node b has read them all (a node joins a client at the last packet it delivered).
    await watcher.waitFor((p) => p.nonce === 'n5', 'the last message at node b');
    const joiner = await TestClient.connect(b.url);
    joiner.send({ type: 'history' });
    const join = await joiner.waitFor((p) => p.type === 'history' && p.done === true, 'the join history');
    expect((join.packets as { seq: number }[]).map((p) => p.seq)).toEqual([6, 7, 8]);
    joiner.send({ type: 'history', before: 6, limit: 10 });
    const older = await joiner.waitFor((p) => p.type === 'history' && p.before === 6, 'an older page');
    // The newest 5 are 4..8: the page before 6 holds 4 and 5, and nothing older is held.
    expect((older.packets as { seq: number }[]).map((p) => p.seq)).toEqual([4, 5]);
    expect(older.more).toBe(false);
  });
});

describe('history age', () => {
  it('what is older than historyMaxAge is no longer served (catch-up, gap and older pages), as in memory', async () => {
    let clock = 1_000_000;
    const [a, b] = (await startNodes(2, { historyMaxAge: 10_000, now: () => clock })) as [ChatServer, ChatServer];
    const talker = await TestClient.connect(a.url);
    const watcher = await TestClient.connect(b.url);
    await talker.register('t'); // seq 1 and its user list 2, at 1 000 000
    await talker.waitFor((p) => p.type === 'userlist', 'the user list');
    for (let i = 0; i < 3; i++) talker.sendMessage(`old ${i}`, { nonce: `o${i}` }); // 3..5
    await watcher.waitFor((p) => p.nonce === 'o2', 'the old messages');
    clock += 6_000;
    for (let i = 0; i < 3; i++) talker.sendMessage(`new ${i}`, { nonce: `n${i}` }); // 6..8, at 1 006 000
    await watcher.waitFor((p) => p.nonce === 'n2', 'the new messages');
    clock += 5_000; // 1-5 are 11 s old now, 6-8 5 s
    const back = await TestClient.connect(b.url);
    const { epoch } = back.received[0] as { epoch: string };
    back.send({ type: 'history', after: 2, epoch });
    const done = await back.waitFor((p) => p.type === 'history' && p.done === true, 'the catch-up');
    expect(done.gap).toBe(6);
    expect((done.packets as { seq: number }[]).map((p) => p.seq)).toEqual([6, 7, 8]);
    back.send({ type: 'history', before: 7, limit: 10 });
    const older = await back.waitFor((p) => p.type === 'history' && p.before === 7, 'an older page');
    expect((older.packets as { seq: number }[]).map((p) => p.seq)).toEqual([6]);
    expect(older.more).toBe(false);
  });
});

describe('resends across nodes', () => {
  it('a message resent to another node (same name and nonce) is relayed once', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const watcher = await TestClient.connect(a.url);
    const first = await TestClient.connect(a.url);
    await first.register('ada');
    first.sendMessage('once', { nonce: 'k1' });
    await watcher.waitFor((p) => p.nonce === 'k1', 'the message');
    await first.close();
    const second = await TestClient.connect(b.url);
    await second.register('ada');
    second.sendMessage('once', { nonce: 'k1' });
    const echo = await second.waitFor((p) => p.nonce === 'k1', 'the echo of the resend');
    expect(echo).not.toHaveProperty('seq');
    await barrier(second, [watcher, second]);
    expect(watcher.received.filter((p) => p.nonce === 'k1')).toHaveLength(1);
    expect(a.stats().duplicateMessages + b.stats().duplicateMessages).toBe(1);
  });
});

describe('typing across nodes', () => {
  it('a typing frame reaches the listeners on every node, never its sender, never a client that sent none', async () => {
    const [a, b] = (await startNodes(2)) as [ChatServer, ChatServer];
    const ada = await TestClient.connect(a.url);
    await ada.register('ada');
    const listener = await TestClient.connect(b.url);
    await listener.register('bob');
    const mdn = await TestClient.connect(b.url);
    await mdn.register('mdn');
    for (const c of [ada, listener]) c.send({ type: 'typing', typing: false });
    // Until bob listens at node b (its frame handled), a start might find no one: start, stop, start again.
    await expect
      .poll(() => {
        ada.send({ type: 'typing', typing: false });
        ada.send({ type: 'typing', typing: true });
        return listener.received.some((p) => p.type === 'typing');
      })
      .toBe(true);
    expect(listener.received.find((p) => p.type === 'typing')).toEqual({ type: 'typing', id: ada.id, name: 'ada', typing: true });
    await barrier(ada, [ada, listener, mdn]);
    expect(mdn.received.some((p) => p.type === 'typing')).toBe(false);
    expect(ada.received.some((p) => p.type === 'typing')).toBe(false);
  });
});

describe('Redis restarted under traffic', () => {
  /**
   * Re-subscribed: a client on each node, each sends one message, each gets all of them; and so do
   * `clients` (then the room is quiet: the test reads where each of them ended).
   */
  async function everyNodeHearsEveryOther(servers: readonly ChatServer[], clients: readonly ResumingClient[]) {
    const probes = await Promise.all(servers.map((s) => TestClient.connect(s.url)));
    for (const [i, probe] of probes.entries()) probe.sendMessage(`probe ${i}`, { nonce: `probe-${i}` });
    for (const probe of probes) {
      for (let i = 0; i < servers.length; i++) await probe.waitFor((p) => p.nonce === `probe-${i}`, `probe ${i}`);
    }
    const nonces = probes.map((_, i) => `probe-${i}`);
    await Promise.all(clients.map((c) => c.until(() => nonces.every((n) => messagesOf(c).includes(n)), 'every probe')));
  }

  /**
   * 3 nodes, 12 clients talking (one message every 5 ms, round robin) while Redis is stopped (`save`:
   * its data kept, or lost) and started again; then one more message each. Returns everything said.
   */
  async function restartUnderTraffic(save: boolean) {
    const events: ChatServerEvent[] = [];
    const servers = await startNodes(3, { log: (event) => event.type === 'redis' && events.push(event) });
    const urls = servers.map((s) => s.url);
    const clients = Array.from({ length: 12 }, (_, i) => client(urls, `r${i}`, i % 3));
    await Promise.all(clients.map((c) => c.until(() => c.ready, 'ready')));
    const said: string[] = [];
    let turn = 0;
    const traffic = setInterval(() => {
      const speaker = clients[turn++ % clients.length] as ResumingClient;
      said.push(speaker.say(`tick ${turn}`));
    }, 5);
    try {
      await clients[0]?.until(() => said.length >= 24, 'traffic before the stop');
      await redisFile.redis.stop({ save });
      await redisFile.redis.restart();
      // Re-subscribed: every node reads the room again (each client is back on one of them).
      await Promise.all(clients.map((c) => c.until(() => c.ready, 'ready again')));
    } finally {
      clearInterval(traffic);
    }
    for (const c of clients) said.push(c.say('after'));
    await Promise.all(clients.map((c) => c.until(() => c.pending === 0, 'all confirmed', 15_000)));
    const after = said.slice(-clients.length);
    await Promise.all(clients.map((c) => c.until(() => after.every((n) => messagesOf(c).includes(n)), 'every message after')));
    await everyNodeHearsEveryOther(servers, clients);
    return { clients, events, said };
  }

  it('with its data kept: the nodes recover, every client ends with the same complete sequence, nothing doubled', async () => {
    const { clients, events, said } = await restartUnderTraffic(true);
    const states = events.map((e) => (e.type === 'redis' ? e.state : ''));
    expect(states.filter((s) => s === 'restored').length).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.type === 'redis' && e.detail.startsWith('a new sequence'))).toBe(false);
    await Promise.all(
      clients.map((c) => c.until(() => messagesOf(c).filter((n) => !n.startsWith('probe-')).length >= said.length, 'every message')),
    );
    const last = Math.max(...clients.map((c) => c.packets.at(-1)?.seq ?? 0));
    for (const c of clients) {
      const { byEpoch, repeats } = sequences(c.log);
      expect(repeats).toBe(0);
      expect(byEpoch.size).toBe(1);
      const seqs = [...byEpoch.values()][0] as number[];
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] as number) + i));
      expect(seqs.at(-1)).toBe(last);
      expect(c.log.filter((e) => e.kind === 'gap')).toEqual([]);
      // Everything anyone said, once.
      expect(
        messagesOf(c)
          .filter((n) => !n.startsWith('probe-'))
          .sort(),
      ).toEqual([...said].sort());
      expect(c.closes).toContain(1013);
    }
  }, 30_000);

  it('with its data lost: a new epoch; clients see a gap marker, no packet twice, and the room goes on', async () => {
    const { clients, events } = await restartUnderTraffic(false);
    expect(events.some((e) => e.type === 'redis' && e.detail.startsWith('a new sequence'))).toBe(true);
    const lastOf = new Set<string>();
    for (const c of clients) {
      const { byEpoch, repeats } = sequences(c.log);
      expect(repeats).toBe(0);
      expect(byEpoch.size).toBe(2);
      const [, after] = [...byEpoch.values()] as [number[], number[]];
      expect(after).toEqual(Array.from({ length: after.length }, (_, i) => (after[0] as number) + i));
      expect(c.log.some((e) => e.kind === 'gap')).toBe(true);
      lastOf.add(`${[...byEpoch.keys()][1]}/${after.at(-1)}`);
      // Within each epoch no message twice (across the two, a message whose echo the crash lost may be resent).
      for (const epoch of byEpoch.keys()) {
        const nonces = c.log.flatMap((e) =>
          e.kind === 'packet' && e.epoch === epoch && e.packet.type === 'message' ? [e.packet.nonce] : [],
        );
        expect(new Set(nonces).size).toBe(nonces.length);
      }
    }
    // Every client ends at the same place of the same new epoch.
    expect(lastOf.size).toBe(1);
  }, 30_000);
});

describe('options', () => {
  it('a redis option that is not a redis:// URL is a RangeError; an unreachable Redis rejects the start', async () => {
    await expect(createChatServer({ port: 0, redis: 'http://127.0.0.1:1' })).rejects.toThrow(RangeError);
    await expect(createChatServer({ port: 0, redis: { url: redisFile.redis.url, key: '' } })).rejects.toThrow(RangeError);
    await expect(createChatServer({ port: 0, redis: { url: redisFile.redis.url, lease: 100 } })).rejects.toThrow(/redis.lease/);
    await expect(createChatServer({ port: 0, redis: 'redis://127.0.0.1:1' })).rejects.toThrow(/cannot use Redis/);
  });
});

describe('the test helper', () => {
  it('fails (never skips) when redis-server cannot be started', async () => {
    await expect(startRedis({ command: '/nonexistent/redis-server' })).rejects.toThrow(/could not run \/nonexistent\/redis-server/);
  });
});
