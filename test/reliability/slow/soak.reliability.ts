// Soak: 1 000 000 messages through the real reference server into a page of the fixture app in
// Chromium. None may be lost or reordered, the page must stay connected, and its memory must stay
// bounded by the history limit (maxEntries at its default, 5000): the JS heap is sampled after GC
// every 100 000 messages through the DevTools protocol, and the last sample must be under twice the
// first. The server's limits are raised for the run (no rate limit, a larger send buffer); a raw
// `ws` client sends in batches, never more than WINDOW messages ahead of the page.
import type { Browser, CDPSession } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { chromium } from 'playwright';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../setup/chromium.ts';
import { openChatPage } from '../../e2e/helpers.ts';
import { mib, recordFigures } from '../lib/figures.ts';
import { installRecorder, recorded } from './lib/pageRecorder.ts';
import { startServerProcess, type ServerProcess } from './lib/serverProcess.ts';

const TOTAL = Number(process.env.SOAK_MESSAGES ?? 1_000_000);
const BATCH = 5_000;
const WINDOW = Number(process.env.SOAK_WINDOW ?? 200_000);
const SAMPLE_EVERY = 100_000;
// 1 000-2 000 messages/s reach the fixture page (Vite dev build, Playwright page): 9 min for a million here.
const DEADLINE_MS = Number(process.env.SOAK_DEADLINE_MS ?? 15 * 60_000);

let browser: Browser;
let server: ServerProcess;
let sender: WebSocket | null = null;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    // The project's Chromium, with a page that is never throttled as a background one.
    chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
      ],
    }),
    // The server in a process of its own: the test process drives the page and the sender.
    startServerProcess(0, undefined, 'soak'),
  ]);
});
afterAll(async () => {
  sender?.terminate();
  await browser?.close();
  await server?.kill();
});

declare global {
  interface Window {
    __rwcSoak?: { received: number; gaps: number; last: number };
  }
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
}

/** Out of time: record how far it got (the run fails, with its figures kept), then fail. */
async function overBudget(sent: number, received: number, samples: { at: number; heap: number }[]): Promise<never> {
  recordFigures('Soak: 1 000 000 messages into a page', 'npm run test:reliability', [
    { what: 'INCOMPLETE: stopped at the time budget', value: `${(DEADLINE_MS / 60_000).toFixed(0)} min` },
    { what: 'messages sent / received by the page when stopped', value: `${sent} / ${received}` },
    { what: 'JS heap samples after GC (every 100 000)', value: `${samples.map((s) => mib(s.heap).replace(' MiB', '')).join(', ')} MiB` },
  ]);
  throw new Error(`soak over its time budget at ${sent} sent, ${received} received`);
}

