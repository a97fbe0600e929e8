// @vitest-environment node
// The MDN chat protocol as the reference server speaks it: real server, real `ws` clients.
import { describe, expect, it } from 'vitest';

import { TestClient, barrier, startServer, withoutBarriers, type Packet } from '../helpers/referenceServer.ts';

const NOW = 1_700_000_000_000;

describe('connection', () => {
  it('gives ids from 1 up and selects the "json" sub-protocol', async () => {
    const server = await startServer();
    const [a, b] = [await TestClient.connect(server.url), await TestClient.connect(server.url)];
    const history = { history: 200, seq: 0, epoch: expect.any(String) };
    expect(a!.received).toEqual([{ type: 'id', id: 1, ext: 1, session: expect.any(String), typing: true, edits: true, ...history }]);
    expect(b!.received).toEqual([{ type: 'id', id: 2, ext: 1, session: expect.any(String), typing: true, edits: true, ...history }]);
    // A secret per connection.
    expect((a!.received[0] as { session: string }).session).not.toBe((b!.received[0] as { session: string }).session);
    expect(a!.socket.protocol).toBe('json');
    expect(server.clientCount).toBe(2);
  });

  it('announces its rate in id when it has one', async () => {
    const server = await startServer({ rateLimit: { messages: 5, interval: 2000 } });
    const client = await TestClient.connect(server.url);
    expect(client.received).toEqual([
      {
        type: 'id',
        id: 1,
        ext: 1,
        session: expect.any(String),
        typing: true,
        edits: true,
        rateMessages: 5,
        rateInterval: 2000,
        history: 200,
        seq: 0,
        epoch: expect.any(String),
      },
    ]);
  });

  it('serves a client that offers no sub-protocol, and picks "json" among several', async () => {
    const server = await startServer();
    const none = await TestClient.connect(server.url, { protocols: null });
    expect(none.socket.protocol).toBe('');
    const several = await TestClient.connect(server.url, { protocols: ['chat', 'json'] });
    expect(several.socket.protocol).toBe('json');
    expect(await none.register('plain')).toBe('plain');
  });

  it('answers a plain HTTP request with 426', async () => {
    const server = await startServer();
    const response = await fetch(server.url.replace('ws:', 'http:'));
    expect(response.status).toBe(426);
    await response.text();
  });
});

