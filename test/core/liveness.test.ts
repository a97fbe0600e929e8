// @vitest-environment node
// liveness() (src/core/liveness.ts) on a WebSocketClient over mock-socket, in plain Node (no
// `document`: the network and the clock are watched, not visibility), under fake timers. Real
// Chromium (visibility, offline, a clock jump, a 4401 gateway): test/e2e/liveness.e2e.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { ClientCloseCode, ReadyState, autoReconnect, liveness, type CloseInfo, type WebSocketClientOptions } from '../../src/core/index.js';
import { fakeNetwork, setupClient, tick } from '../helpers/coreClient.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';

const cleanups = fakeTimersPerTest();

/** A backoff so long that a reconnect within a second can only be liveness's own. */
const slowBackoff = () => autoReconnect({ initialDelay: 60_000, random: () => 0.99 });

function setup(options: Partial<WebSocketClientOptions> = {}) {
  const network = fakeNetwork();
  const setup = setupClient(cleanups, { network: network.monitor, reconnect: slowBackoff(), ...options });
  return { ...setup, network };
}

/** Let the mock server answer `ping` with `pong`, as the reference server does, or stay silent. */
function answerPings(socket: { on(type: 'message', fn: (data: unknown) => void): void; send(data: string): void }) {
  socket.on('message', (data) => {
    if (data === 'ping') socket.send('pong');
  });
}

describe('liveness: a check at once when the host says the connection may have died', () => {
  it('back online, a silent server: ping, 4000 after checkTimeout, and a new connection at once (not after the backoff)', async () => {
    const { client, mock, network, errors, closes, created } = setup({ heartbeat: liveness({ checkTimeout: 750 }) });
    client.connect();
    await tick(600);
    network.set(false);
    network.set(true);
    await tick();
    expect(mock.received).toEqual(['ping']);
    await tick(740);
    expect(closes).toEqual([]);
    await tick(20);
    expect(errors.map((e) => e.kind)).toEqual(['heartbeat']);
    expect(closes.map((c) => c.code)).toEqual([ClientCloseCode.HEARTBEAT_TIMEOUT]);
    await tick(10);
    expect(created).toHaveLength(2);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, reconnectAttempt: 0, nextReconnectAt: null });
  });

  it('keeps a connection that answers the check', async () => {
    const { client, mock, network, errors, closes } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(600);
    answerPings(mock.socket);
    network.set(true);
    await tick(5000);
    expect(mock.received).toEqual(['ping']);
    expect([errors, closes]).toEqual([[], []]);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('a frame after the event answers the check; right after a pong, the ping waits for the server to answer pings again', async () => {
    const { client, mock, network, closes } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(600);
    answerPings(mock.socket);
    network.set(true);
    await tick(100);
    expect(mock.received).toEqual(['ping']);
    // A pong just arrived: the reference server would ignore a ping within 400 ms of it.
    network.set(true);
    await tick(200);
    expect(mock.received).toEqual(['ping']);
    await tick(200);
    expect(mock.received).toEqual(['ping', 'ping']);
    await tick(1000);
    expect(closes).toEqual([]);
  });

  it("a frame that comes before the check's ping went out does not cancel it: every check pings once", async () => {
    const { client, mock, network, closes, messages } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(600);
    answerPings(mock.socket);
    network.set(true);
    await tick(100);
    expect(mock.received).toEqual(['ping']);
    // Right after a pong the ping waits (400 ms); a frame meanwhile proves nothing about the check's own ping.
    network.set(true);
    await tick(100);
    mock.send('"hello"');
    await tick(400);
    expect(messages).toEqual(['hello']);
    expect(mock.received).toEqual(['ping', 'ping']);
    await tick(1000);
    expect(closes).toEqual([]);
  });

  it('any frame after the event answers the check, not only a pong', async () => {
    const { client, mock, network, closes, messages } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(600);
    network.set(true);
    await tick(300);
    mock.send('"hello"');
    await tick(2000);
    expect(mock.received).toEqual(['ping']);
    expect(messages).toEqual(['hello']);
    expect(closes).toEqual([]);
  });

  it('a wake from sleep (a timer firing a minute late) checks at once', async () => {
    const { client, mock, closes, created } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(600);
    // The host slept for a minute: the wall clock moved on, the timers did not run meanwhile.
    vi.setSystemTime(Date.now() + 60_000);
    await tick(5000);
    expect(mock.received).toEqual(['ping']);
    await tick(760);
    expect(closes.map((c) => c.code)).toEqual([4000]);
    await tick(10);
    expect(created).toHaveLength(2);
  });

  it('an ordinary tick (no jump) sends nothing', async () => {
    const { client, mock } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(25_000);
    expect(mock.received).toEqual([]);
  });

  it('while waiting to retry, back online connects at once and resets the backoff', async () => {
    const { client, mock, network, created } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(600);
    mock.socket.close({ code: 1011, reason: '', wasClean: true });
    await tick();
    // Retry 1 waits (up to a minute); then it is not the heartbeat that reconnects.
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
    expect(client.getSnapshot().nextReconnectAt).not.toBeNull();
    vi.setSystemTime(Date.now() + 60_000);
    network.set(true);
    await tick();
    expect(created).toHaveLength(2);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, reconnectAttempt: 0, nextReconnectAt: null });
  });

  it('checkTimeout is never longer than the heartbeat timeout', async () => {
    const { client, network, closes } = setup({ heartbeat: liveness({ checkTimeout: 5000, timeout: 300 }) });
    client.connect();
    await tick(600);
    network.set(true);
    await tick(310);
    expect(closes.map((c) => c.code)).toEqual([4000]);
  });
});

