// @vitest-environment node
// The readiness endpoint on an in-memory server: 200 while it serves, 503 once it is closing, HEAD
// answered like GET, every other path answered as before (426).
import { Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { readiness } from '../../src/server/readiness.ts';
import { startServer } from '../helpers/referenceServer.ts';

const sockets = new Set<Socket>();
afterEach(() => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
});

const httpOf = (url: string) => url.replace('ws:', 'http:');

/**
 * A WebSocket upgrade on a raw socket that never answers the server's close: the server's shutdown
 * waits for it (up to `shutdownTimeout`), so the server stays in its closing state meanwhile.
 */
function silentWebSocket(port: number): Promise<void> {
  const socket = new Socket();
  sockets.add(socket);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', (data) => (String(data).startsWith('HTTP/1.1 101') ? resolve() : reject(new Error(String(data)))));
    socket.connect(port, '127.0.0.1', () =>
      socket.write(
        'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
  });
}

describe('GET /ready on an in-memory server', () => {
  it('answers 200 with {ready: true, redis: "none"}, not cached', async () => {
    const server = await startServer();
    const response = await fetch(`${httpOf(server.url)}/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ ready: true, redis: 'none' });
  });

  it('answers HEAD like GET, without a body; other methods 405; other paths 426 as before', async () => {
    const server = await startServer();
    const head = await fetch(`${httpOf(server.url)}/ready?probe=1`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(await head.text()).toBe('');
    const post = await fetch(`${httpOf(server.url)}/ready`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.text();
    for (const path of ['/', '/ready/', '/readyz']) {
      const other = await fetch(`${httpOf(server.url)}${path}`);
      expect(other.status, path).toBe(426);
      expect(await other.text()).toMatch(/WebSocket chat server/);
    }
  });

  it('answers 503 {ready: false, reason: "closing"} while the server closes', async () => {
    const server = await startServer({ shutdownTimeout: 10_000 });
    await silentWebSocket(server.port);
    const closed = server.close();
    const response = await fetch(`${httpOf(server.url)}/ready`);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ ready: false, reason: 'closing', redis: 'none' });
    for (const socket of sockets) socket.destroy();
    await closed;
  });
});

describe('readiness()', () => {
  it('is ready only when not closing and Redis is not lost; closing wins', () => {
    expect(readiness({ closing: false, redis: 'connected' })).toEqual({ status: 200, body: { ready: true, redis: 'connected' } });
    expect(readiness({ closing: false, redis: 'lost' })).toEqual({
      status: 503,
      body: { ready: false, reason: 'redis-unavailable', redis: 'lost' },
    });
    expect(readiness({ closing: true, redis: 'lost' }).body).toEqual({ ready: false, reason: 'closing', redis: 'lost' });
  });
});