describe('the whole flow', () => {
  it('two clients: id, username, userlist, relay to both with the server-filled id and name', async () => {
    const server = await startServer();
    const ada = await TestClient.connect(server.url);
    const bob = await TestClient.connect(server.url);

    ada.sendUsername('Ada', NOW);
    await bob.waitFor((p) => p.type === 'userlist', 'first userlist');
    expect(ada.received.slice(1)).toEqual([
      { type: 'username', id: 1, name: 'Ada', date: NOW, seq: 1 },
      { type: 'userlist', users: ['Ada', null], seq: 2 },
    ]);
    expect(bob.received.slice(1)).toEqual(ada.received.slice(1));

    bob.sendUsername('Bob', NOW + 1);
    await ada.waitFor((p) => p.type === 'userlist' && (p.users as unknown[])[1] === 'Bob', 'userlist with Bob');
    expect(ada.received.slice(3)).toEqual([
      { type: 'username', id: 2, name: 'Bob', date: NOW + 1, seq: 3 },
      { type: 'userlist', users: ['Ada', 'Bob'], seq: 4 },
    ]);

    // Exactly what MDN's client sends: no nonce, so none in the relay.
    ada.send({ type: 'message', text: 'Hello, Bob', id: 1, date: NOW + 2 });
    const expected = { type: 'message', id: 1, name: 'Ada', text: 'Hello, Bob', date: NOW + 2, seq: 5 };
    expect(await bob.waitFor((p) => p.type === 'message', 'relay at bob')).toEqual(expected);
    expect(await ada.waitFor((p) => p.type === 'message', 'echo at ada')).toEqual(expected);
    expect(ada.ofType('rejectusername')).toEqual([]);
    expect(server.stats()).toMatchObject({ connections: 2, totalConnections: 2, usernames: 2, messagesRelayed: 1, invalidPackets: 0 });
  });

  it('three clients: rejectusername only to the requester, userlist with null, userlist after each disconnect', async () => {
    const server = await startServer();
    const [a, b, c] = (await TestClient.connectMany(server.url, 3)) as [TestClient, TestClient, TestClient];
    expect(await a.register('sam')).toBe('sam');
    await barrier(a, [a, b, c]);
    // b stays unnamed; c asks for a taken name.
    const from = c.received.length;
    c.sendUsername('sam', NOW);
    await c.waitFor((p) => p.type === 'userlist', 'userlist', from);
    expect(withoutBarriers(c.received.slice(from))).toEqual([
      { type: 'rejectusername', id: 3, name: 'sam2' },
      { type: 'username', id: 3, name: 'sam2', date: NOW, seq: expect.any(Number) },
      { type: 'userlist', users: ['sam', null, 'sam2'], seq: expect.any(Number) },
    ]);
    await b.waitFor((p) => p.type === 'username' && p.name === 'sam2', 'sam2 at b');
    await barrier(a, [a, b, c]);
    expect(a.ofType('rejectusername')).toEqual([]);
    expect(b.ofType('rejectusername')).toEqual([]);

    // Everyone hears the message, the unnamed one included.
    c.sendMessage('hi all', { nonce: 'n1' });
    for (const client of [a, b, c]) {
      expect(await client.waitFor((p) => p.nonce === 'n1', 'n1')).toMatchObject({ id: 3, name: 'sam2', text: 'hi all' });
    }

    await a.close();
    const afterA = await b.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 2, 'userlist without a');
    expect(afterA).toEqual({ type: 'userlist', users: [null, 'sam2'], seq: expect.any(Number) });
    await b.close();
    expect(await c.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 1, 'userlist of c')).toEqual({
      type: 'userlist',
      users: ['sam2'],
      seq: expect.any(Number),
    });
    expect(server.stats().closes).toEqual({ 1000: 2 });
  });

  it('a message before any name: the connection first gets user<id>, announced like a registration', async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    const b = await TestClient.connect(server.url);
    b.send({ type: 'message', text: 'early', id: 2, date: NOW });
    await a.waitFor((p) => p.type === 'message', 'message');
    expect(a.received.slice(1)).toEqual([
      { type: 'username', id: 2, name: 'user2', date: expect.any(Number), seq: 1 },
      { type: 'userlist', users: [null, 'user2'], seq: 2 },
      { type: 'message', id: 2, name: 'user2', text: 'early', date: NOW, seq: 3 },
    ]);
    expect(b.ofType('rejectusername')).toEqual([]);
  });

  it('renaming: a second username request renames the connection; an empty one keeps the name', async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    expect(await a.register('first')).toBe('first');
    expect(await a.register('second')).toBe('second');
    expect(a.ofType('userlist').at(-1)).toEqual({ type: 'userlist', users: ['second'], seq: 4 });
    expect(await a.register('   ')).toBe('second');
    expect(a.ofType('rejectusername')).toEqual([{ type: 'rejectusername', id: 1, name: 'second' }]);
    // Renaming to its own name in another case is no collision with itself.
    expect(await a.register('SECOND')).toBe('SECOND');
    // The extension's `previous` names the name it had, only on a rename (not on the first name, nor on the same name again).
    expect(a.ofType('username').map((p) => p.previous)).toEqual([undefined, 'first', undefined, 'second']);
  });

  it('an empty first name gets user<id>', async () => {
    const server = await startServer();
    const a = await TestClient.connect(server.url);
    expect(await a.register('')).toBe('user1');
    expect(a.ofType('rejectusername')).toEqual([{ type: 'rejectusername', id: 1, name: 'user1' }]);
  });

  it('dates: the client date when it is a finite number, else the server clock', async () => {
    const server = await startServer({ now: () => NOW });
    const a = await TestClient.connect(server.url);
    a.send({ type: 'username', name: 'a', id: 1, date: 'yesterday' });
    expect(await a.waitFor((p) => p.type === 'username', 'username')).toMatchObject({ date: NOW });
    a.send({ type: 'message', text: 'x', id: 1 });
    a.send({ type: 'message', text: 'y', id: 1, date: null });
    a.send({ type: 'message', text: 'z', id: 1, date: 5 });
    const messages = await a.waitForCount((p) => p.type === 'message', 3, '3 messages');
    expect(messages.map((p) => p.date)).toEqual([NOW, NOW, 5]);
  });
});

