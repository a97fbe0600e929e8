// The core's unit tests' set-up (test/core): a WebSocketClient on a mock-socket server, with what it
// reported recorded, under fake timers; and a network monitor the test switches on and off.
import { vi } from 'vitest';
import {
  WebSocketClient,
  autoReconnect,
  type CloseInfo,
  type NetworkMonitor,
  type WebSocketClientOptions,
  type WebSocketError,
} from '../../src/core/index.js';
import { createMockServer, createSocketFactory } from './mockServer.js';

/** mock-socket delivers every event after a 4 ms timer. */
export const tick = (ms = 5) => vi.advanceTimersByTimeAsync(ms);

/**
 * A client on a mock-socket server, with every error, close, message and event order recorded; it is
 * disposed (and the server stopped) after the test, through `cleanups` from `fakeTimersPerTest()`.
 */
export function setupClient<In = unknown>(cleanups: (() => void)[], options: Partial<WebSocketClientOptions<In>> = {}, serverOptions = {}) {
  const mock = createMockServer(serverOptions);
  const factory = createSocketFactory();
  // Most of these tests are about a client that reconnects: the feature is on unless a test says otherwise.
  const client = new WebSocketClient<In>({ url: mock.url, WebSocket: factory.WebSocket, reconnect: autoReconnect(), ...options });
  const errors: WebSocketError[] = [];
  const closes: CloseInfo[] = [];
  const messages: In[] = [];
  const order: string[] = [];
  client.on('error', (e) => {
    errors.push(e);
    order.push(`error:${e.kind}`);
  });
  client.on('close', (c) => {
    closes.push(c);
    order.push(`close:${c.code}`);
  });
  client.on('open', () => order.push('open'));
  client.on('message', (m) => messages.push(m));
  cleanups.push(() => {
    client.dispose();
    mock.stop();
  });
  return { mock, client, created: factory.created, overlaps: factory.overlaps, errors, closes, messages, order };
}

/** A network monitor the test switches on and off. */
export function fakeNetwork(initial = true) {
  let online = initial;
  const listeners = new Set<(online: boolean) => void>();
  const monitor: NetworkMonitor = {
    isOnline: () => online,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    monitor,
    listeners,
    set(value: boolean) {
      online = value;
      for (const listener of listeners) listener(value);
    },
  };
}
