// @vitest-environment node
// The core must run with no `window` or `document`: these tests run in plain Node to prove it.
import { describe, expect, it, vi } from 'vitest';
import {
  ClientCloseCode,
  ReadyState,
  WebSocketClient,
  autoReconnect,
  closeCodeMeaning,
  heartbeat,
  type WebSocketConstructor,
  type WebSocketClientOptions,
} from '../../src/core/index.js';
import { Server, type WebSocket as MockWebSocket } from 'mock-socket';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';
import { setupClient, tick } from '../helpers/coreClient.js';

const cleanups = fakeTimersPerTest();
const setup = <In = unknown>(options: Partial<WebSocketClientOptions<In>> = {}, serverOptions = {}) =>
  setupClient<In>(cleanups, options, serverOptions);

describe('state', () => {
  it('reports CONNECTING, then OPEN with the negotiated protocol, which reads empty until open', async () => {
    const { client } = setup({ protocols: ['json', 'text'] }, { selectProtocol: () => 'text' });
    expect(client.getSnapshot().readyState).toBe(ReadyState.CONNECTING);
    client.connect();
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CONNECTING, protocol: '', extensions: '' });
    await tick();
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, protocol: 'text', extensions: '', error: null });
  });

  it('gives a new frozen snapshot on each change and the same one otherwise', async () => {
    const { client } = setup();
    const seen: unknown[] = [];
    client.subscribe((snapshot, previous) => seen.push([snapshot, previous]));
    const first = client.getSnapshot();
    expect(client.getSnapshot()).toBe(first);
    client.connect();
    await tick();
    const open = client.getSnapshot();
    expect(open).not.toBe(first);
    expect(Object.isFrozen(open)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(client.getSnapshot()).toBe(open);
  });

  it('mirrors CLOSING and CLOSED around a close', async () => {
    const { client } = setup();
    client.connect();
    await tick();
    const closing = client.close(1000, 'bye');
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSING);
    await tick(50);
    const info = await closing;
    expect(info).toEqual({ code: 1000, reason: 'bye', wasClean: true });
    expect(closeCodeMeaning(info.code)).toBe('Normal closure');
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, closeInfo: info });
  });
});

describe('errors as values, found before any socket is made', () => {
  const cases: [string, Partial<WebSocketClientOptions>, string][] = [
    ['an unparsable URL', { url: 'ws://exa mple.com:99999' }, 'syntax'],
    ['a scheme that is not ws, wss, http or https', { url: 'ftp://example.com/' }, 'syntax'],
    ['a fragment', { url: 'ws://example.com/#room' }, 'syntax'],
    ['a bare #', { url: 'ws://example.com/#' }, 'syntax'],
    ['a relative URL without a base', { url: '/chat' }, 'syntax'],
    ['a repeated protocol', { protocols: ['json', 'json'] }, 'syntax'],
    ['a protocol that is not a token', { protocols: 'a b' }, 'syntax'],
    ['ws: from an https: page', { url: 'ws://example.com/', baseUrl: 'https://app.example/' }, 'security'],
  ];
  it.each(cases)('%s', async (_name, options, kind) => {
    const { client, created, errors } = setup(options);
    expect(() => client.connect()).not.toThrow();
    await tick(100);
    expect(created).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.kind).toBe(kind);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, error: errors[0], nextReconnectAt: null });
  });

  it('resolves relative URLs against the base and maps https to wss', async () => {
    const { client, created } = setup({ url: '/chat?room=1', baseUrl: 'https://app.example/page' });
    client.connect();
    expect(created[0]?.url).toBe('wss://app.example/chat?room=1');
    expect(client.getSnapshot().url).toBe('wss://app.example/chat?room=1');
  });

  it('maps a constructor exception to an error of the same kind', async () => {
    class Refusing {
      constructor() {
        throw new DOMException('blocked', 'SecurityError');
      }
    }
    const { client, errors } = setup({ WebSocket: Refusing as unknown as WebSocketClientOptions['WebSocket'] });
    client.connect();
    expect(errors.map((e) => e.kind)).toEqual(['security']);
  });
});

