// A server that accepts WebSocket connections but selects no sub-protocol (the kit offers `json`):
// Chromium fails such a handshake; the page must say why, clearly, and stop trying.
import type { AddressInfo } from 'node:net';

import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

import { launchChromium, openChatPage, status } from './helpers.ts';

let server: WebSocketServer;
let browser: Browser;
let connections = 0;
const offered: string[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
  server.on('connection', (_socket, request) => {
    connections++;
    offered.push(request.headers['sec-websocket-protocol'] ?? '');
  });
  [browser] = await Promise.all([launchChromium(), new Promise((resolve) => server.once('listening', resolve))]);
});

afterAll(async () => {
  await browser?.close();
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise((resolve) => server?.close(resolve));
});

/**
 * Check `assertion` every 50 ms for `ms` milliseconds: a watch over a quiet period (nothing may
 * happen in it), failing at the first check that throws.
 */
async function watch(ms: number, assertion: () => void): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    assertion();
    if (Date.now() >= end) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a server without the json sub-protocol', () => {
  it('shows a protocol error and does not keep reconnecting', async () => {
    const { port } = server.address() as AddressInfo;
    const { page, dialogs, pageErrors } = await openChatPage(browser, { server: `ws://127.0.0.1:${port}`, name: 'ada' });

    const error = status(page).locator('[data-error-kind="protocol"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Error: .*selected none of the offered sub-protocols \(json\)/);
    // Given up: closed for good, nothing scheduled.
    await expect.poll(() => status(page).getAttribute('data-state')).toBe('closed');
    expect(await page.evaluate(() => window.__rwcE2E?.connection()?.nextReconnectAt)).toBeNull();
    // Two real attempts (offering json) and two probes without a sub-protocol that tell a refused
    // negotiation from a server that is down; then no more. Watched for three seconds, longer than
    // the first backoff delays (< 1 s, then < 2 s) would be.
    expect(offered.filter((protocol) => protocol === 'json').length).toBeGreaterThanOrEqual(1);
    const settled = connections;
    expect(settled).toBeLessThanOrEqual(4);
    await watch(3000, () => expect(connections, 'connections to the server').toBe(settled));
    expect(await status(page).getAttribute('data-state')).toBe('closed');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