describe('names', () => {
  it('collide case-insensitively: Ada then ada gives ada2', async () => {
    const server = await startServer();
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    expect(await a.register('Ada')).toBe('Ada');
    expect(await b.register('ada')).toBe('ada2');
    expect(b.ofType('rejectusername')).toEqual([{ type: 'rejectusername', id: 2, name: 'ada2' }]);
  });

  it('repeated collisions count up, whatever the case, and full-width forms are the same name', async () => {
    const server = await startServer();
    const clients = await TestClient.connectMany(server.url, 5);
    const names: string[] = [];
    for (const [i, name] of ['bot', 'BOT', 'Bot', 'bOt', 'Ｂｏｔ'].entries()) names.push(await clients[i]!.register(name));
    expect(names).toEqual(['bot', 'BOT2', 'Bot3', 'bOt4', 'Ｂｏｔ5']);
    // A name that looks like a numbered one is not taken by the numbering.
    const extra = await TestClient.connect(server.url);
    expect(await extra.register('bot2')).toBe('bot22');
  });

  it('a name freed by a disconnect can be taken again', async () => {
    const server = await startServer();
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    expect(await a.register('ada')).toBe('ada');
    await a.close();
    await b.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 1, 'userlist without a');
    expect(await b.register('ADA')).toBe('ADA');
  });

  it('are trimmed, cleaned of control characters and cut to maxNameLength (never half an emoji)', async () => {
    const server = await startServer({ maxNameLength: 5 });
    const [a, b, c] = (await TestClient.connectMany(server.url, 3)) as [TestClient, TestClient, TestClient];
    expect(await a.register('  abcdefgh  ')).toBe('abcde');
    expect(a.ofType('rejectusername')).toEqual([{ type: 'rejectusername', id: 1, name: 'abcde' }]);
    // Taken when cut: the number still fits in 5.
    expect(await b.register('ABCDEFG')).toBe('ABCD2');
    expect(await c.register('😀😀\n😀😀😀😀')).toBe('😀😀 😀😀');
  });
});

describe('spoofing', () => {
  it("a message with another user's id and name is relayed with the sender's own, and only known fields", async () => {
    const server = await startServer();
    const [victim, mallory] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await victim.register('victim');
    await mallory.register('mallory');
    mallory.send({
      type: 'message',
      id: victim.id,
      name: 'victim',
      text: '<img src=x onerror=alert(1)>',
      date: NOW,
      nonce: 'm1',
      html: '<script>alert(1)</script>',
      users: ['forged'],
    });
    const relayed = await victim.waitFor((p) => p.type === 'message', 'relay');
    expect(relayed).toEqual({
      type: 'message',
      id: 2,
      name: 'mallory',
      text: '<img src=x onerror=alert(1)>',
      date: NOW,
      nonce: 'm1',
      seq: 5,
    });
    expect(Object.keys(relayed)).toEqual(['type', 'id', 'name', 'text', 'date', 'nonce', 'seq']);
  });

  it('forged userlist, rejectusername, id and a username with another id reach nobody else', async () => {
    const server = await startServer();
    const [victim, mallory, watcher] = (await TestClient.connectMany(server.url, 3)) as [TestClient, TestClient, TestClient];
    await victim.register('victim');
    await mallory.register('mallory');
    await barrier(mallory, [victim, mallory, watcher]);
    const marks = [victim, watcher].map((client) => client.received.length);

    mallory.send({ type: 'userlist', users: ['forged'] });
    mallory.send({ type: 'rejectusername', id: victim.id, name: 'forged' });
    mallory.send({ type: 'id', id: 99 });
    mallory.send({ type: '__proto__', id: 99 });
    // Renames mallory (id 2), not the victim.
    mallory.send({ type: 'username', id: victim.id, name: 'victim-renamed', date: NOW });
    await barrier(mallory, [victim, watcher, mallory]);

    for (const [i, client] of [victim, watcher].entries()) {
      expect(withoutBarriers(client.received.slice(marks[i]))).toEqual([
        { type: 'username', id: 2, name: 'victim-renamed', date: NOW, previous: 'mallory', seq: expect.any(Number) },
        { type: 'userlist', users: ['victim', 'victim-renamed', null], seq: expect.any(Number) },
      ]);
    }
    expect(server.stats()).toMatchObject({ unknownTypes: 4, invalidPackets: 4 });
    expect(JSON.stringify(victim.received)).not.toContain('forged');
  });
});