describe('liveness: credentials that expire', () => {
  it('4401 asks refresh, reconnects at once with the new URL, and sends the outbox once on the new socket', async () => {
    let token = 't1';
    const refresh = vi.fn(async (_close: CloseInfo) => {
      token = 't2';
    });
    const { client, mock, closes, created } = setup({ heartbeat: liveness({ refresh }) });
    // The mock server's URL with a token (mock-socket matches the URL without its query).
    client.setOptions({ url: () => `${mock.url}?token=${token}` });
    const sends: string[] = [];
    client.on('close', () => sends.push(client.send('queued while replaced')));
    client.connect();
    await tick(600);
    expect(created[0]?.url).toContain('token=t1');
    mock.socket.close({ code: 4401, reason: 'token expired', wasClean: true });
    await tick(10);
    expect(sends).toEqual(['queued']);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh.mock.calls[0]?.[0]).toMatchObject({ code: 4401, reason: 'token expired' });
    expect(closes.map((c) => c.code)).toEqual([4401]);
    expect(created).toHaveLength(2);
    expect(created[1]?.url).toContain('token=t2');
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, queued: 0 });
    await tick(100);
    expect(mock.received).toEqual(['queued while replaced']);
  });

  it('a refresh that fails is an `auth` error as a value, and the client stays closed', async () => {
    const { client, mock, errors, created } = setup({
      heartbeat: liveness({
        refresh: () => {
          throw new Error('signed out');
        },
      }),
    });
    client.connect();
    await tick(600);
    mock.socket.close({ code: 4401, reason: '', wasClean: true });
    await tick(120_000);
    expect(errors.map((e) => [e.kind, e.message])).toEqual([['auth', 'Could not refresh the credentials: signed out']]);
    expect(created).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, nextReconnectAt: null });
    expect(client.getSnapshot().error?.kind).toBe('auth');
  });

  it('refused again right after a refresh: an `auth` error, and the reconnect policy (backoff) takes over', async () => {
    const refresh = vi.fn();
    const { client, mock, errors, created } = setup({ heartbeat: liveness({ refresh, authCodes: [4401, 4403] }) });
    client.connect();
    await tick(600);
    mock.socket.close({ code: 4403, reason: '', wasClean: true });
    await tick(10);
    expect(created).toHaveLength(2);
    mock.socket.close({ code: 4401, reason: '', wasClean: true });
    await tick(10);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(errors.map((e) => e.kind)).toEqual(['auth']);
    expect(created).toHaveLength(2);
    // The refresh started a new series (attempt 0): this is retry 1 of the policy, with its delay.
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
    expect(client.getSnapshot().nextReconnectAt).not.toBeNull();
  });

  it('without autoReconnect, a 4401 still reconnects once, at once', async () => {
    const { client, mock, created } = setup({ reconnect: null, heartbeat: liveness() });
    client.connect();
    await tick(600);
    mock.socket.close({ code: 4401, reason: '', wasClean: true });
    await tick(10);
    expect(created).toHaveLength(2);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('other close codes are left to the reconnect policy', async () => {
    const { client, mock, created } = setup({ heartbeat: liveness() });
    client.connect();
    await tick(600);
    mock.socket.close({ code: 4500, reason: '', wasClean: true });
    await tick(10);
    expect(created).toHaveLength(1);
    expect(client.getSnapshot().reconnectAttempt).toBe(1);
  });

  it('close() while a refresh is under way: no reconnect after it', async () => {
    let finish: () => void = () => {};
    const refresh = () => new Promise<void>((resolve) => (finish = resolve));
    const { client, mock, created } = setup({ heartbeat: liveness({ refresh }) });
    client.connect();
    await tick(600);
    mock.socket.close({ code: 4401, reason: '', wasClean: true });
    await tick(10);
    await client.close();
    finish();
    await tick(1000);
    expect(created).toHaveLength(1);
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
  });
});

