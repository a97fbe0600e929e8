// @vitest-environment node
// autoReconnect (src/core/reconnect.ts) on a WebSocketClient over mock-socket, in plain Node, under fake timers.
import { describe, expect, it } from 'vitest';
import { ReadyState, WebSocketClient, autoReconnect, type WebSocketClientOptions } from '../../src/core/index.js';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';
import { fakeNetwork, setupClient, tick } from '../helpers/coreClient.js';

const cleanups = fakeTimersPerTest();
const setup = <In = unknown>(options: Partial<WebSocketClientOptions<In>> = {}, serverOptions = {}) =>
  setupClient<In>(cleanups, options, serverOptions);

describe('reconnecting', () => {
  it('publishes a lost connection and its retry in one update: never "closed, nothing pending" in between', async () => {
    const { client, mock } = setup({ reconnect: autoReconnect({ initialDelay: 1000 }) });
    const published: { readyState: number; nextReconnectAt: number | null }[] = [];
    client.subscribe(({ readyState, nextReconnectAt }) => published.push({ readyState, nextReconnectAt }));
    client.connect();
    await tick();
    mock.server.close({ code: 1006, reason: '', wasClean: false });
    const closed = published.filter((s) => s.readyState === ReadyState.CLOSED);
    expect(closed).toHaveLength(1);
    expect(closed[0]?.nextReconnectAt).not.toBeNull();
  });

  it('retries after an abnormal close after a jittered delay within the backoff bounds', async () => {
    const { client, mock, created } = setup({ reconnect: autoReconnect({ initialDelay: 1000, random: () => 0.5 }) });
    client.connect();
    await tick();
    mock.server.close({ code: 1006, reason: '', wasClean: false });
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
    expect(client.getSnapshot().nextReconnectAt).toBe(Date.now() + 500);
    await tick(499);
    expect(created).toHaveLength(1);
    await tick(1);
    expect(created).toHaveLength(2);
  });

  it('grows the delay exponentially up to the cap', async () => {
    const { client, mock, created } = setup({
      reconnect: autoReconnect({ initialDelay: 100, maxDelay: 400, resetAfter: 1000, random: () => 0.999 }),
    });
    const delays: number[] = [];
    client.subscribe((next, previous) => {
      if (next.nextReconnectAt !== null && next.nextReconnectAt !== previous.nextReconnectAt) {
        delays.push(next.nextReconnectAt - Date.now());
      }
    });
    client.connect();
    await tick();
    // The server goes away for good: every attempt fails before opening.
    mock.server.close({ code: 1006, reason: '', wasClean: false });
    await tick(99 + 199 + 399 + 399 + 5 * 5);
    expect(delays).toEqual([99, 199, 399, 399, 399]);
    expect(client.getSnapshot().reconnectAttempt).toBe(5);

    expect(created.length).toBe(5);
  });

  it('resets the attempt count once the connection stayed open for resetAfter', async () => {
    const { client, mock } = setup({ reconnect: autoReconnect({ initialDelay: 10, resetAfter: 1000, random: () => 0 }) });
    client.connect();
    await tick();
    mock.socket.close({ code: 1011, reason: '', wasClean: false });
    await tick();
    expect(client.getSnapshot().reconnectAttempt).toBe(1);
    await tick(10);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, reconnectAttempt: 1 });
    await tick(500);
    expect(client.getSnapshot().reconnectAttempt).toBe(1);
    await tick(600);
    expect(client.getSnapshot().reconnectAttempt).toBe(0);
  });

  it('does not reconnect after the client closed, after a normal close by the server, or when shouldReconnect says no', async () => {
    const byClient = setup({ reconnect: autoReconnect({ initialDelay: 10 }) });
    byClient.client.connect();
    await tick();
    const closed = byClient.client.close();
    await tick(50);
    await closed;

    const normal = setup({ reconnect: autoReconnect({ initialDelay: 10 }) });
    normal.client.connect();
    await tick();
    normal.mock.socket.close({ code: 1000, reason: 'bye', wasClean: true });
    await tick();

    const decided: [number, number][] = [];
    const vetoed = setup({
      reconnect: autoReconnect({
        initialDelay: 10,
        shouldReconnect: (info, attempt) => {
          decided.push([info.code, attempt]);
          return false;
        },
      }),
    });
    vetoed.client.connect();
    await tick();
    vetoed.mock.socket.close({ code: 1012, reason: '', wasClean: false });
    await tick();

    await tick(60_000);
    expect(byClient.created).toHaveLength(1);
    expect(normal.created).toHaveLength(1);
    expect(vetoed.created).toHaveLength(1);
    expect(decided).toEqual([[1012, 1]]);
    for (const { client } of [byClient, normal, vetoed]) expect(client.getSnapshot().nextReconnectAt).toBeNull();
  });

  it('stops after maxAttempts', async () => {
    const { client, mock, created } = setup({ reconnect: autoReconnect({ initialDelay: 10, maxAttempts: 2, random: () => 0.5 }) });
    client.connect();
    await tick();
    mock.server.close({ code: 1006, reason: '', wasClean: false });
    await tick(10_000);
    expect(created).toHaveLength(3);
    expect(client.getSnapshot()).toMatchObject({ nextReconnectAt: null, reconnectAttempt: 2 });
  });

  /** An open client with autoReconnect, on a network that then goes offline; `lose()` drops its link. */
  async function openThenOffline() {
    const network = fakeNetwork();
    const ctx = setup({ network: network.monitor, reconnect: autoReconnect({ initialDelay: 10_000, random: () => 0.5 }) });
    ctx.client.connect();
    await tick();
    network.set(false);
    const lose = async () => {
      ctx.mock.socket.close({ code: 1006, reason: '', wasClean: false });
      await tick();
    };
    return { ...ctx, network, lose };
  }

  it('stays closed, not stuck waiting, when reconnection is turned off while it waits', async () => {
    const { client, network, created, lose } = await openThenOffline();
    await lose();
    expect(client.getSnapshot()).toMatchObject({ reconnectAttempt: 1, online: false });
    client.setOptions({ reconnect: false });
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 0, nextReconnectAt: null, online: true });
    network.set(true);
    await tick(60_000);
    expect(created).toHaveLength(1);
    // And connect() works again.
    client.connect();
    expect(created).toHaveLength(2);
    await tick();
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('waits while offline and tries at once when back online', async () => {
    const { client, network, created, lose } = await openThenOffline();
    expect(client.getSnapshot().online).toBe(false);
    await lose();
    expect(client.getSnapshot()).toMatchObject({ reconnectAttempt: 1, nextReconnectAt: null });
    await tick(60_000);
    expect(created).toHaveLength(1);
    network.set(true);
    expect(created).toHaveLength(2);
    await tick();
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('cancels a scheduled retry when going offline', async () => {
    const network = fakeNetwork();
    const { client, mock, created } = setup({
      network: network.monitor,
      reconnect: autoReconnect({ initialDelay: 1000, random: () => 0.5 }),
    });
    client.connect();
    await tick();
    mock.socket.close({ code: 1006, reason: '', wasClean: false });
    await tick();
    expect(client.getSnapshot().nextReconnectAt).not.toBeNull();
    network.set(false);
    expect(client.getSnapshot().nextReconnectAt).toBeNull();
    await tick(5000);
    expect(created).toHaveLength(1);
  });

  it('stops watching the network once closed for good', async () => {
    const network = fakeNetwork();
    const { client } = setup({ network: network.monitor });
    client.connect();
    expect(network.listeners.size).toBe(1);
    const closed = client.close();
    await tick(50);
    await closed;
    expect(network.listeners.size).toBe(0);
  });

  it('reconnects at once on reconnect(), whether waiting or open', async () => {
    const { client, mock, created } = setup({ reconnect: autoReconnect({ initialDelay: 60_000, random: () => 0.5 }) });
    client.connect();
    await tick();
    mock.socket.close({ code: 1006, reason: '', wasClean: false });
    await tick();
    client.reconnect();
    expect(created).toHaveLength(2);
    await tick();
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
    client.reconnect();
    await tick(20);
    expect(created).toHaveLength(3);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
    expect(created.filter((s) => s.readyState === ReadyState.OPEN)).toHaveLength(1);
  });

  it('evaluates url and protocols functions, sync or async, on every attempt', async () => {
    const mock = createMockServer({ selectProtocol: (p: string[]) => p[0] ?? '' });
    const factory = createSocketFactory();
    let token = 0;
    const client = new WebSocketClient({
      url: () => `${mock.url}?token=${++token}`,
      protocols: async () => [`v${token}`],
      WebSocket: factory.WebSocket,
      reconnect: autoReconnect({ initialDelay: 10, random: () => 0 }),
    });
    cleanups.push(() => {
      client.dispose();
      mock.stop();
    });
    client.connect();
    await tick();
    expect(client.getSnapshot()).toMatchObject({ url: `${mock.url}?token=1`, protocol: 'v1' });
    mock.socket.close({ code: 1006, reason: '', wasClean: false });
    await tick(30);
    expect(client.getSnapshot()).toMatchObject({ url: `${mock.url}?token=2`, protocol: 'v2', readyState: ReadyState.OPEN });
  });

  it('reports a url function that fails as a resolve error and retries', async () => {
    let calls = 0;
    const mock = createMockServer();
    const { client, errors } = setup({
      url: () => {
        calls++;
        if (calls === 1) throw new Error('token service down');
        return Promise.resolve(mock.url);
      },
      reconnect: autoReconnect({ initialDelay: 100, random: () => 0.5 }),
    });
    cleanups.push(() => mock.stop());
    client.connect();
    await tick();
    expect(errors[0]).toMatchObject({ kind: 'resolve', message: expect.stringContaining('token service down') });
    expect(client.getSnapshot().reconnectAttempt).toBe(1);
    await tick(60);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });
});
