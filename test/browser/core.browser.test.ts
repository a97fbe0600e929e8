// The connection core against Chromium's own WebSocket and a real `ws` server on 127.0.0.1:
// what mock-socket cannot show (protocol and extensions only after open, failure order, close
// codes from a real peer) and parity of our checks with the browser's own.
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  ReadyState,
  WebSocketClient,
  autoReconnect,
  closeCodeMeaning,
  assertValidCloseArguments,
  normalizeProtocols,
  resolveWebSocketUrl,
  type CloseInfo,
  type WebSocketClientOptions,
  type WebSocketError,
  type WebSocketSnapshot,
} from '../../src/core/index.js';

const port = inject('realServerPort');
const base = `ws://127.0.0.1:${port}`;

let clients: WebSocketClient<unknown>[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  for (const client of clients) client.dispose();
  clients = [];
});

function connect<In = unknown>(options: WebSocketClientOptions<In>) {
  const client = new WebSocketClient<In>(options);
  clients.push(client as WebSocketClient<unknown>);
  const events: string[] = [];
  const errors: WebSocketError[] = [];
  const closes: CloseInfo[] = [];
  const messages: In[] = [];
  client.on('open', () => events.push('open'));
  client.on('error', (e) => {
    errors.push(e);
    events.push(`error:${e.kind}`);
  });
  client.on('close', (c) => {
    closes.push(c);
    events.push(`close:${c.code}`);
  });
  client.on('message', (m) => messages.push(m));
  client.connect();
  return { client, events, errors, closes, messages };
}

/** What the real server counted under `key`: upgrade requests (accepted or not) and the close codes it received. */
function serverStats(key: string): Promise<{ handshakes: number; closes: number[] }> {
  const socket = new WebSocket(`${base}/stats?key=${key}`);
  return new Promise((resolve, reject) => {
    socket.onmessage = (event: MessageEvent<string>) => resolve(JSON.parse(event.data));
    socket.onerror = () => reject(new Error(`could not read the server's stats for ${key}`));
  });
}

let keyCount = 0;
/** A key of its own for each test, so that the server's counts are this test's alone. */
const newKey = () => `${Date.now().toString(36)}-${++keyCount}`;

/** Resolve when the client's snapshot satisfies `predicate` (no fixed sleeps). */
function until<In>(client: WebSocketClient<In>, predicate: (s: WebSocketSnapshot<In>) => boolean, timeout = 5000) {
  return new Promise<WebSocketSnapshot<In>>((resolve, reject) => {
    if (predicate(client.getSnapshot())) return resolve(client.getSnapshot());
    const timer = setTimeout(() => {
      off();
      reject(new Error(`condition not met within ${timeout} ms; snapshot: ${JSON.stringify(client.getSnapshot())}`));
    }, timeout);
    const off = client.subscribe((snapshot) => {
      if (!predicate(snapshot)) return;
      clearTimeout(timer);
      off();
      resolve(snapshot);
    });
  });
}

