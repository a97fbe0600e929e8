// @vitest-environment node
// The opt-in features of the core (autoReconnect, heartbeat) and how the client attaches them.
import { describe, expect, it, vi } from 'vitest';
import {
  ReadyState,
  WebSocketClient,
  autoReconnect,
  heartbeat,
  type ClientFeature,
  type FeatureContext,
  type FeatureHooks,
  type WebSocketClientOptions,
} from '../../src/core/index.js';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.js';
import { fakeNetwork } from '../helpers/coreClient.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';

const tick = (ms = 5) => vi.advanceTimersByTimeAsync(ms);
const cleanups = fakeTimersPerTest();

function setup(options: Partial<WebSocketClientOptions> = {}) {
  const mock = createMockServer();
  const factory = createSocketFactory();
  const client = new WebSocketClient({ url: mock.url, WebSocket: factory.WebSocket, ...options });
  cleanups.push(() => {
    client.dispose();
    mock.stop();
  });
  return { mock, client, created: factory.created };
}

/** A feature that records which hooks the client calls. */
function recordingFeature(calls: string[], hooks: FeatureHooks = {}): ClientFeature<{ tag: string }> {
  const attach = (context: FeatureContext, options: () => { tag: string }): FeatureHooks => {
    calls.push(`attach:${options().tag}:${context.phase()}`);
    return {
      start: () => calls.push('start'),
      stop: () => calls.push('stop'),
      open: () => calls.push(`open:${options().tag}`),
      closed: () => calls.push('closed'),
      detach: () => calls.push('detach'),
      ...hooks,
    };
  };
  return { options: { tag: 'a' }, attach };
}

describe('the lean default', () => {
  it('does not reconnect without the reconnect feature: a lost connection stays closed', async () => {
    const { client, mock, created } = setup();
    client.connect();
    await tick();
    mock.socket.close({ code: 1006, reason: '', wasClean: false });
    await tick(120_000);
    expect(created).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 0, nextReconnectAt: null });
    client.reconnect();
    await tick();
    expect(created).toHaveLength(2);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('watches no network without the reconnect feature', async () => {
    const { monitor: network, listeners } = fakeNetwork();
    const { client } = setup({ network });
    client.connect();
    await tick();
    expect(listeners.size).toBe(0);
  });

  it('delivers pings as messages without the heartbeat feature', async () => {
    const { client, mock } = setup();
    const messages: unknown[] = [];
    client.on('message', (m) => messages.push(m));
    client.connect();
    await tick(60_000);
    expect(mock.received).toEqual([]);
    mock.send('"pong"');
    await tick();
    expect(messages).toEqual(['pong']);
  });
});

describe('attaching features', () => {
  it('attaches at construction, calls the hooks through the life of a connection, and detaches on dispose', async () => {
    const calls: string[] = [];
    const { client, mock } = setup({ reconnect: recordingFeature(calls) });
    client.connect();
    await tick();
    mock.socket.close({ code: 1000, reason: '', wasClean: true });
    await tick();
    client.dispose();
    // Settled for good (no users), then closed by dispose(): `stop` may come more than once.
    expect(calls).toEqual(['attach:a:idle', 'start', 'open:a', 'closed', 'stop', 'stop', 'detach']);
  });

  it('swaps the options of a feature from the same factory without re-attaching it', async () => {
    const calls: string[] = [];
    const first = recordingFeature(calls);
    const { client, mock } = setup({ reconnect: first });
    client.connect();
    await tick();
    client.setOptions({ reconnect: { ...first, options: { tag: 'b' } } });
    mock.socket.close({ code: 1000, reason: '', wasClean: true });
    await tick();
    client.reconnect();
    await tick();
    expect(calls.filter((c) => c.startsWith('attach') || c === 'detach')).toEqual(['attach:a:idle']);
    expect(calls).toContain('open:b');
  });

  it('detaches a feature removed by setOptions, and catches a new one up with a client at work', async () => {
    const calls: string[] = [];
    const { client } = setup();
    client.connect();
    await tick();
    client.setOptions({ heartbeat: recordingFeature(calls) });
    expect(calls).toEqual(['attach:a:open', 'start', 'open:a']);
    client.setOptions({ heartbeat: false });
    expect(calls.at(-1)).toBe('detach');
  });

  it('lets a feature take over after a loss through `lost`, and retry with `wait`', async () => {
    let context: FeatureContext | null = null;
    const feature: ClientFeature<null> = {
      options: null,
      attach(client) {
        context = client;
        return {
          lost: (info, opened) => {
            expect(info?.code).toBe(1011);
            expect(opened).toBe(true);
            client.wait(100);
            return true;
          },
        };
      },
    };
    const { client, mock, created } = setup({ reconnect: feature });
    client.connect();
    await tick();
    mock.socket.close({ code: 1011, reason: '', wasClean: false });
    await tick();
    expect(context!.phase()).toBe('waiting');
    await tick(100);
    expect(created).toHaveLength(2);
    await tick();
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('cancels a retry scheduled by autoReconnect on close()', async () => {
    const { client, mock, created } = setup({ reconnect: autoReconnect({ initialDelay: 1000, random: () => 0.5 }) });
    client.connect();
    await tick();
    mock.socket.close({ code: 1006, reason: '', wasClean: false });
    await tick();
    expect(client.getSnapshot().nextReconnectAt).not.toBeNull();
    await client.close();
    await tick(10_000);
    expect(created).toHaveLength(1);
  });

  it('applies new heartbeat options live, from the next tick', async () => {
    const { client, mock } = setup({ heartbeat: heartbeat({ interval: 1000, timeout: 500, message: 'a' }) });
    client.connect();
    await tick();
    client.setOptions({ heartbeat: heartbeat({ interval: 1000, timeout: 500, message: 'b' }) });
    await tick(1010);
    expect(mock.received).toEqual(['b']);
  });
});

describe('the heartbeat defaults (the reference server speaks them)', () => {
  it('sends the text frame ping, takes the text frame pong without parsing or delivering it, and keeps the connection', async () => {
    const { client, mock } = setup({ heartbeat: heartbeat({ interval: 1000, timeout: 500 }) });
    const messages: unknown[] = [];
    const errors: string[] = [];
    client.on('message', (m) => messages.push(m));
    client.on('error', (e) => errors.push(e.kind));
    client.connect();
    await tick();
    mock.socket.on('message', (data) => {
      if (data === 'ping') mock.socket.send('pong');
    });
    await tick(10_000);
    expect(mock.received.length).toBeGreaterThanOrEqual(9);
    expect(new Set(mock.received)).toEqual(new Set(['ping']));
    // A JSON "pong" is a message like any other: only the bare text frame is the heartbeat's.
    mock.send('"pong"');
    await tick();
    expect(messages).toEqual(['pong']);
    expect(errors).toEqual([]);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });
});