describe('sub-protocol negotiation', () => {
  it('offers one string as one protocol', async () => {
    const offered: string[][] = [];
    const { client } = setup(
      { protocols: 'json' },
      {
        selectProtocol: (p: string[]) => {
          offered.push(p);
          return 'json';
        },
      },
    );
    client.connect();
    await tick();
    expect(offered).toEqual([['json']]);
    expect(client.getSnapshot().protocol).toBe('json');
  });

  it('treats a server that selects none as a protocol error, closes with 4001 and does not reconnect', async () => {
    const { client, errors, closes, created, mock } = setup({ protocols: ['json'] }, { selectProtocol: () => '' });
    client.connect();
    await tick(50);
    expect(errors.map((e) => e.kind)).toEqual(['protocol']);
    expect(errors[0]?.message).toContain('json');
    expect(closes[0]?.code).toBe(ClientCloseCode.PROTOCOL_NOT_NEGOTIATED);
    await tick(120_000);
    expect(created).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, nextReconnectAt: null });
    expect(mock.connections).toHaveLength(1);
  });

  /** Like Chromium with a server that selects none: the handshake offering sub-protocols fails outright. */
  const refusesProtocols = { selectProtocol: (offered: string[]) => (offered.length > 0 ? 'not-offered' : '') };

  it.each([
    ['without autoReconnect', false],
    ['with autoReconnect', autoReconnect({ initialDelay: 60_000, random: () => 0.5 })],
  ] as const)(
    'tells a handshake failed over sub-protocols from an unreachable server by one probe, in the attempt, %s',
    async (_, reconnect) => {
      const { client, order, errors, closes, created, overlaps } = setup({ protocols: ['json'], reconnect }, refusesProtocols);
      const published: number[] = [];
      client.subscribe((snapshot) => published.push(snapshot.readyState));
      client.connect();
      await tick(); // the handshake fails; the probe starts, within the same attempt
      expect(created).toHaveLength(2);
      expect(order).toEqual([]);
      expect(client.getSnapshot().readyState).toBe(ReadyState.CONNECTING);
      await tick(20);
      // One error, named for its cause, then the attempt's own close.
      expect(order).toEqual(['error:protocol', `close:${closes[0]?.code}`]);
      expect(errors[0]?.message).toBe(
        `The server at '${client.getSnapshot().url}' is reachable but refused the offered sub-protocols (json).`,
      );
      expect(created.map((socket) => socket.readyState)).toEqual([3, 3]);
      // The probe waits for the real socket to close, the attempt ends once the probe has closed.
      expect(overlaps).toEqual([0, 0]);
      expect(published.filter((state) => state === ReadyState.CLOSED)).toHaveLength(1);
      if (reconnect) {
        // Inferred, not seen (a server that refuses some handshakes looks the same): retried with backoff.
        expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
        const next = client.getSnapshot().nextReconnectAt as number;
        expect(next).toBeGreaterThan(Date.now());
        await tick(next - Date.now() + 20);
        expect(created).toHaveLength(4);
        expect(errors.map((e) => e.kind)).toEqual(['protocol', 'protocol']);
      } else {
        expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, nextReconnectAt: null });
        await tick(60_000);
        expect(created).toHaveLength(2);
      }
    },
  );

  it('reports an unreachable server once, as a connection error, after a probe that failed too', async () => {
    const { client, order, created } = setup({
      url: 'ws://nothing-here.test:1/',
      protocols: ['json'],
      reconnect: autoReconnect({ initialDelay: 60_000, random: () => 0.5 }),
    });
    client.connect();
    await tick(20);
    expect(created).toHaveLength(2);
    // (mock-socket closes a failed connection with 1000 where a browser says 1006.)
    expect(order).toEqual(['error:connection', `close:${client.getSnapshot().closeInfo?.code}`]);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
  });

  it('never probes after a close it asked for, nor without required sub-protocols', async () => {
    const { client, created } = setup({ url: 'ws://nothing-here.test:1/', protocols: ['json'], requireProtocol: false, reconnect: false });
    client.connect();
    await tick(20);
    expect(created).toHaveLength(1);
    const other = setup({ url: 'ws://nothing-here.test:2/', reconnect: false });
    other.client.connect();
    await tick(20);
    expect(other.created).toHaveLength(1);
  });

  it('keeps retrying when the probe connects twice in a row with a failed attempt between (no proof of a refusal)', async () => {
    const { client, created, errors } = setup(
      { protocols: ['json'], reconnect: autoReconnect({ initialDelay: 10, maxDelay: 10, random: () => 0.5 }) },
      refusesProtocols,
    );
    client.connect();
    await tick(200);
    // Many attempts, each with its probe: it never settles for good.
    expect(created.length).toBeGreaterThan(6);
    expect(errors.every((e) => e.kind === 'protocol')).toBe(true);
    expect(client.getSnapshot().nextReconnectAt !== null || client.getSnapshot().readyState === ReadyState.CONNECTING).toBe(true);
  });

  it('ends the attempt at once, without an error, when reconnect() is called during the probe', async () => {
    const { client, created, order } = setup({ protocols: ['json'], reconnect: false }, refusesProtocols);
    client.connect();
    await tick();
    expect(created).toHaveLength(2);
    client.reconnect();
    expect(created[1]?.readyState).toBe(ReadyState.CLOSING);
    expect(order).toEqual([`close:${client.getSnapshot().closeInfo?.code}`]);
    // The new attempt started at once (its URL is a plain string).
    expect(created).toHaveLength(3);
    expect(client.getSnapshot().readyState).toBe(ReadyState.CONNECTING);
  });

  it('still connects when the server came back while an attempt was failing (the probe then reads it as a refusal)', async () => {
    const mock = createMockServer({ selectProtocol: (offered: string[]) => (offered.includes('json') ? 'json' : '') });
    const { url } = mock;
    const factory = createSocketFactory();
    const client = new WebSocketClient({
      url,
      protocols: 'json',
      WebSocket: factory.WebSocket,
      reconnect: autoReconnect({ initialDelay: 100, random: () => 0.5 }),
    });
    cleanups.push(() => client.dispose());
    client.connect();
    await tick(10);
    mock.server.close({ code: 1006, reason: '', wasClean: false });
    await tick(51); // the retry's socket is made while no server listens...
    const back = new Server(url, { mock: false, selectProtocol: (offered: string[]) => (offered.includes('json') ? 'json' : '') });
    cleanups.push(() => back.stop());
    await tick(30); // ...and the server is back before that attempt reports its failure
    // The probe connects, which is all a refusal looks like in a browser: reported, but retried.
    expect(client.getSnapshot().error?.kind).toBe('protocol');
    const next = client.getSnapshot().nextReconnectAt as number;
    expect(next).not.toBeNull();
    await tick(next - Date.now() + 20);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, protocol: 'json' });
    expect(client.getSnapshot().error).toBeNull();
  });

  it('abandons the probe when the client is closed meanwhile: the attempt ends at once, without an error', async () => {
    const { client, errors, closes, created } = setup({ protocols: ['json'] }, refusesProtocols);
    client.connect();
    await tick(); // the handshake fails; the probe starts
    expect(created).toHaveLength(2);
    const info = await client.close();
    // Resolved with how the attempt's socket closed, the one close event.
    expect(info).toEqual(closes[0]);
    await tick(20);
    expect(errors).toEqual([]);
    expect(closes).toHaveLength(1);
    expect(created[1]?.readyState).toBe(ReadyState.CLOSED);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, nextReconnectAt: null });
  });

  it('accepts no protocol when requireProtocol is false', async () => {
    const { client, errors } = setup({ protocols: ['json'], requireProtocol: false }, { selectProtocol: () => '' });
    client.connect();
    await tick();
    expect(errors).toEqual([]);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, protocol: '' });
  });
});

