// Half-open and slow links, real browser. A "server" (a raw `ws` server on loopback) that says `id`
// and then stops answering without closing (its TCP socket paused: it reads nothing, not even the
// close frame): the page's heartbeat must detect it, close with 4000 and reconnect. A server that
// stops reading while the user writes: the page must not grow without bound (outbox and
// bufferedAmount limits hold), measured in the page (bufferedAmount) and with the DevTools protocol
// (JS heap, DOM counters).
import type { Browser, CDPSession } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

import { launchChromium, openChatPage } from '../../e2e/helpers.ts';
import { mib, recordFigures } from '../lib/figures.ts';
import { installRecorder, recorded } from './lib/pageRecorder.ts';

let browser: Browser;
const servers: WebSocketServer[] = [];
const figures: { what: string; value: string | number }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const wss of servers) {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
  recordFigures('Half-open and slow links', 'npm run test:reliability', figures);
});

interface SilentServer {
  readonly url: string;
  readonly sockets: WebSocket[];
  /** When each connection arrived (ms since the epoch). */
  readonly arrivals: number[];
  /** Connections the server saw close (it closes none itself). */
  closed: number;
}

/**
 * A server that greets (`id`, announcing the protocol extension as the reference server does, so that
 * `<ChatProvider>` runs its heartbeat) and then goes silent: the TCP socket paused, nothing read,
 * nothing sent, never closed.
 */
async function silentServer(): Promise<SilentServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'json', autoPong: false });
  servers.push(wss);
  await new Promise((resolve) => wss.once('listening', resolve));
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const server: SilentServer = { url: `ws://127.0.0.1:${address.port}`, sockets: [], arrivals: [], closed: 0 };
  wss.on('connection', (socket) => {
    server.sockets.push(socket);
    server.arrivals.push(Date.now());
    socket.on('close', () => server.closed++);
    socket.send(JSON.stringify({ type: 'id', id: server.sockets.length, ext: 1, session: `s${server.sockets.length}` }), () => {
      (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    });
  });
  return server;
}

async function heap(cdp: CDPSession): Promise<{ js: number; nodes: number; listeners: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
  return { js: usage.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners };
}