describe('nonce deduplication', () => {
  it('the same nonce twice is relayed once; the sender alone gets the second echo', async () => {
    const server = await startServer();
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await a.register('ada');
    a.sendMessage('once', { nonce: 'k1' });
    a.sendMessage('once', { nonce: 'k1' });
    await a.waitForCount((p) => p.nonce === 'k1', 2, 'two echoes at the sender');
    await barrier(a, [a, b]);
    expect(b.received.filter((p) => p.nonce === 'k1')).toHaveLength(1);
    expect(server.stats()).toMatchObject({ messagesRelayed: 2, duplicateMessages: 1 });
  });

  it('a resend after a reconnect (new connection, same name, same nonce) is relayed once and confirmed to the sender', async () => {
    const server = await startServer();
    const [first, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    await first.register('ada');
    await b.register('bob');
    first.sendMessage('survives a reconnect', { nonce: 'r1' });
    await b.waitFor((p) => p.nonce === 'r1', 'first relay');
    await first.close(1001);
    await b.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).length === 1, 'userlist without ada');

    const again = await TestClient.connect(server.url);
    expect(await again.register('ada')).toBe('ada');
    again.sendMessage('survives a reconnect', { nonce: 'r1' });
    expect(await again.waitFor((p) => p.nonce === 'r1', 'confirmation')).toMatchObject({ id: again.id, name: 'ada' });
    // Another user with the same nonce is another message.
    b.sendMessage('mine', { nonce: 'r1' });
    await again.waitFor((p) => p.nonce === 'r1' && p.name === 'bob', 'bob r1');
    await barrier(b, [b]);
    expect(b.received.filter((p) => p.nonce === 'r1').map((p) => p.name)).toEqual(['ada', 'bob']);
  });

  it('forgets after the window, and an over-long nonce is invalid', async () => {
    let time = NOW;
    // The dedupe covers the history (a resend the history could replay is dropped): both 1 min here.
    const server = await startServer({ now: () => time, dedupeWindow: 60_000, historyMaxAge: 60_000 });
    const a = await TestClient.connect(server.url);
    await a.register('ada');
    a.sendMessage('x', { nonce: 'w' });
    await a.waitFor((p) => p.nonce === 'w', 'first');
    time += 60_000;
    a.sendMessage('x', { nonce: 'w' });
    await a.waitForCount((p) => p.nonce === 'w', 2, 'second');
    expect(server.stats()).toMatchObject({ messagesRelayed: 2, duplicateMessages: 0 });

    a.sendMessage('long', { nonce: 'n'.repeat(65) });
    a.sendMessage('ok', { nonce: 'n'.repeat(64) });
    await a.waitFor((p) => p.text === 'ok', '64-char nonce');
    expect(a.received.some((p) => p.text === 'long')).toBe(false);
    expect(server.stats()).toMatchObject({ malformedPackets: 1 });
  });
});

describe('many clients', () => {
  it('50 clients at once get unique names and all receive a broadcast', async () => {
    const server = await startServer();
    const clients = await TestClient.connectMany(server.url, 50);
    expect(new Set(clients.map((c) => c.id)).size).toBe(50);
    for (const client of clients) client.sendUsername('bot');
    const last = clients.at(-1)!;
    const list = await last.waitFor((p) => p.type === 'userlist' && (p.users as unknown[]).every((name) => name !== null), 'full userlist');
    const users = list.users as string[];
    expect(new Set(users.map((name) => name.toLowerCase())).size).toBe(50);
    expect(users.filter((name) => name === 'bot')).toHaveLength(1);

    clients[0]!.sendMessage('to everyone', { nonce: 'all' });
    const relays: Packet[] = await Promise.all(clients.map((c) => c.waitFor((p) => p.nonce === 'all', 'broadcast')));
    expect(relays.every((p) => p.id === clients[0]!.id && p.text === 'to everyone')).toBe(true);
    expect(server.stats()).toMatchObject({ connections: 50, messagesRelayed: 1 });
  });
});
