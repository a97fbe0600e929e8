// A server that accepts WebSocket connections but selects no sub-protocol (the kit offers `json`):
// Chromium fails such a handshake; the page must say why, clearly, and retry only with backoff,
// one probe per attempt.
import type { AddressInfo } from 'node:net';

import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

import { launchChromium, openChatPage, status } from './helpers.ts';

let server: WebSocketServer;
let browser: Browser;
let connections = 0;
const offered: string[] = [];
/** When each connection arrived (ms), to see the backoff between attempts. */
const arrivals: number[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
  server.on('connection', (_socket, request) => {
    connections++;
    arrivals.push(Date.now());
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
  it('shows one protocol error per attempt, probes once per attempt, and retries only with backoff', async () => {
    const { port } = server.address() as AddressInfo;
    const { page, dialogs, pageErrors } = await openChatPage(browser, { server: `ws://127.0.0.1:${port}`, name: 'ada' });

    // The error is kept for the app (the status's title) while the page retries, not shown to the user.
    await expect
      .poll(() => status(page).getAttribute('title'))
      .toMatch(/^The server at '.*' is reachable but refused the offered sub-protocols \(json\)\.$/);
    expect(await page.evaluate(() => window.__rwcE2E?.connection()?.error?.kind)).toBe('protocol');
    // A refusal found by probing is not certain: the page keeps retrying, with backoff, never "Disconnected".
    await expect.poll(() => status(page).getAttribute('data-state')).toBe('reconnecting');
    expect(await status(page).locator('[data-error-kind]').count()).toBe(0);
    expect(await page.evaluate(() => window.__rwcE2E?.connection()?.closeInfo?.code)).toBe(1006);
    // Each attempt: the real handshake (offering json), then one probe without a sub-protocol.
    expect(offered.slice(0, 2)).toEqual(['json', '']);
    // Watched for three seconds: attempts come in pairs (json, then the probe), and the backoff
    // (full jitter under 1, 2, 4, 8 s) keeps them few: eight attempts in ~3 s would take delays
    // all near zero.
    const start = arrivals[0] as number;
    await watch(3000, () => {
      expect(offered.filter((protocol, i) => protocol !== (i % 2 === 0 ? 'json' : ''))).toEqual([]);
      expect(connections, `connections to the server after ${Date.now() - start} ms`).toBeLessThanOrEqual(2 * 8);
    });
    expect(await status(page).textContent()).toMatch(/^(Connecting…|Reconnecting in \d+ s \(attempt \d+\))/);
    expect(await status(page).getAttribute('data-state')).not.toBe('closed');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
