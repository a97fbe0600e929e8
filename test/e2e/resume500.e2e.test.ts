// Issue 15 ("Tests"): page A is away while bob sends 500 messages; A comes back and shows all 500
// exactly once, in order, after "New since you were away". Twice: A offline (the browser offline and
// its connection cut), and A's server killed and restarted (the room in Redis, so nothing is lost);
// and once more in memory, where the restart loses the history: "Some messages may be missing".
import { createServer, type Server, type Socket, connect } from 'node:net';

import type { Page } from 'playwright';
import { afterAll, describe, expect, it } from 'vitest';

import type { ChatServer, ChatServerOptions } from '../../src/server/index.ts';
import { type RedisServer, startRedis } from '../helpers/redisServer.ts';
import { chromiumSuite } from './chromiumSuite.ts';
import { messageTexts, openChatPage, waitForStatus } from './helpers.ts';

const suite = chromiumSuite();
const MISSED = 500;

// The rate raised from 20 per 10 s (500 messages would take 250 s) to 100 per 250 ms: page B's store
// paces itself by the rate the server announces, so its 500 take about a second and none is cut.
const RATE = { messages: 100, interval: 250 };

const startServer = (options: ChatServerOptions = {}) => suite.startServer({ rateLimit: RATE, historyOnJoin: 40, ...options });

/** Page B, signed in as `name` on `url`, writes `missed 0` … `missed 499` through its store (as `<MessageInput>` does); resolves once all are delivered. */
async function pageSends(url: string, name: string): Promise<void> {
  const bob = await openChatPage(suite.browser, { server: url, name });
  await waitForStatus(bob.page, 'Connected');
  await bob.page.evaluate((count) => {
    const store = window.__rwcE2E!.store();
    for (let i = 0; i < count; i++) if (!store.send(`missed ${i}`)) throw new Error(`message ${i} refused`);
  }, MISSED);
  const delivered = () =>
    bob.page.evaluate(
      () => window.__rwcE2E!.chat().entries.filter((entry) => entry.kind === 'message' && entry.own && entry.status === 'delivered').length,
    );
  await expect.poll(delivered, { timeout: 20_000 }).toBe(MISSED);
  expect(bob.pageErrors).toEqual([]);
  await bob.page.context().close();
}

/**
 * A TCP relay in front of `target`: `cut()` destroys every relayed connection (both ends see the
 * connection lost, as on a network outage); `accepted` counts the connections it relayed.
 */