describe('half-open link', () => {
  it('a server that stops answering without closing is detected by the heartbeat (4000) and the page reconnects', async () => {
    const server = await silentServer();
    const HEARTBEAT = 500;
    const chat = await openChatPage(browser, { server: server.url, name: 'ada', maxDelay: 1000, heartbeat: HEARTBEAT });
    await installRecorder(chat.page);
    await expect.poll(() => chat.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    const silentSince = server.arrivals[0] as number;
    // Detected: a heartbeat error, a 4000 close, and a new connection; the silent one never closed by the server.
    await expect.poll(async () => (await recorded(chat.page)).closes).toContain(4000);
    const detectedAt = Date.now();
    const rec = await recorded(chat.page);
    expect(rec.errors).toContain('heartbeat');
    expect(rec.closes[0]).toBe(4000);
    await expect.poll(() => server.sockets.length).toBeGreaterThanOrEqual(2);
    const reconnectedAfter = (server.arrivals[1] as number) - silentSince;
    // interval (ping after 500 ms of quiet) + timeout (500 ms), plus the time to notice.
    const detection = detectedAt - silentSince;
    expect(detection).toBeGreaterThanOrEqual(2 * HEARTBEAT - 50);
    expect(detection).toBeLessThan(2 * HEARTBEAT + 1500);
    // The next connection is silent too: detected again, and again reconnected (the cycle repeats).
    await expect.poll(async () => (await recorded(chat.page)).closes.filter((c) => c === 4000).length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => server.sockets.length).toBeGreaterThanOrEqual(3);
    expect(chat.pageErrors).toEqual([]);
    figures.push(
      { what: 'half-open: heartbeat interval / timeout', value: `${HEARTBEAT} / ${HEARTBEAT} ms` },
      { what: 'half-open: silence detected after (close 4000)', value: `≤ ${detection} ms` },
      { what: 'half-open: reconnected after (from the silent connection)', value: `${reconnectedAfter} ms` },
      { what: 'half-open: dead links detected and replaced', value: (await recorded(chat.page)).closes.filter((c) => c === 4000).length },
    );
    await chat.page.context().close();
  });
});

describe('slow reader', () => {
  it('while the server reads nothing, what the user writes does not grow the page without bound', async () => {
    const server = await silentServer();
    const chat = await openChatPage(browser, { server: server.url, name: 'ada' });
    await installRecorder(chat.page);
    await expect.poll(() => chat.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    const cdp = await chat.page.context().newCDPSession(chat.page);
    const before = await heap(cdp);
    // 40 000 chat messages of 1000 characters (40 MB) written into a connection nobody reads, then
    // 40 000 raw frames of 1000 bytes straight through the core.
    const WRITES = 40_000;
    const result = await chat.page.evaluate(async (writes) => {
      const store = window.__rwcE2E?.store();
      const client = window.__rwcE2E?.client();
      if (!store || !client) throw new Error('no hook');
      const text = 'x'.repeat(990);
      let peak = 0;
      let accepted = 0;
      for (let i = 0; i < writes; i++) {
        if (store.send(`${i} ${text}`)) accepted++;
        if (i % 1000 === 999) {
          peak = Math.max(peak, client.getSnapshot().bufferedAmount);
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      }
      store.flush();
      const chatError = store.getState().error;
      const raw: Record<string, number> = {};
      for (let i = 0; i < writes; i++) {
        const r = client.send(text.slice(0, 1000));
        raw[r] = (raw[r] ?? 0) + 1;
        if (i % 1000 === 999) {
          peak = Math.max(peak, client.getSnapshot().bufferedAmount);
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      }
      return {
        accepted,
        chatError: chatError ? { kind: chatError.kind, message: chatError.message } : null,
        unconfirmed: store.getState().unconfirmed,
        raw,
        peak,
        queued: client.getSnapshot().queued,
        clientError: client.getSnapshot().error?.kind ?? null,
      };
    }, WRITES);
    const after = await heap(cdp);
    figures.push(
      { what: 'slow reader: chat messages written into an unread connection', value: `${WRITES} (${mib(WRITES * 1000)})` },
      {
        what: 'slow reader: chat messages accepted / refused with a visible overflow error',
        value: `${result.accepted} (maxUnconfirmed) / ${WRITES - result.accepted}`,
      },
      {
        what: 'slow reader: raw frames sent / queued / rejected (overflow) through the core',
        value: `${result.raw.sent ?? 0} / ${result.raw.queued ?? 0} / ${result.raw.rejected ?? 0}`,
      },
      { what: 'slow reader: peak bufferedAmount in the page (maxBufferedAmount 1 MiB)', value: mib(result.peak) },
      { what: 'slow reader: JS heap before / after (after GC)', value: `${mib(before.js)} / ${mib(after.js)}` },
      { what: 'slow reader: DOM nodes before / after', value: `${before.nodes} / ${after.nodes}` },
    );
    // The chat refuses, visibly, once maxUnconfirmed (500) messages wait for their echo.
    expect(result.accepted).toBe(500);
    expect(result.unconfirmed).toBe(500);
    expect(result.chatError).toMatchObject({ kind: 'overflow' });
    // The core: the socket's buffer stops at the high-water mark (plus the frame that crossed it),
    // the rest waits in the outbox up to maxQueue, and everything past that is rejected as overflow.
    expect(result.peak).toBeLessThanOrEqual(1024 * 1024 + 1100);
    // Queued sends go out as the buffer drains (the kernel takes some), so more than maxQueue may
    // have been queued over time; at the end the outbox is full and holds exactly maxQueue.
    expect(result.queued).toBe(1000);
    expect(result.raw.queued).toBeGreaterThanOrEqual(1000);
    expect((result.raw.sent ?? 0) + (result.raw.queued ?? 0) + (result.raw.rejected ?? 0)).toBe(WRITES);
    expect(result.raw.rejected).toBeGreaterThan(WRITES / 2);
    expect(result.clientError).toBe('overflow');
    // DOM stays bounded (virtualized log), and so does the heap.
    expect(after.nodes).toBeLessThan(before.nodes + 2000);
    expect(after.js - before.js).toBeLessThan(16 * 1024 * 1024);
  });

  it('while disconnected, the outbox stays within maxQueue and overflow is reported', async () => {
    const server = await silentServer();
    const chat = await openChatPage(browser, { server: server.url, name: 'bob', maxDelay: 60_000 });
    await installRecorder(chat.page);
    await expect.poll(() => chat.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    // Drop the link (server side) and write 3000 raw frames through the core while it waits to reconnect.
    for (const socket of server.sockets) socket.terminate();
    await expect.poll(() => chat.page.evaluate(() => window.__rwcE2E?.connection()?.nextReconnectAt != null)).toBe(true);
    const result = await chat.page.evaluate(() => {
      const client = window.__rwcE2E?.client();
      if (!client) throw new Error('no client');
      const counts: Record<string, number> = {};
      for (let i = 0; i < 3000; i++) {
        const r = client.send(`frame ${i}`);
        counts[r] = (counts[r] ?? 0) + 1;
      }
      return { counts, queued: client.getSnapshot().queued, error: client.getSnapshot().error?.kind };
    });
    expect(result.queued).toBe(1000);
    expect(result.counts).toEqual({ queued: 1000, rejected: 2000 });
    expect(result.error).toBe('overflow');
    expect((await recorded(chat.page)).errors.filter((k) => k === 'overflow').length).toBe(2000);
    figures.push({ what: 'outbox while disconnected: 3000 sends', value: '1000 queued (maxQueue), 2000 rejected as overflow' });
  });
});