describe('parsing and validation', () => {
  it('parses JSON by default and reports a bad frame with its data, then carries on', async () => {
    const { client, mock, messages, errors } = setup();
    client.connect();
    await tick();
    mock.send('{"a":1}');
    mock.send('{not json');
    mock.send('{"a":2}');
    await tick();
    expect(messages).toEqual([{ a: 1 }, { a: 2 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'parse', data: '{not json' });
    expect(errors[0]?.message).toMatch(/^Could not parse a frame as JSON: ./);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, lastMessage: { a: 2 }, messageCount: 2 });
  });

  it('skips and reports a message that fails validation, never substituting a value', async () => {
    const isPoint = (v: unknown): v is { x: number } => typeof (v as { x?: unknown } | null)?.x === 'number';
    const { client, mock, messages, errors } = setup<{ x: number }>({ validate: isPoint });
    client.connect();
    await tick();
    mock.send('{"x":"no"}');
    mock.send('null');
    await tick();
    expect(messages).toEqual([]);
    expect(errors.map((e) => [e.kind, e.data])).toEqual([
      ['validation', '{"x":"no"}'],
      ['validation', 'null'],
    ]);
    expect(client.getSnapshot()).toMatchObject({ lastMessage: null, messageCount: 0 });
  });

  it("passes raw text with parse: 'text' and uses a custom parser", async () => {
    const text = setup<string>({ parse: 'text' });
    text.client.connect();
    const custom = setup<number>({ parse: (data) => Number.parseInt(String(data), 16) });
    custom.client.connect();
    await tick();
    text.mock.send('{not json');
    custom.mock.send('ff');
    await tick();
    expect(text.messages).toEqual(['{not json']);
    expect(custom.messages).toEqual([255]);
  });

  it('reports a binary frame where text is expected', async () => {
    const { client, mock, errors, messages } = setup();
    client.connect();
    await tick();
    mock.socket.send(new ArrayBuffer(4) as unknown as string);
    await tick();
    expect(messages).toEqual([]);
    expect(errors[0]?.kind).toBe('parse');
    expect(errors[0]?.message).toMatch(/binary/);
  });

  it('reports a parser that throws as a parse error with its cause', async () => {
    const boom = new Error('boom');
    const { client, mock, errors } = setup({
      parse: () => {
        throw boom;
      },
    });
    client.connect();
    await tick();
    mock.send('x');
    await tick();
    expect(errors[0]).toMatchObject({ kind: 'parse', data: 'x', cause: boom });
  });
});