async function relay(target: ChatServer): Promise<{ url: string; accepted: () => number; cut: () => void; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((inbound) => {
    accepted++;
    const outbound = connect(target.port, target.host);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
      socket.on('close', () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    accepted: () => accepted,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The store's log: message texts in order, and how many "may be missing" marks (gaps). */
const storeLog = (page: Page) =>
  page.evaluate(() => {
    const entries = window.__rwcE2E!.chat().entries;
    return {
      texts: entries.filter((entry) => entry.kind === 'message').map((entry) => (entry as { text: string }).text),
      gaps: entries.filter((entry) => entry.kind === 'gap').length,
    };
  });

const expected = [...Array.from({ length: 5 }, (_, i) => `before ${i}`), ...Array.from({ length: MISSED }, (_, i) => `missed ${i}`)];

/** All 500 once, in order, no gap; then "Jump to first unread" shows the divider right before "missed 0". */
async function expectCaughtUp(page: Page): Promise<void> {
  await expect.poll(async () => (await storeLog(page)).texts.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(expected.length);
  expect(await storeLog(page)).toEqual({ texts: expected, gaps: 0 });
  const jump = page.getByRole('button', { name: 'Jump to first unread' });
  await expect.poll(() => jump.count()).toBe(1);
  await jump.click();
  const divider = page.locator('.rwc-chatbox__unread');
  await expect.poll(() => divider.textContent()).toBe('New since you were away');
  expect(await divider.evaluate((element) => element.nextElementSibling?.querySelector('.rwc-chatbox__text')?.textContent)).toBe(
    'missed 0',
  );
  // The rows rendered around the divider are the store's, in the same order.
  const shown = await messageTexts(page);
  const from = expected.indexOf(shown[0] ?? '');
  expect(from).toBeGreaterThanOrEqual(0);
  expect(shown).toEqual(expected.slice(from, from + shown.length));
}

describe('A page away while 500 messages are sent', () => {
  it('offline (browser offline, its connection cut): back online, shows all 500 once, in order, after the divider', async () => {
    const server = await startServer();
    const net = await relay(server);
    try {
      await suite.bot(server.url, 'bob', 'before ', 5);
      const ada = await openChatPage(suite.browser, { server: net.url, name: 'ada', height: '400px', history: true, maxDelay: 300 });
      await waitForStatus(ada.page, 'Connected');
      await expect.poll(() => messageTexts(ada.page)).toContain('before 4');
      // context.setOffline leaves an open WebSocket open in Chromium: the relay cuts it as the network would.
      await ada.page.context().setOffline(true);
      net.cut();
      // The client saw the close (1006) and, told the browser is offline, waits for the network.
      await waitForStatus(ada.page, /^Offline/);
      const connections = net.accepted();
      await pageSends(server.url, 'bob2');
      // Offline: no connection reached the server meanwhile.
      expect(net.accepted()).toBe(connections);
      expect((await storeLog(ada.page)).texts).not.toContain('missed 0');
      await ada.page.context().setOffline(false);
      await waitForStatus(ada.page, 'Connected');
      await expectCaughtUp(ada.page);
      // Paced, never cut for flooding.
      expect(server.stats().closes['1008']).toBeUndefined();
      expect(ada.pageErrors).toEqual([]);
    } finally {
      await net.close();
    }
  });

  it('its in-memory server killed and restarted: the history is gone, so the log says "Some messages may be missing"', async () => {
    const first = await startServer();
    await suite.bot(first.url, 'bob', 'before ', 5);
    const ada = await openChatPage(suite.browser, { server: first.url, name: 'ada', height: '400px', history: true, maxDelay: 300 });
    await waitForStatus(ada.page, 'Connected');
    await expect.poll(() => messageTexts(ada.page)).toContain('before 4');
    await first.close();
    await waitForStatus(ada.page, /^Disconnected|Reconnecting/);
    // A new process on the same port: a new epoch, nothing of the old room's history.
    await startServer({ port: first.port });
    await waitForStatus(ada.page, 'Connected');
    await expect.poll(async () => (await storeLog(ada.page)).gaps).toBe(1);
    expect((await storeLog(ada.page)).texts).toEqual(expected.slice(0, 5));
    await expect.poll(() => ada.page.getByText('Some messages may be missing').count()).toBe(1);
    expect(ada.pageErrors).toEqual([]);
  });

  describe('over Redis', () => {
    let redis: RedisServer | undefined;
    afterAll(async () => {
      await redis?.dispose();
    });

    it('its server killed and restarted, bob on another node meanwhile: shows all 500 once, in order, after the divider', async () => {
      redis = await startRedis();
      const room = { redis: { url: redis.url, key: `rwc:e2e500:${Date.now()}` } };
      const first = await startServer(room);
      await suite.bot(first.url, 'bob', 'before ', 5);
      const ada = await openChatPage(suite.browser, { server: first.url, name: 'ada', height: '400px', history: true, maxDelay: 300 });
      await waitForStatus(ada.page, 'Connected');
      await expect.poll(() => messageTexts(ada.page)).toContain('before 4');
      await first.close();
      await waitForStatus(ada.page, /^Disconnected|Reconnecting/);
      const second = await startServer(room);
      await pageSends(second.url, 'bob2');
      expect(second.stats().closes['1008']).toBeUndefined();
      expect((await storeLog(ada.page)).texts).not.toContain('missed 0');
      // The first node again, on its port: ada's reconnect reaches it.
      await startServer({ ...room, port: first.port });
      await waitForStatus(ada.page, 'Connected');
      await expectCaughtUp(ada.page);
      expect(ada.pageErrors).toEqual([]);
    });
  });
});
