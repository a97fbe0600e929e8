// One connection across tabs (issue 17), measured in Chromium against the reference server: the
// server's connections and each tab's main-thread time (CDP Performance.getMetrics: TaskDuration)
// for 1 tab, 4 tabs sharing (`sharedTabs()`) and 4 tabs each with its own connection (Web Locks
// removed: the fallback), under a stream of 1 000 messages a second; and the time another tab takes
// to lead an open connection after the leader's page closes, during the stream, with nothing lost.
// Pages: test/e2e/app/tabs.html (the core alone). Playwright pages, so the DevTools Network domain
// is on for each (it reports every frame of a page's own socket: see /work/shared/testing-notes.md).
import type { Browser, BrowserContext, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../../src/server/index.ts';
import { RawClient, launchChromium } from '../../e2e/helpers.ts';
import { recordFigures, type Figure } from '../lib/figures.ts';

const RATE = 1000;
const STREAM_MS = 5000;
const TICK_MS = 10;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
const servers: ChatServer[] = [];
const clients: RawClient[] = [];
afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
});

async function startServer(): Promise<ChatServer> {
  const server = await createChatServer({ host: '127.0.0.1', port: 0, rateLimit: false, historyLimit: 100_000 });
  servers.push(server);
  return server;
}

async function openTabs(context: BrowserContext, server: ChatServer, count: number): Promise<Page[]> {
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    const url = new URL('tabs.html', inject('e2eAppUrl'));
    url.searchParams.set('server', server.url);
    await page.goto(url.href);
    await expect.poll(() => page.evaluate(() => window.__tabs?.client.getSnapshot().readyState)).toBe(1);
    pages.push(page);
  }
  return pages;
}

/** A bot that writes RATE messages a second for `ms`, `${prefix}${i}`, without waiting for echoes; resolves with what it wrote. */
async function stream(server: ChatServer, prefix: string, ms: number, during?: (sent: number) => void): Promise<string[]> {
  const bot = await RawClient.connect(server.url);
  clients.push(bot);
  await bot.register(`bot-${prefix}`);
  const said: string[] = [];
  const perTick = (RATE * TICK_MS) / 1000;
  const total = (RATE * ms) / 1000;
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Catch up with the clock (a late tick sends more), so that the rate holds on a busy machine.
      const due = Math.min(total, Math.ceil(((Date.now() - started) / TICK_MS + 1) * perTick));
      while (said.length < due) {
        const text = `${prefix}${said.length}`;
        bot.send({ type: 'message', text, id: bot.id, date: Date.now(), nonce: text });
        said.push(text);
      }
      during?.(said.length);
      if (said.length >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  return said;
}

const received = (page: Page, prefix: string) =>
  page.evaluate((p) => window.__tabs?.texts().filter((text) => text.startsWith(p)) ?? [], prefix);

async function taskMs(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000;
  };
  const before = await read();
  return async () => (await read()) - before;
}

/** Stream to `count` tabs (shared, or each its own with `off`); the server's connections and each tab's main-thread ms. */
async function measure(count: number, off: boolean): Promise<Measured> {
  const server = await startServer();
  const context = await browser.newContext();
  if (off) await context.addInitScript(() => Reflect.deleteProperty(Navigator.prototype, 'locks'));
  const pages = await openTabs(context, server, count);
  const connections = server.stats().connections;
  const meters = await Promise.all(pages.map(taskMs));
  const said = await stream(server, 'm', STREAM_MS);
  for (const page of pages) await expect.poll(() => received(page, 'm'), { timeout: 60_000 }).toEqual(said);
  const perTabMs = await Promise.all(meters.map((meter) => meter()));
  await context.close();
  return { connections, perTabMs };
}

interface Measured {
  readonly connections: number;
  readonly perTabMs: number[];
}
const ROUNDS = 3;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const rangeMs = (values: readonly number[]) => `median ${median(values).toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(' / ')})`;
const perTab = (measured: Measured) => measured.perTabMs.map((v) => v.toFixed(0)).join(' / ');

describe('sharedTabs(): cost and takeover', () => {
  it(`1 vs 4 tabs under ${RATE} messages/s for ${STREAM_MS / 1000} s, and the takeover after the leader closes`, async () => {
    // Rounds, each of the three set-ups in turn: the machine is shared, its load comes and goes.
    const rounds: { one: Measured; shared: Measured; own: Measured }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({ one: await measure(1, false), shared: await measure(4, false), own: await measure(4, true) });
    }
    for (const { one, shared, own } of rounds) {
      expect(one.connections).toBe(1);
      expect(shared.connections).toBe(1);
      expect(own.connections).toBe(4);
    }
    const totals = (pick: (round: (typeof rounds)[number]) => Measured) => rounds.map((round) => sum(pick(round).perTabMs));

    // Takeover: four tabs share; during the stream the leader's page closes, three times.
    const server = await startServer();
    const context = await browser.newContext();
    let pages = await openTabs(context, server, 4);
    const takeovers: number[] = [];
    let closing: Promise<void> = Promise.resolve();
    let closes = 0;
    let closedAt = 0;
    const closeLeader = async () => {
      const roles = await Promise.all(pages.map((page) => page.evaluate(() => window.__tabs?.client.getSnapshot().shared)));
      const leader = pages[roles.indexOf('leader')] as Page;
      pages = pages.filter((page) => page !== leader);
      closedAt = Date.now();
      await leader.close();
      await expect
        .poll(async () => Math.max(...(await Promise.all(pages.map((page) => page.evaluate(() => window.__tabs?.ledAt ?? 0))))))
        .toBeGreaterThan(closedAt);
      const ledAt = Math.max(...(await Promise.all(pages.map((page) => page.evaluate(() => window.__tabs?.ledAt ?? 0)))));
      takeovers.push(ledAt - closedAt);
    };
    const said = await stream(server, 't', 6000, (sent) => {
      // At 1.5 s, 3 s and 4.5 s of the stream, one close at a time.
      if (sent >= 1500 * (closes + 1) && closes < 3) {
        closes++;
        closing = closing.then(closeLeader);
      }
    });
    await closing;
    for (const page of pages) await expect.poll(() => received(page, 't'), { timeout: 60_000 }).toEqual(said);
    expect(takeovers).toHaveLength(3);
    for (const ms of takeovers) expect(ms).toBeLessThan(1000);
    await context.close();

    const figures: Figure[] = [
      { what: 'server connections: 1 tab / 4 tabs shared / 4 tabs, each its own', value: '1 / 1 / 4' },
      {
        what: `main-thread time of all tabs, ${RATE} msg/s for ${STREAM_MS / 1000} s, ${ROUNDS} rounds: 1 tab`,
        value: rangeMs(totals((r) => r.one)),
      },
      { what: '… 4 tabs sharing one connection', value: rangeMs(totals((r) => r.shared)) },
      { what: '… 4 tabs, each its own connection (no Web Locks)', value: rangeMs(totals((r) => r.own)) },
      { what: '… per tab, each round: 4 sharing (the leader first)', value: rounds.map((r) => perTab(r.shared)).join('; ') },
      { what: '… per tab, each round: 4 each its own', value: rounds.map((r) => perTab(r.own)).join('; ') },
      { what: 'takeover after the leader page closes, during 1 000 msg/s (3 closes)', value: `${takeovers.join(' / ')} ms` },
      { what: 'messages lost or doubled at the remaining tabs', value: 0 },
    ];
    recordFigures('One connection across tabs (sharedTabs)', 'npm run test:reliability', figures);
  });
});