describe('every message delivered', () => {
  it('delivers 500 messages sent in one tick to every listener, in order', async () => {
    const { client, mock, messages } = setup();
    const second: unknown[] = [];
    client.on('message', (m) => second.push(m));
    client.connect();
    await tick();
    for (let i = 0; i < 500; i++) mock.send(JSON.stringify(i));
    await tick();
    const expected = Array.from({ length: 500 }, (_, i) => i);
    expect(messages).toEqual(expected);
    expect(second).toEqual(expected);
    expect(client.getSnapshot()).toMatchObject({ messageCount: 500, lastMessage: 499 });
  });

  it('keeps delivering to other listeners when one throws', async () => {
    const { client, mock, messages } = setup();
    const thrown: unknown[] = [];
    const onUncaught = (error: unknown) => thrown.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      client.on('message', () => {
        throw new Error('listener bug');
      });
      client.connect();
      await tick();
      mock.send('1');
      await tick();
      expect(messages).toEqual([1]);
    } finally {
      await Promise.resolve();
      process.off('uncaughtException', onUncaught);
    }
  });
});

describe('sending', () => {
  it('queues while connecting and flushes in order on open, before what an open listener sends', async () => {
    const { client, mock } = setup();
    client.on('open', () => client.send('from onOpen'));
    client.connect();
    expect(client.send('one')).toBe('queued');
    expect(client.sendJson({ n: 2 })).toBe('queued');
    expect(client.getSnapshot().queued).toBe(2);
    await tick(20);
    expect(mock.received).toEqual(['one', '{"n":2}', 'from onOpen']);
    expect(client.getSnapshot().queued).toBe(0);
    expect(client.send('three')).toBe('sent');
    await tick();
    expect(mock.received.at(-1)).toBe('three');
  });

  it('rejects past the outbox limit and reports an overflow', async () => {
    const { client, errors } = setup({ maxQueue: 2 });
    expect(client.send('a')).toBe('queued');
    expect(client.send('b')).toBe('queued');
    expect(client.send('c')).toBe('rejected');
    expect(errors[0]).toMatchObject({ kind: 'overflow', data: 'c' });
    expect(client.getSnapshot().queued).toBe(2);
  });

  it('sends binary data of every kind and sets binaryType on the socket', async () => {
    const { client, mock, created } = setup({ binaryType: 'arraybuffer' });
    client.connect();
    await tick();
    expect(created[0]?.binaryType).toBe('arraybuffer');
    expect(client.send(new Uint8Array([1, 2]))).toBe('sent');
    expect(client.send(new ArrayBuffer(3))).toBe('sent');
    expect(client.send(new Blob(['x']))).toBe('sent');
    client.setBinaryType('blob');
    expect(created[0]?.binaryType).toBe('blob');
    await tick();
    expect(mock.received).toHaveLength(3);
  });

  it('rejects a value JSON cannot encode, as a send error', async () => {
    const { client, errors } = setup();
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(client.sendJson(cyclic)).toBe('rejected');
    expect(client.sendJson(undefined)).toBe('rejected');
    expect(errors.map((e) => e.kind)).toEqual(['send', 'send']);
  });
});

