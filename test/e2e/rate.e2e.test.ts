// A page writes 200 messages at once (a paste of many lines, or a bot) against the reference server
// with its DEFAULT rate limit (20 frames per 10 s, announced in `id`): the kit paces its frames to
// that rate, showing them as waiting meanwhile, so the server never has to slow it down or cut it.
// All 200 are delivered, in order, to the writer and to another client, and the connection is never
// closed. At the default rate this takes about 90 s: the test has its own timeout.
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHAT_SERVER_DEFAULTS, createChatServer, type ChatServer } from '../../src/server/index.ts';
import { RawClient, launchChromium, openChatPage, readLog, waitForStatus, type ChatPage } from './helpers.ts';

const COUNT = 200;
/** (COUNT - a burst of 19) at 2 per s ≈ 91 s, with room for a loaded machine. */
const BURST_TIMEOUT_MS = 150_000;

let server: ChatServer;
let browser: Browser;
const clients: RawClient[] = [];

beforeAll(async () => {
  // The defaults, rate limit included: nothing relaxed for the test.
  [server, browser] = await Promise.all([createChatServer({ host: '127.0.0.1', port: 0 }), launchChromium()]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await server?.close();
});

declare global {
  interface Window {
    /** Close events of the page's connection since the test started watching. */
    __rateCloses?: number[];
  }
}

/** The writer's own messages as its chat state has them: texts and statuses, in log order. */
function ownMessages(bot: ChatPage) {
  return bot.page.evaluate(() =>
    (window.__rwcE2E?.chat().entries ?? []).flatMap((entry) => (entry.kind === 'message' && entry.own ? [[entry.text, entry.status]] : [])),
  );
}

describe('a burst of 200 messages against the default rate limit', () => {
  it(
    'delivers all 200, in order, to the writer and to others, and the connection is never closed',
    async () => {
      expect(CHAT_SERVER_DEFAULTS.rateLimit).toMatchObject({ messages: 20, interval: 10_000 });
      const reader = await RawClient.connect(server.url);
      clients.push(reader);
      const bot: ChatPage = await openChatPage(browser, { server: server.url, name: 'bot', height: '600px' });
      await waitForStatus(bot.page, 'Connected');
      await expect.poll(() => bot.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
      expect(await bot.page.evaluate(() => window.__rwcE2E?.chat().server?.rate)).toEqual({ messages: 20, interval: 10_000 });

      // Watch the connection from now on, then write everything at once, as a paste or a bot would.
      const texts = Array.from({ length: COUNT }, (_, i) => `burst ${String(i + 1).padStart(3, '0')}`);
      const started = Date.now();
      const written = await bot.page.evaluate((lines) => {
        const hook = window.__rwcE2E;
        if (!hook) throw new Error('the fixture app has no hook');
        window.__rateCloses = [];
        hook.client()?.on('close', (info) => window.__rateCloses?.push(info.code));
        return lines.filter((line) => hook.store().send(line) !== null).length;
      }, texts);
      expect(written).toBe(COUNT);

      // The ones over the rate wait, visibly.
      await expect.poll(async () => (await readLog(bot.page)).at(-1)).toMatchObject({ text: texts.at(-1), dataStatus: 'pending' });
      const early = await ownMessages(bot);
      expect(early.filter(([, status]) => status === 'pending').length).toBeGreaterThan(150);

      // Everything arrives. A close would fail the test at once instead of at the timeout.
      const closed = bot.page
        .waitForFunction(() => (window.__rateCloses?.length ?? 0) > 0, undefined, { timeout: BURST_TIMEOUT_MS, polling: 500 })
        .then(async () => {
          throw new Error(`the page's connection closed: ${JSON.stringify(await bot.page.evaluate(() => window.__rateCloses))}`);
        });
      closed.catch(() => {});
      const delivered = expect
        .poll(async () => (await ownMessages(bot)).filter(([, status]) => status === 'delivered').length, {
          timeout: BURST_TIMEOUT_MS,
          interval: 1000,
        })
        .toBe(COUNT);
      await Promise.race([delivered, closed]);
      const seconds = (Date.now() - started) / 1000;

      // At the writer: all 200, delivered, in the order written.
      expect(await ownMessages(bot)).toEqual(texts.map((text) => [text, 'delivered']));
      // At another client: all 200 from the writer, in order, none twice.
      await reader.waitFor((p) => p.type === 'message' && p.text === texts.at(-1), 'the last message', 0, 10_000);
      expect(reader.messageTexts('bot')).toEqual(texts);
      // The connection was never closed, and the server never had to slow the page down or cut it.
      expect(await bot.page.evaluate(() => window.__rateCloses)).toEqual([]);
      expect(await bot.page.evaluate(() => window.__rwcE2E?.connection()?.readyState)).toBe(1);
      const stats = server.stats();
      expect(stats).toMatchObject({ connections: 2, rateDelayed: 0, rateLimited: 0, messagesRelayed: COUNT, duplicateMessages: 0 });
      expect(stats.closes[1008]).toBeUndefined();
      // Paced: the 181 over the burst of 19, at 2 per s, take about 90 s.
      expect(seconds).toBeGreaterThan(80);
      console.info(`burst of ${COUNT}: ${COUNT} delivered, 0 lost, 0 closes, ${seconds.toFixed(1)} s`);
      expect(bot.pageErrors).toEqual([]);
      expect(bot.consoleErrors).toEqual([]);
    },
    BURST_TIMEOUT_MS + 30_000,
  );
});
