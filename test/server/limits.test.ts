// @vitest-environment node
// Every limit of the reference server (the rate limit: rateLimit.test.ts), its origin check, heartbeat and shutdown.
import type { IncomingMessage } from 'node:http';

import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { createChatServer, type ChatServerEvent } from '../../src/server/index.ts';
import { TestClient, barrier, startServer } from '../helpers/referenceServer.ts';

describe('maxPayload', () => {
  it('a frame over maxPayload closes the connection with 1009; one at the limit passes', async () => {
    const server = await startServer({ maxPayload: 1024 });
    const a = await TestClient.connect(server.url);
    const exact = JSON.stringify({ type: 'message', text: '', id: 1, date: 1 });
    a.send(exact.replace('"text":""', `"text":"${'x'.repeat(1024 - exact.length)}"`));
    await a.waitFor((p) => p.type === 'message', 'message at the limit');
    a.sendMessage('x'.repeat(2000));
    expect((await a.closed).code).toBe(1009);
    await expect.poll(() => server.stats().closes).toEqual({ 1009: 1 });
  });
});

describe('invalid packets', () => {
  const garbage: readonly (string | Buffer)[] = [
    'not json',
    '[1,2,3]',
    '"a string"',
    JSON.stringify({ type: 'shout', text: 'x' }),
    JSON.stringify({ type: 'message', text: 42 }),
    JSON.stringify({ type: 'username', name: null }),
    JSON.stringify({ no: 'type' }),
    Buffer.from([1, 2, 3]),
  ];

  it('up to maxInvalidPackets are ignored and counted; the connection stays open and works', async () => {
    const server = await startServer({ maxInvalidPackets: garbage.length });
    const a = await TestClient.connect(server.url);
    for (const frame of garbage) a.socket.send(frame);
    a.sendMessage('still here');
    await a.waitFor((p) => p.text === 'still here', 'relay after garbage');
    expect(server.stats()).toMatchObject({
      invalidPackets: 8,
      invalidJson: 1,
      malformedPackets: 5,
      unknownTypes: 1,
      binaryFrames: 1,
      invalidClosed: 0,
    });
    // One more closes with 1007.
    a.send('}');
    expect(await a.closed).toEqual({ code: 1007, reason: 'Too many invalid packets' });
    expect(server.stats().invalidClosed).toBe(1);
  });

  it('counts per connection: another connection is not affected', async () => {
    const events: ChatServerEvent[] = [];
    const server = await startServer({ maxInvalidPackets: 2, log: (event) => events.push(event) });
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    a.send('x');
    b.send('x');
    b.send('x');
    await barrier(b, [b]);
    a.send('x');
    a.send('x');
    expect((await a.closed).code).toBe(1007);
    await barrier(b, [b]);
    expect(events.filter((e) => e.type === 'invalid' && e.id === 2).map((e) => e.type === 'invalid' && e.count)).toEqual([1, 2]);
  });

  it('a text longer than maxTextLength is dropped and counted, the connection stays open', async () => {
    const server = await startServer({ maxTextLength: 10 });
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    a.sendMessage('12345678901');
    a.sendMessage('1234567890');
    await b.waitFor((p) => p.text === '1234567890', '10 chars');
    expect(b.received.some((p) => p.text === '12345678901')).toBe(false);
    expect(server.stats()).toMatchObject({ textTooLong: 1, invalidPackets: 1, messagesRelayed: 1 });
  });

  it('a blank text is ignored without counting as invalid', async () => {
    const server = await startServer({ maxInvalidPackets: 0 });
    const a = await TestClient.connect(server.url);
    a.sendMessage('   ');
    a.sendMessage('');
    a.sendMessage('x');
    await a.waitFor((p) => p.text === 'x', 'x');
    expect(a.ofType('message')).toHaveLength(1);
    expect(server.stats()).toMatchObject({ blankMessages: 2, invalidPackets: 0 });
  });
});

describe('slow readers', () => {
  it('a connection that does not read is terminated once maxBufferedAmount is queued for it', async () => {
    let slowConsumer: (id: number) => void = () => {};
    const terminated = new Promise<number>((resolve) => (slowConsumer = resolve));
    const server = await startServer({
      maxTextLength: 60_000,
      maxBufferedAmount: 256 * 1024,
      log: (event) => event.type === 'slow-consumer' && slowConsumer(event.id),
    });
    const [slow, fast] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    slow.socket.pause();
    const text = 'x'.repeat(60_000);
    // Enough to fill both kernels' socket buffers and then the server's queue; stop once it acted.
    let sent = 0;
    let done = false;
    void terminated.then(() => (done = true));
    while (!done && sent < 400) {
      fast.sendMessage(text);
      sent++;
      await fast.waitForCount((p) => p.type === 'message', sent, `relay ${sent}`);
    }
    expect(await terminated).toBe(slow.id);
    expect(server.stats()).toMatchObject({ slowConsumers: 1, connections: 1 });
    slow.socket.resume();
  });
});