describe("liveness with the client's `pings` false (a server not known to answer pings: `<ChatProvider>` before the first `id`)", () => {
  it('sends nothing: no heartbeat ping, no check on the events or a wake', async () => {
    const { client, mock, network, closes } = setup({ heartbeat: liveness({ interval: 100, timeout: 100 }), pings: false });
    client.connect();
    await tick(600);
    network.set(true);
    vi.setSystemTime(Date.now() + 60_000);
    await tick(5000);
    expect(mock.received).toEqual([]);
    expect(closes).toEqual([]);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('renews credentials: a 4401 on the first connection asks refresh and reconnects at once with the URL read again', async () => {
    let token = 't1';
    const refresh = vi.fn(() => {
      token = 't2';
    });
    const { client, mock, created } = setup({ heartbeat: liveness({ refresh }), pings: false });
    client.setOptions({ url: () => `${mock.url}?token=${token}` });
    client.connect();
    await tick(10);
    mock.socket.close({ code: 4401, reason: 'token expired', wasClean: true });
    await tick(10);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(created.map((socket) => new URL(socket.url).searchParams.get('token'))).toEqual(['t1', 't2']);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.OPEN, reconnectAttempt: 0, nextReconnectAt: null });
  });

  it('then `pings` true on the same connection: the heartbeat pings, and a 4401 soon after the refresh is still a refusal', async () => {
    const refresh = vi.fn();
    const { client, mock, errors, created } = setup({ heartbeat: liveness({ refresh, interval: 100, timeout: 100 }), pings: false });
    client.connect();
    await tick(10);
    mock.socket.close({ code: 4401, reason: '', wasClean: true });
    await tick(10);
    expect(created).toHaveLength(2);
    answerPings(mock.socket);
    await tick(300);
    expect(mock.received).toEqual([]);
    client.setOptions({ pings: true });
    // Within an interval: the heartbeat looks again once per interval while it may not ping.
    await tick(110);
    expect(mock.received).toEqual(['ping']);
    mock.socket.close({ code: 4401, reason: '', wasClean: true });
    await tick(10);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(errors.map((e) => e.kind)).toEqual(['auth']);
    expect(created).toHaveLength(2);
    expect(client.getSnapshot()).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
  });
});