describe('soak', () => {
  it(`${TOTAL.toLocaleString('en-US')} messages into a page: none lost, memory bounded by the history`, {
    timeout: 20 * 60_000,
  }, async () => {
    const started = performance.now();
    const chat = await openChatPage(browser, { server: server.url, name: 'reader' });
    await installRecorder(chat.page);
    await expect.poll(() => chat.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    // Count in the page, at the core's `message` event: every message of the sender, in order.
    await chat.page.evaluate(() => {
      const soak = { received: 0, gaps: 0, last: 0 };
      window.__rwcSoak = soak;
      window.__rwcE2E?.client()?.on('message', (packet) => {
        const p = packet as { type?: string; name?: string; text?: string };
        if (p.type !== 'message' || p.name !== 'soak') return;
        const n = Number(p.text);
        if (n !== soak.last + 1) soak.gaps++;
        soak.last = n;
        soak.received++;
      });
    });
    const cdp = await chat.page.context().newCDPSession(chat.page);

    sender = new WebSocket(server.url, 'json');
    let senderId = 0;
    let echoes = 0;
    sender.on('message', (data) => {
      const text = String(data);
      if (text.startsWith('{"type":"id"')) senderId = (JSON.parse(text) as { id: number }).id;
      else if (text.startsWith('{"type":"message"')) echoes++;
    });
    await new Promise<void>((resolve, reject) => {
      (sender as WebSocket).once('open', () => resolve());
      (sender as WebSocket).once('error', reject);
    });
    await expect.poll(() => senderId).toBeGreaterThan(0);
    sender.send(JSON.stringify({ type: 'username', name: 'soak', id: senderId, date: Date.now() }));

    const received = () => chat.page.evaluate(() => window.__rwcSoak?.received ?? 0);
    const samples: { at: number; heap: number }[] = [];
    let sent = 0;
    let nextSample = SAMPLE_EVERY;
    let pageCount = 0;
    while (sent < TOTAL) {
      if (performance.now() - started > DEADLINE_MS) await overBudget(sent, pageCount, samples);
      const batch = Math.min(BATCH, TOTAL - sent);
      for (let i = 0; i < batch; i++) {
        sent++;
        sender.send(`{"type":"message","text":"${sent}","id":${senderId},"date":${1_700_000_000_000 + sent}}`);
      }
      // Stay within WINDOW of the page, and sample its heap at each 100 000 it has received.
      while (sent - pageCount > WINDOW || (pageCount < nextSample && sent >= nextSample && nextSample <= TOTAL)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        pageCount = await received();
        if (performance.now() - started > DEADLINE_MS) await overBudget(sent, pageCount, samples);
        if (pageCount >= nextSample) {
          samples.push({ at: pageCount, heap: await heapAfterGc(cdp) });
          nextSample += SAMPLE_EVERY;
        }
      }
    }
    await expect.poll(received, { timeout: 60_000 }).toBe(TOTAL);
    if (samples.length === 0 || (samples.at(-1) as { at: number }).at < TOTAL) samples.push({ at: TOTAL, heap: await heapAfterGc(cdp) });
    const seconds = (performance.now() - started) / 1000;

    const soak = await chat.page.evaluate(() => ({
      ...window.__rwcSoak,
      entries: window.__rwcE2E?.chat().entries.length,
      count: window.__rwcE2E?.connection()?.messageCount,
    }));
    const rec = await recorded(chat.page);
    const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number };
    // None lost, none reordered, never disconnected; the history at its limit.
    expect(soak.received).toBe(TOTAL);
    expect(soak.gaps).toBe(0);
    expect(soak.last).toBe(TOTAL);
    expect(rec.closes).toEqual([]);
    expect(soak.entries).toBeLessThanOrEqual(5000);
    expect(chat.pageErrors).toEqual([]);
    // Memory bounded: the last heap sample under twice the first.
    const first = (samples[0] as { heap: number }).heap;
    const last = (samples.at(-1) as { heap: number }).heap;
    const peak = Math.max(...samples.map((s) => s.heap));
    expect(last).toBeLessThan(2 * first);
    const stats = await server.stats();
    expect(stats.messagesRelayed).toBe(TOTAL);
    recordFigures('Soak: 1 000 000 messages into a page', 'npm run test:reliability', [
      { what: 'messages sent / received in order by the page', value: `${sent} / ${soak.received} (gaps ${soak.gaps})` },
      { what: 'relayed by the server (each also echoed to the sender)', value: `${stats.messagesRelayed as number} (${echoes} echoes)` },
      { what: 'page disconnections', value: rec.closes.length },
      { what: 'history entries at the end (maxEntries 5000)', value: soak.entries ?? 0 },
      { what: 'JS heap after GC: first sample / last / peak', value: `${mib(first)} / ${mib(last)} / ${mib(peak)}` },
      { what: 'JS heap samples (every 100 000)', value: `${samples.map((s) => mib(s.heap).replace(' MiB', '')).join(', ')} MiB` },
      { what: 'DOM nodes at the end', value: dom.nodes },
      {
        what: 'time, throughput',
        value: `${seconds.toFixed(0)} s, ${Math.round(TOTAL / seconds).toLocaleString('en-US')} messages/s (Playwright page, Network domain on)`,
      },
    ]);
  });
});