describe('allowed origins', () => {
  /** The HTTP status of a refused upgrade. */
  function refusedStatus(client: TestClient): Promise<number> {
    return new Promise((resolve, reject) => {
      client.socket.on('unexpected-response', (_request, response: IncomingMessage) => {
        resolve(response.statusCode ?? 0);
        response.resume();
        client.socket.terminate();
      });
      client.socket.on('open', () => reject(new Error('the upgrade was accepted')));
    });
  }

  it('an allowed origin connects (case and default port do not matter); others and none get 403', async () => {
    const server = await startServer({ allowedOrigins: ['https://chat.example.com', 'http://localhost:5173'] });
    const allowed = await TestClient.connect(server.url, { origin: 'https://Chat.Example.com:443' });
    expect(allowed.id).toBe(1);
    await TestClient.connect(server.url, { origin: 'http://localhost:5173' });

    expect(await refusedStatus(TestClient.raw(server.url, 'json', { origin: 'https://evil.example.com' }))).toBe(403);
    expect(await refusedStatus(TestClient.raw(server.url, 'json', { origin: 'http://localhost:5174' }))).toBe(403);
    expect(await refusedStatus(TestClient.raw(server.url, 'json'))).toBe(403);
    expect(server.stats()).toMatchObject({ rejectedOrigins: 3, totalConnections: 2 });
  });

  it('without the option any origin connects', async () => {
    const server = await startServer();
    await TestClient.connect(server.url, { origin: 'https://anywhere.example' });
    await TestClient.connect(server.url);
    expect(server.clientCount).toBe(2);
  });
});

describe('heartbeat', () => {
  it('terminates a client that stops answering pings; one that answers stays', async () => {
    const server = await startServer({ heartbeatInterval: 40 });
    const silent = await TestClient.connect(server.url, { autoPong: false });
    const healthy = await TestClient.connect(server.url);
    let pings = 0;
    const threePings = new Promise<void>((resolve) =>
      healthy.socket.on('ping', () => {
        if (++pings === 3) resolve();
      }),
    );
    expect((await silent.closed).code).toBe(1006);
    await threePings;
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    expect(server.stats()).toMatchObject({ heartbeatTimeouts: 1, connections: 1 });
    expect(await healthy.waitFor((p) => p.type === 'userlist', 'userlist after the timeout')).toEqual({
      type: 'userlist',
      users: [null],
      seq: expect.any(Number),
    });
  });
});

describe('shutdown', () => {
  it('close() closes every client with 1001 and stops listening', async () => {
    const server = await startServer();
    const clients = await TestClient.connectMany(server.url, 3);
    await clients[0]!.register('ada');
    const closing = server.close();
    expect(server.close()).toBe(closing);
    await closing;
    for (const client of clients) expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(server.stats()).toMatchObject({ connections: 0, closes: { 1001: 3 } });
    // Nobody listens any more.
    const late = TestClient.raw(server.url, 'json');
    expect((await late.closed).code).toBe(1006);
  });

  it('terminates a client that does not finish the closing handshake within shutdownTimeout', async () => {
    const server = await startServer({ shutdownTimeout: 50 });
    const client = await TestClient.connect(server.url);
    client.socket.pause(); // reads nothing: never answers the close frame
    await server.close();
    expect(server.clientCount).toBe(0);
    client.socket.resume();
  });

  it('rejects when the port is taken, and checks its options', async () => {
    const server = await startServer();
    await expect(createChatServer({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
    await expect(createChatServer({ port: 70_000 })).rejects.toThrow(RangeError);
    await expect(createChatServer({ port: 0, maxTextLength: 0 })).rejects.toThrow(/maxTextLength/);
    await expect(createChatServer({ port: 0, rateLimit: { messages: 0, interval: 1 } })).rejects.toThrow(/rateLimit/);
    await expect(createChatServer({ port: 0, rateLimit: { messages: 1, interval: 1, maxBacklog: -1 } })).rejects.toThrow(/maxBacklog/);
  });
});

describe('log', () => {
  it('reports connections, names, closes; a throwing logger does no harm', async () => {
    const events: ChatServerEvent[] = [];
    const server = await startServer({
      log: (event) => {
        events.push(event);
        throw new Error('logger failure');
      },
    });
    const a = await TestClient.connect(server.url, { origin: 'https://o.example' });
    await a.register('ada');
    await a.close();
    await expect.poll(() => events.map((e) => e.type)).toEqual(['listening', 'connection', 'username', 'close']);
    expect(events[1]).toMatchObject({ type: 'connection', id: 1, origin: 'https://o.example', protocol: 'json' });
    expect(events[2]).toEqual({ type: 'username', id: 1, name: 'ada', requested: 'ada' });
    expect(events[3]).toEqual({ type: 'close', id: 1, code: 1000, reason: '' });
  });
});
