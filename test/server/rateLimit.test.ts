// @vitest-environment node
// The reference server's rate limit, with real sockets: a fast but honest client is slowed down
// (its frames wait and are handled in order), only a flood far over the rate is cut (1008), and
// what waits goes away with its connection. The clock and `setTimeout` are faked, so frames over
// the rate wait exactly for the refill the test lets happen.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';

import { TestClient, barrier, startServer, withoutBarriers } from '../helpers/referenceServer.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Wait until `condition` holds, checking between I/O events: unlike expect.poll, this does not move
 * the fake clock (expect.poll advances fake timers by its interval), so tokens come back only when
 * the test says.
 */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 4000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The texts of the messages `client` received, barriers included. */
const texts = (client: TestClient) => client.ofType('message').map((p) => p.text);
const numbered = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `m${from + i}`);

describe('rate limit', () => {
  it('a burst over the rate waits and is relayed complete and in order; the connection stays open', async () => {
    const server = await startServer({ rateLimit: { messages: 2, interval: 1000 } });
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    for (const text of numbered(6)) a.sendMessage(text);
    await until(() => server.stats().rateDelayed === 4, '4 delayed');
    await barrier(b, [b]);
    expect(texts(b)).toEqual(['m0', 'm1', 'barrier']);

    vi.advanceTimersByTime(499);
    await barrier(b, [b]);
    expect(withoutBarriers(b.ofType('message')).map((p) => p.text)).toEqual(['m0', 'm1']);
    vi.advanceTimersByTime(1); // a token: one frame
    await b.waitForCount((p) => p.type === 'message' && p.id === a.id, 3, 'm2');
    vi.advanceTimersByTime(1500); // three tokens: the rest
    await b.waitForCount((p) => p.type === 'message' && p.id === a.id, 6, 'all six');
    expect(
      b
        .ofType('message')
        .filter((p) => p.id === a.id)
        .map((p) => p.text),
    ).toEqual(numbered(6));
    expect(withoutBarriers(a.ofType('message')).map((p) => p.text)).toEqual(numbered(6));
    expect(a.socket.readyState).toBe(WebSocket.OPEN);
    expect(server.stats()).toMatchObject({ rateDelayed: 4, rateLimited: 0, closes: {} });
  });

  it('a flood far over the rate (more than maxBacklog waiting, default five bursts) is cut with 1008; what waited is dropped', async () => {
    const events: string[] = [];
    const server = await startServer({ rateLimit: { messages: 4, interval: 1000 }, log: (event) => events.push(event.type) });
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    // The burst and a full backlog (20 = 5 × 4) are still an honest client's...
    for (const text of numbered(24)) a.sendMessage(text);
    await until(() => server.stats().rateDelayed === 20, '20 delayed');
    expect(server.stats()).toMatchObject({ rateLimited: 0, connections: 2 });
    // ...one more is a flood.
    a.sendMessage('m24');
    expect(await a.closed).toEqual({ code: 1008, reason: 'Rate limit exceeded' });
    await until(() => server.stats().closes[1008] === 1, 'the close');
    vi.advanceTimersByTime(60_000); // the backlog would have drained long ago
    await barrier(b, [b]);
    expect(texts(b)).toEqual([...numbered(4), 'barrier']);
    expect(server.stats()).toMatchObject({ rateDelayed: 20, rateLimited: 1 });
    // Logged once when the backlog started, not per frame; then the cut.
    expect(events.filter((type) => type.startsWith('rate-'))).toEqual(['rate-delayed', 'rate-limited']);
  });

  it('maxBacklog 0 cuts at the first frame over the rate', async () => {
    const server = await startServer({ rateLimit: { messages: 2, interval: 1000, maxBacklog: 0 } });
    const a = await TestClient.connect(server.url);
    for (const text of numbered(3)) a.sendMessage(text);
    expect((await a.closed).code).toBe(1008);
    expect(a.ofType('message').map((p) => p.text)).toEqual(['m0', 'm1']);
    expect(server.stats()).toMatchObject({ rateDelayed: 0, rateLimited: 1 });
  });

  it('the backlog and its timer go away with the connection', async () => {
    const server = await startServer({ rateLimit: { messages: 2, interval: 1000 } });
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    for (const text of numbered(5)) a.sendMessage(text);
    await until(() => server.stats().rateDelayed === 3, '3 delayed');
    expect(vi.getTimerCount()).toBe(1); // the connection's one timer, whatever waits
    await a.close();
    await until(() => server.clientCount === 1, 'the close');
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    await barrier(b, [b]);
    expect(texts(b)).toEqual(['m0', 'm1', 'barrier']);
    expect(server.stats()).toMatchObject({ messagesRelayed: 3, closes: { 1000: 1 } });
  });

  it('other connections are not held up by one over the rate', async () => {
    const server = await startServer({ rateLimit: { messages: 1, interval: 1000 } });
    const [a, b] = (await TestClient.connectMany(server.url, 2)) as [TestClient, TestClient];
    for (const text of numbered(3)) a.sendMessage(text);
    await until(() => server.stats().rateDelayed === 2, '2 delayed');
    b.sendMessage('from b');
    await a.waitFor((p) => p.text === 'from b', "b's message at a");
    expect(texts(a)).toEqual(['m0', 'from b']);
  });
});
