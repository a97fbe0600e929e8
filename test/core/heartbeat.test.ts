// @vitest-environment node
// heartbeat() (src/core/heartbeat.ts) on a WebSocketClient over mock-socket, in plain Node, under fake timers.
import { describe, expect, it } from 'vitest';
import { ClientCloseCode, ReadyState, autoReconnect, heartbeat, type WebSocketClientOptions } from '../../src/core/index.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';
import { setupClient, tick } from '../helpers/coreClient.js';

const cleanups = fakeTimersPerTest();
const setup = <In = unknown>(options: Partial<WebSocketClientOptions<In>> = {}, serverOptions = {}) =>
  setupClient<In>(cleanups, options, serverOptions);

describe('heartbeat', () => {
  it('pings when quiet, and drops a connection that does not answer with 4000, then reconnects', async () => {
    const { client, mock, errors, closes, created } = setup({
      heartbeat: heartbeat({ interval: 1000, timeout: 500, message: 'ping' }),
      reconnect: autoReconnect({ initialDelay: 100, random: () => 0 }),
    });
    client.connect();
    await tick();
    await tick(1010);
    expect(mock.received).toEqual(['ping']);
    await tick(500);
    expect(errors.map((e) => e.kind)).toEqual(['heartbeat']);
    expect(closes[0]).toMatchObject({ code: ClientCloseCode.HEARTBEAT_TIMEOUT, wasClean: false });
    await tick(10);
    expect(created).toHaveLength(2);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('keeps a connection that answers, and does not deliver pongs as messages', async () => {
    const { client, mock, errors, messages } = setup({
      heartbeat: heartbeat({ interval: 1000, timeout: 500, isPong: (data) => data === 'pong' }),
    });
    client.connect();
    await tick();
    mock.socket.on('message', (data) => {
      if (data === 'ping') mock.socket.send('pong');
    });
    await tick(10_000);
    expect(mock.received.filter((d) => d === 'ping').length).toBeGreaterThanOrEqual(9);
    expect(errors).toEqual([]);
    expect(messages).toEqual([]);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('does not ping while messages flow', async () => {
    const { client, mock } = setup({ heartbeat: heartbeat({ interval: 1000, timeout: 500 }) });
    client.connect();
    await tick();
    for (let i = 0; i < 10; i++) {
      mock.send(String(i));
      await tick(500);
    }
    expect(mock.received).toEqual([]);
  });

  it("sends no ping while the client's `pings` is false (a server not known to answer), and pings once it is true", async () => {
    const { client, mock, closes } = setup({ heartbeat: heartbeat({ interval: 1000, timeout: 500 }), pings: false });
    client.connect();
    await tick();
    await tick(10_000);
    expect(mock.received).toEqual([]);
    expect(closes).toEqual([]);
    client.setOptions({ pings: true });
    // Within an interval: the heartbeat looks again once per interval while it may not ping.
    await tick(1010);
    expect(mock.received).toEqual(['ping']);
  });
});