describe('against a real server in Chromium', () => {
  it('reads protocol and extensions from the socket only once open', async () => {
    const { client } = connect({ url: `${base}/echo`, protocols: ['json', 'other'] });
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CONNECTING, protocol: '', extensions: '' });
    const open = await until(client, (s) => s.readyState === ReadyState.OPEN);
    expect(open.protocol).toBe('json');
    expect(open.extensions).toContain('permessage-deflate');
  });

  it('echoes JSON both ways', async () => {
    const { client, messages } = connect<{ hello: string }>({ url: `${base}/echo`, protocols: 'json' });
    expect(client.sendJson({ hello: 'queued' })).toBe('queued');
    await until(client, (s) => s.messageCount === 1);
    expect(client.sendJson({ hello: 'direct' })).toBe('sent');
    await until(client, (s) => s.messageCount === 2);
    expect(messages).toEqual([{ hello: 'queued' }, { hello: 'direct' }]);
  });

  it.each([
    ['without autoReconnect', false],
    ['with autoReconnect', autoReconnect({ initialDelay: 60_000, random: () => 0.5 })],
  ] as const)('reports a refused sub-protocol as one protocol error after exactly one probe, %s', async (_, reconnect) => {
    const key = newKey();
    const url = `${base}/no-protocol?key=${key}`;
    const { client, events, errors } = connect({ url, protocols: ['json'], reconnect });
    const published: WebSocketSnapshot<unknown>[] = [];
    client.subscribe((snapshot) => published.push(snapshot));
    const snapshot = await until(client, (s) => s.closeInfo !== null);
    // Chromium fails the handshake itself (error, close 1006); the probe, still within the same
    // attempt, finds the server reachable: one error, naming the cause, then the attempt's close.
    expect(events).toEqual(['error:protocol', 'close:1006']);
    expect(errors[0]?.message).toBe(`The server at '${url}' is reachable but refused the offered sub-protocols (json).`);
    expect((await serverStats(key)).handshakes).toBe(2);
    // CONNECTING until the probe has decided: the first CLOSED snapshot is the attempt's end.
    expect(published.filter((s) => s.readyState === ReadyState.CLOSED)).toEqual([snapshot]);
    if (reconnect) {
      // Inferred, not seen: retried with backoff.
      expect(snapshot).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
      expect(snapshot.nextReconnectAt).toBeGreaterThan(Date.now());
    } else {
      expect(snapshot).toMatchObject({ readyState: ReadyState.CLOSED, nextReconnectAt: null, reconnectAttempt: 0 });
    }
  });

  it('keeps retrying a server that refuses every other handshake for a while, and ends up connected', async () => {
    // Refused (503), probe accepted, refused, probe accepted: the pattern the old autoReconnect took
    // for a protocol refusal and gave up on for good. The server then accepts every handshake.
    const key = newKey();
    const { client, errors } = connect({
      url: `${base}/flaky?key=${key}&refuse=4`,
      protocols: ['json'],
      reconnect: autoReconnect({ initialDelay: 20, maxDelay: 40 }),
    });
    const settled: WebSocketSnapshot<unknown>[] = [];
    client.subscribe((s) => {
      if (s.readyState === ReadyState.CLOSED && s.nextReconnectAt === null) settled.push(s);
    });
    const open = await until(client, (s) => s.readyState === ReadyState.OPEN);
    expect(open.protocol).toBe('json');
    expect(errors.map((e) => e.kind)).toEqual(['protocol', 'protocol']);
    expect((await serverStats(key)).handshakes).toBe(5);
    expect(settled).toEqual([]);
  });

  it('still retries an unreachable server when protocols were offered', async () => {
    const { client, errors } = connect({
      url: `ws://127.0.0.1:${inject('closedPort')}/`,
      protocols: ['json'],
      reconnect: autoReconnect({ initialDelay: 60_000 }),
    });
    const snapshot = await until(client, (s) => s.nextReconnectAt !== null);
    expect(errors.map((e) => e.kind)).toEqual(['connection']);
    expect(snapshot.reconnectAttempt).toBe(1);
  });

  it('keeps the browser order on a failed connection: error, then close 1006, then a retry is scheduled', async () => {
    const { client, events, closes } = connect({
      url: `ws://127.0.0.1:${inject('closedPort')}/`,
      reconnect: autoReconnect({ initialDelay: 60_000 }),
    });
    const snapshot = await until(client, (s) => s.nextReconnectAt !== null);
    expect(events).toEqual(['error:connection', 'close:1006']);
    expect(closes[0]).toMatchObject({ code: 1006, wasClean: false });
    expect(snapshot).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
  });

  it('gives the close code, reason and meaning the server sent', async () => {
    const { client, closes } = connect({ url: `${base}/close?code=4321&reason=room%20closed`, reconnect: false });
    await until(client, (s) => s.closeInfo !== null);
    expect(closes[0]).toEqual({ code: 4321, reason: 'room closed', wasClean: true });
    expect(closeCodeMeaning(4321)).toBe('Application-defined (private use)');
  });

  it('delivers a flood of 2000 frames, every one, in order', async () => {
    const { client, messages } = connect<{ i: number }>({ url: `${base}/flood?n=2000` });
    await until(client, (s) => s.messageCount === 2000);
    expect(messages.map((m) => m.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('throws for a reason without a code, as Chromium does, and keeps the socket usable; the next close reaches the server', async () => {
    const key = newKey();
    const { client, messages } = connect({ url: `${base}/echo?key=${key}`, protocols: 'json' });
    await until(client, (s) => s.readyState === ReadyState.OPEN);
    let native: unknown;
    const probe = new WebSocket(`ws://127.0.0.1:1/`);
    try {
      probe.close(undefined, 'bye');
    } catch (error) {
      native = error;
    }
    probe.close();
    let ours: unknown;
    try {
      void client.close(undefined, 'bye');
    } catch (error) {
      ours = error;
    }
    expect((native as DOMException).name).toBe('InvalidAccessError');
    expect(ours).toBeInstanceOf(DOMException);
    expect((ours as DOMException).name).toBe('InvalidAccessError');
    // Nothing happened: still open, still talking.
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
    expect(client.sendJson({ still: 'open' })).toBe('sent');
    await until(client, (s) => s.messageCount === 1);
    expect(messages).toEqual([{ still: 'open' }]);
    const info = await client.close(1000, 'bye');
    expect(info).toMatchObject({ code: 1000, reason: 'bye', wasClean: true });
    await expect.poll(async () => (await serverStats(key)).closes).toEqual([1000]);
  });

  it('closes cleanly with the code and reason given', async () => {
    const { client } = connect({ url: `${base}/echo` });
    await until(client, (s) => s.readyState === ReadyState.OPEN);
    const info = await client.close(4000, 'bye');
    expect(info).toMatchObject({ code: 4000, reason: 'bye', wasClean: true });
  });
});

describe("parity with the browser's own checks", () => {
  /** What Chromium's constructor does with these arguments: the exception name, or 'ok'. */
  function nativeOutcome(url: string, protocols?: string | string[]): string {
    try {
      const socket = new WebSocket(url, protocols);
      socket.close();
      return 'ok';
    } catch (error) {
      return (error as DOMException).name;
    }
  }

  it.each([
    `${'ws'}://127.0.0.1:1/`,
    'http://127.0.0.1:1/x',
    '//127.0.0.1:1/relative-to-page',
    '/relative',
    'ws://127.0.0.1:1/#frag',
    'ws://127.0.0.1:1/#',
    'ftp://127.0.0.1/',
    'javascript:alert(1)',
    'ws://[not-an-ip]/',
  ])('URL %s', (url) => {
    const ours = resolveWebSocketUrl(url);
    const native = nativeOutcome(url);
    expect(ours.ok ? 'ok' : ours.error.kind === 'syntax' ? 'SyntaxError' : ours.error.kind).toBe(native);
    if (ours.ok) {
      const socket = new WebSocket(url);
      expect(ours.value).toBe(socket.url);
      socket.close();
    }
  });

  it.each([['json'], [['a', 'b']], [['a', 'a']], ['a b'], [''], ['a,b'], ['é'], [['ok', 'x{y}']], [[]]] as [string | string[]][])(
    'protocols %j',
    (protocols) => {
      const ours = normalizeProtocols(protocols);
      expect(ours.ok ? 'ok' : 'SyntaxError').toBe(nativeOutcome(`ws://127.0.0.1:1/`, protocols));
    },
  );

  it.each([
    [1000, undefined],
    [3000.5, undefined],
    [999.6, undefined],
    [1001, undefined],
    [4999.5, undefined],
    [NaN, undefined],
    [Infinity, undefined],
    [1000 + 65536, undefined],
    [-64536, undefined],
    [-1, undefined],
    [4000, 'x'.repeat(123)],
    [4000, 'x'.repeat(124)],
    [4000, '€'.repeat(41)],
    [4000, '€'.repeat(42)],
    [undefined, 'bye'],
    [undefined, ''],
    [undefined, 'x'.repeat(124)],
    [undefined, undefined],
  ] as [number | undefined, string | undefined][])('close(%s, reason of %s)', (code, reason) => {
    let native = 'ok';
    const socket = new WebSocket(`ws://127.0.0.1:1/`);
    try {
      socket.close(code, reason);
    } catch (error) {
      native = (error as DOMException).name;
    }
    socket.close();
    let ours = 'ok';
    try {
      assertValidCloseArguments(code, reason);
    } catch (error) {
      expect(error).toBeInstanceOf(DOMException);
      ours = (error as DOMException).name;
    }
    expect(ours).toBe(native);
  });
});

describe('in a Web Worker', () => {
  it('runs the core with no window or document and talks to the real server', async () => {
    const worker = new Worker(new URL('./fixtures/core.worker.ts', import.meta.url), { type: 'module' });
    try {
      const report = await new Promise<Record<string, unknown>>((resolve, reject) => {
        worker.addEventListener('message', (event: MessageEvent<Record<string, unknown>>) => resolve(event.data));
        worker.addEventListener('error', (event) => reject(new Error(`worker failed: ${event.message}`)));
        worker.postMessage({ url: `${base}/echo` });
      });
      expect(report).toEqual({
        received: [{ echo: 'from the worker' }],
        readyState: ReadyState.OPEN,
        protocol: 'json',
        inWorker: true,
        hasWindow: false,
        hasDocument: false,
        open: true,
      });
    } finally {
      worker.terminate();
    }
  });
});