describe('backpressure: maxBufferedAmount', () => {
  /** An open client whose socket's bufferedAmount grows by what is sent and drains when told. */
  async function slowPeer(options: Partial<WebSocketClientOptions> = {}) {
    const ctx = setup({ maxBufferedAmount: 10, ...options });
    ctx.client.connect();
    await tick();
    const socket = ctx.created[0] as WebSocket;
    let buffered = 0;
    const written: string[] = [];
    Object.defineProperty(socket, 'bufferedAmount', { get: () => buffered });
    vi.spyOn(socket, 'send').mockImplementation((data) => {
      written.push(String(data));
      buffered += String(data).length;
    });
    return { ...ctx, socket, written, drain: () => (buffered = 0) };
  }

  it('holds sends in the outbox above the high-water mark and sends them, in order, as the buffer drains', async () => {
    const { client, written, drain } = await slowPeer();
    expect(client.send('aaaaaa')).toBe('sent');
    expect(client.send('bbbbbb')).toBe('sent'); // 6 < 10: still under the mark
    expect(client.send('cc')).toBe('queued'); // 12 >= 10
    expect(client.send('dd')).toBe('queued');
    expect(client.getSnapshot()).toMatchObject({ queued: 2, bufferedAmount: 12 });
    await tick(200);
    expect(written).toEqual(['aaaaaa', 'bbbbbb']);
    drain();
    await tick(60);
    expect(written).toEqual(['aaaaaa', 'bbbbbb', 'cc', 'dd']);
    expect(client.getSnapshot()).toMatchObject({ queued: 0, bufferedAmount: 4 });
    drain();
    expect(client.send('ee')).toBe('sent');
  });

  it('rejects as overflow once the held-back outbox is full, so memory stays bounded', async () => {
    const { client, errors, written } = await slowPeer({ maxQueue: 3 });
    const results = Array.from({ length: 10 }, (_, i) => client.send(`message ${i}`));
    expect(results).toEqual(['sent', 'sent', 'queued', 'queued', 'queued', ...Array(5).fill('rejected')]);
    expect(written).toHaveLength(2);
    expect(errors.filter((e) => e.kind === 'overflow').map((e) => e.data)).toEqual([5, 6, 7, 8, 9].map((i) => `message ${i}`));
  });

  it('sends only part of the outbox per drain when the buffer fills again', async () => {
    const { client, written, drain } = await slowPeer();
    client.send('0123456789');
    for (const word of ['aaaaaa', 'bbbbbb', 'cccccc']) expect(client.send(word)).toBe('queued');
    drain();
    await tick(60);
    expect(written).toEqual(['0123456789', 'aaaaaa', 'bbbbbb']);
    expect(client.getSnapshot().queued).toBe(1);
    drain();
    await tick(60);
    expect(written.at(-1)).toBe('cccccc');
  });

  it('close() sends what was queued before it as the buffer drains, then closes', async () => {
    const { client, socket, written, drain } = await slowPeer({ closeTimeout: 1000 });
    const closeSpy = vi.spyOn(socket, 'close');
    client.send('0123456789');
    client.send('aaaaaa');
    client.send('bbbbbb');
    void client.close();
    client.send('after close');
    drain();
    await tick(30);
    expect(written).toEqual(['0123456789', 'aaaaaa', 'bbbbbb']);
    expect(closeSpy).not.toHaveBeenCalled(); // 12 bytes still buffered
    drain();
    await tick(30);
    expect(closeSpy).toHaveBeenCalledTimes(1);
    expect(written).not.toContain('after close');
  });

  it('discardQueued() takes back what waits, in order', async () => {
    const { client, written } = await slowPeer();
    client.send('0123456789');
    client.send('x');
    client.send('y');
    expect(client.discardQueued()).toEqual(['x', 'y']);
    expect(client.getSnapshot().queued).toBe(0);
    expect(written).toEqual(['0123456789']);
  });

  it('discardQueued(filter) takes back only what the filter accepts, and close() still sends the rest', async () => {
    const { client, socket, written, drain } = await slowPeer({ closeTimeout: 1000 });
    const closeSpy = vi.spyOn(socket, 'close');
    client.send('0123456789');
    for (const item of ['mine 1', 'theirs', 'mine 2']) client.send(item);
    void client.close();
    expect(client.discardQueued((data) => String(data).startsWith('mine'))).toEqual(['mine 1', 'mine 2']);
    expect(client.getSnapshot().queued).toBe(1);
    drain();
    await tick(30);
    expect(written).toEqual(['0123456789', 'theirs']);
    drain();
    await tick(30);
    expect(closeSpy).toHaveBeenCalledTimes(1);
  });

  it('with maxBufferedAmount 0, sends one message at a time as the buffer empties', async () => {
    const { client, written, drain } = await slowPeer({ maxBufferedAmount: 0 });
    expect(client.send('a')).toBe('sent');
    expect(client.send('b')).toBe('queued');
    drain();
    await tick(60);
    expect(written).toEqual(['a', 'b']);
  });

  it('hands everything to the socket with maxBufferedAmount: Infinity', async () => {
    const { client, written } = await slowPeer({ maxBufferedAmount: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 50; i++) expect(client.send('0123456789')).toBe('sent');
    expect(written).toHaveLength(50);
  });
});

describe('closing', () => {
  it('throws the browser DOMException synchronously for a bad code or reason', () => {
    const { client } = setup();
    expect(() => client.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => client.close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    let caught: unknown;
    try {
      client.close(2000);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DOMException);
  });

  it('closes a stand-in that refuses the arguments with close() instead: never lets go of an open socket', async () => {
    const mock = createMockServer();
    const factory = createSocketFactory();
    class PickyWebSocket extends (factory.WebSocket as unknown as typeof MockWebSocket) {
      override close(code?: number, reason?: string) {
        if (code !== undefined || reason !== undefined) throw new TypeError('this stand-in takes no arguments');
        super.close();
      }
    }
    const client = new WebSocketClient({ url: mock.url, WebSocket: PickyWebSocket as unknown as WebSocketConstructor });
    cleanups.push(() => {
      client.dispose();
      mock.stop();
    });
    client.connect();
    await tick();
    expect(mock.connections).toHaveLength(1);
    const closing = client.close(4000, 'bye');
    await tick();
    await closing;
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
    expect(factory.created[0]?.readyState).toBe(ReadyState.CLOSED);
  });

  it('waits for queued messages to go out before closing', async () => {
    const { client, mock } = setup();
    client.connect();
    client.send('queued before close');
    const closed = client.close(1000, 'done');
    client.send('sent after close');
    await tick(100);
    const info = await closed;
    expect(mock.received).toEqual(['queued before close']);
    expect(info.code).toBe(1000);
    expect(client.getSnapshot().queued).toBe(1);
  });

  it('waits for bufferedAmount to drain, bounded by closeTimeout', async () => {
    const { client, created } = setup({ closeTimeout: 300 });
    client.connect();
    await tick();
    const socket = created[0] as WebSocket;
    let buffered = 1000;
    Object.defineProperty(socket, 'bufferedAmount', { get: () => buffered });
    const closeSpy = vi.spyOn(socket, 'close');
    void client.close();
    await tick(100);
    expect(closeSpy).not.toHaveBeenCalled();
    buffered = 0;
    await tick(30);
    expect(closeSpy).toHaveBeenCalledTimes(1);

    const stuck = setup({ closeTimeout: 300 });
    stuck.client.connect();
    await tick();
    const stuckSocket = stuck.created[0] as WebSocket;
    Object.defineProperty(stuckSocket, 'bufferedAmount', { get: () => 5 });
    const stuckClose = vi.spyOn(stuckSocket, 'close');
    void stuck.client.close();
    await tick(280);
    expect(stuckClose).not.toHaveBeenCalled();
    await tick(50);
    expect(stuckClose).toHaveBeenCalledTimes(1);
  });

  it('resolves at once when nothing is connected', async () => {
    const { client, created } = setup();
    await expect(client.close(4000, 'never')).resolves.toMatchObject({ code: 4000, reason: 'never' });
    expect(created).toHaveLength(0);
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
  });

  it('gives close info whose code has a meaning, and keeps the browser order: error, then close 1006', async () => {
    const { client, mock, order, closes } = setup({ reconnect: false });
    client.connect();
    await tick();
    mock.server.simulate('error');
    await tick();
    expect(order).toEqual(['open', 'error:connection', 'close:1006']);
    expect(closes[0]).toMatchObject({ code: 1006, wasClean: false });
    expect(closeCodeMeaning(closes[0]!.code)).toMatch(/Abnormal/);
  });
});

describe('sharing: acquire and release', () => {
  it('keeps one socket through release-and-reacquire in the same task, as StrictMode does', async () => {
    const { client, created } = setup();
    const release = client.acquire();
    release();
    const again = client.acquire();
    await tick();
    expect(created).toHaveLength(1);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
    again();
    await tick(20);
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
    expect(created[0]?.readyState).toBe(ReadyState.CLOSED);
  });

  it('does not retry a failed attempt when re-acquired in the same task', async () => {
    const { client, errors } = setup({ url: 'ftp://example.com/' });
    client.acquire()();
    client.acquire();
    await tick(20);
    expect(errors.map((e) => e.kind)).toEqual(['syntax']);
  });

  it('resolves every close() caller when a close is already under way', async () => {
    const { client } = setup();
    client.connect();
    await tick();
    client.reconnect(); // closes the socket, to open a new one
    const waiting = client.close(1000);
    await tick(20);
    await expect(waiting).resolves.toMatchObject({ code: 1000 });
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
  });

  it('closes only when the last user releases', async () => {
    const { client } = setup();
    const a = client.acquire();
    const b = client.acquire();
    await tick();
    a();
    a();
    await tick(20);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
    b();
    await tick(20);
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
  });

  it('leaves no timers behind once disposed', async () => {
    const { client, mock } = setup({ heartbeat: heartbeat() });
    client.connect();
    await tick();
    mock.send('1');
    client.dispose();
    await tick(100);
    expect(vi.getTimerCount()).toBe(0);
  });
});
