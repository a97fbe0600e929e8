// One connection across the tabs of an origin (issue 17), in Chromium against the reference server:
// the pages of test/e2e/app/tabs.html (the core's `sharedTabs()`, no React). The server counts the
// connections; each page keeps the room's messages by `seq` and resumes after its last one.
import type { BrowserContext, Page } from 'playwright';
import { describe, expect, inject, it } from 'vitest';

import type { ChatServer } from '../../src/server/index.ts';
import { chromiumSuite } from './chromiumSuite.ts';
import { RawClient } from './helpers.ts';

const suite = chromiumSuite();
const { clients } = suite;

// No rate limit: the bot writes as fast as the server echoes.
const startServer = () => suite.startServer({ rateLimit: false });

interface TabsPage {
  readonly page: Page;
  readonly errors: string[];
}

/** Open the tabs page in `context`, and wait until it has its part (leader or follower) on an open connection. */
async function openTab(context: BrowserContext, server: ChatServer, params: Record<string, string> = {}): Promise<TabsPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const url = new URL('tabs.html', inject('e2eAppUrl'));
  url.searchParams.set('server', server.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  await page.goto(url.href);
  await expect.poll(() => readyState(page)).toBe(1);
  return { page, errors };
}

const readyState = (page: Page) => page.evaluate(() => window.__tabs?.client.getSnapshot().readyState);
const role = (page: Page) => page.evaluate(() => window.__tabs?.client.getSnapshot().shared);
const texts = (page: Page) => page.evaluate(() => window.__tabs?.texts() ?? []);
const roles = (pages: readonly TabsPage[]) => Promise.all(pages.map((tab) => role(tab.page)));

/** A raw client that writes `count` messages `${prefix}${i}`, each echoed before the next; `onEcho(i)` after each. */
async function bot(server: ChatServer, prefix: string, count: number, onEcho: (i: number) => void = () => {}): Promise<string[]> {
  const client = await RawClient.connect(server.url);
  clients.push(client);
  await client.register('bot');
  const said: string[] = [];
  for (let i = 0; i < count; i++) {
    await client.say(`${prefix}${i}`, `${prefix}-${i}`);
    said.push(`${prefix}${i}`);
    onEcho(i);
  }
  return said;
}

const sorted = (values: readonly (string | undefined)[]) => [...values].sort();

describe('sharedTabs() in Chromium', () => {
  it('three pages of one browser context share one connection: the same messages, in order, in each; a send from each goes out once', async () => {
    const server = await startServer();
    const context = await suite.browser.newContext();
    const tabs = [await openTab(context, server), await openTab(context, server), await openTab(context, server)];
    expect(sorted(await roles(tabs))).toEqual(['follower', 'follower', 'leader']);
    expect(server.stats()).toMatchObject({ connections: 1, totalConnections: 1 });

    const said = await bot(server, 'm', 50);
    const results = await Promise.all(tabs.map((tab, i) => tab.page.evaluate((text) => window.__tabs?.say(text), `from tab ${i}`)));
    expect(results).toEqual(['sent', 'sent', 'sent']);
    const own = ['from tab 0', 'from tab 1', 'from tab 2'];
    // The bot's first, in order; then the three tabs', each once, in the order the leader sent them.
    for (const tab of tabs) await expect.poll(async () => sorted((await texts(tab.page)).slice(50))).toEqual(own);
    const [first, ...others] = await Promise.all(tabs.map((tab) => texts(tab.page)));
    expect(first?.slice(0, 50)).toEqual(said);
    for (const other of others) expect(other).toEqual(first);
    // The bot's connection and the tabs' one: nothing else was ever opened.
    expect(server.stats()).toMatchObject({ connections: 2, totalConnections: 2 });
    for (const tab of tabs) expect(tab.errors).toEqual([]);
    await context.close();
  });

  it('the leader page closes during traffic: another takes over within a second; every page ends with the same complete log', async () => {
    const server = await startServer();
    const context = await suite.browser.newContext();
    const tabs = [await openTab(context, server), await openTab(context, server), await openTab(context, server)];
    const roleOf = await roles(tabs);
    const leader = tabs[roleOf.indexOf('leader')] as TabsPage;
    const followers = tabs.filter((tab) => tab !== leader);

    let closedAt = 0;
    let closing: Promise<void> | undefined;
    const traffic = bot(server, 'live ', 300, (i) => {
      if (i === 100) {
        closedAt = Date.now();
        closing = leader.page.close();
      }
    });
    // The followers write while the leader goes: their sends wait for the new leader, and go out once.
    await expect.poll(() => closedAt > 0).toBe(true);
    const own = followers.flatMap((_, f) => Array.from({ length: 10 }, (__, i) => `tab ${f} says ${i}`));
    await Promise.all(
      followers.map((tab, f) =>
        tab.page.evaluate(
          (lines) => lines.map((line) => window.__tabs?.say(line)),
          own.filter((line) => line.startsWith(`tab ${f} `)),
        ),
      ),
    );
    await expect.poll(async () => sorted(await roles(followers))).toEqual(['follower', 'leader']);
    await expect
      .poll(async () => (await Promise.all(followers.map((tab) => readyState(tab.page)))).every((state) => state === 1))
      .toBe(true);
    // When the new leader's connection opened, as the page saw it (Date.now() there: the same clock).
    const ledAt = Math.max(...(await Promise.all(followers.map((tab) => tab.page.evaluate(() => window.__tabs?.ledAt ?? 0)))));
    const takeoverMs = ledAt - closedAt;
    const said = await traffic;
    await closing;

    const expected = [...said].sort();
    for (const tab of followers) {
      await expect.poll(async () => sorted((await texts(tab.page)).filter((text) => text.startsWith('live ')))).toEqual(expected);
      // Each own message at least once: sends are at least once across a takeover in the core (one the
      // closed leader sent but could not confirm goes out again; README "One connection for all tabs").
      // The page rejoins as the same user, so the server knows most such resends by their nonce; the
      // new leader's own go out on open, before any sign-in. The chat's are once: sharedChat.e2e.
      await expect
        .poll(async () => [...new Set((await texts(tab.page)).filter((text) => text.startsWith('tab ')))].sort())
        .toEqual(sorted(own));
    }
    // The same log, in the room's order, in both; the bot's once each, in the order it wrote them.
    const logs = () => Promise.all(followers.map((tab) => texts(tab.page)));
    await expect.poll(async () => new Set((await logs()).map((log) => JSON.stringify(log))).size).toBe(1);
    const [first] = await logs();
    expect(first?.filter((text) => text.startsWith('live '))).toEqual(said);
    const sentTwice = (first?.filter((text) => text.startsWith('tab ')).length ?? 0) - own.length;
    const { duplicateMessages } = server.stats();
    expect(server.stats()).toMatchObject({ connections: 2, totalConnections: 3 });
    expect(takeoverMs).toBeGreaterThan(0);
    expect(takeoverMs).toBeLessThan(1000);
    console.info(
      `takeover after the leader page closed: ${takeoverMs} ms (from page.close() to the new connection open); sent again: known by nonce ${duplicateMessages}, shown twice ${sentTwice}`,
    );
    for (const tab of followers) expect(tab.errors).toEqual([]);
    await context.close();
  });

  it('a leader page about to freeze hands over at once; a hung one is replaced after takeoverAfter; no message lost or doubled', async () => {
    const server = await startServer();
    const context = await suite.browser.newContext();
    const params = { takeoverAfter: '600' };
    const tabs = [await openTab(context, server, params), await openTab(context, server, params), await openTab(context, server, params)];
    const leaderOf = async (among: readonly TabsPage[]) => among[(await roles(among)).indexOf('leader')];
    const first = (await leaderOf(tabs)) as TabsPage;
    const said = [...(await bot(server, 'a', 20))];

    // About to be frozen (as Chrome freezes a background tab): the page's `freeze` event hands over.
    // Dispatched by the test: CDP's Page.setWebLifecycleState('frozen') left this page running here
    // (it kept posting), so the event the browser fires before freezing is what is exercised.
    await first.page.evaluate(() => document.dispatchEvent(new Event('freeze')));
    const awake = tabs.filter((tab) => tab !== first);
    await expect.poll(async () => sorted(await roles(awake))).toEqual(['follower', 'leader']);
    expect(await role(first.page)).toBe('follower');
    said.push(...(await bot(server, 'b', 20)));
    await first.page.evaluate(() => document.dispatchEvent(new Event('resume')));
    await expect.poll(async () => sorted(await roles(tabs))).toEqual(['follower', 'follower', 'leader']);

    // Hung (a long task): it keeps its lock until the others take it.
    const second = (await leaderOf(tabs)) as TabsPage;
    const hung = second.page.evaluate(() => {
      const until = Date.now() + 2000;
      while (Date.now() < until);
    });
    const others = tabs.filter((tab) => tab !== second);
    await expect.poll(async () => sorted(await roles(others))).toEqual(['follower', 'leader']);
    said.push(...(await bot(server, 'c', 20)));
    await hung;
    // Once it runs again, it learns that its lock was taken, and follows.
    await expect.poll(async () => sorted(await roles(tabs))).toEqual(['follower', 'follower', 'leader']);
    for (const tab of tabs) await expect.poll(() => texts(tab.page)).toEqual(said);
    // The three bots' connections and the one of the tabs are left.
    await expect.poll(() => server.stats().connections).toBe(4);
    for (const tab of tabs) expect(tab.errors).toEqual([]);
    await context.close();
  });

  it('pages of two browser contexts (two profiles) do not share', async () => {
    const server = await startServer();
    const contexts = [await suite.browser.newContext(), await suite.browser.newContext()];
    const tabs = [await openTab(contexts[0] as BrowserContext, server), await openTab(contexts[1] as BrowserContext, server)];
    expect(await roles(tabs)).toEqual(['leader', 'leader']);
    expect(server.stats()).toMatchObject({ connections: 2, totalConnections: 2 });
    const said = await bot(server, 'x', 5);
    for (const tab of tabs) await expect.poll(() => texts(tab.page)).toEqual(said);
    for (const context of contexts) await context.close();
  });

  it('without Web Locks or BroadcastChannel each page has its own connection, and says so', async () => {
    for (const remove of ['locks', 'BroadcastChannel'] as const) {
      const server = await startServer();
      const context = await suite.browser.newContext();
      await context.addInitScript((what) => {
        if (what === 'locks') Reflect.deleteProperty(Navigator.prototype, 'locks');
        else Reflect.deleteProperty(globalThis, 'BroadcastChannel');
      }, remove);
      const tabs = [await openTab(context, server), await openTab(context, server)];
      expect(await roles(tabs)).toEqual(['off', 'off']);
      const said = await bot(server, `${remove} `, 5);
      for (const tab of tabs) await expect.poll(() => texts(tab.page)).toEqual(said);
      expect(await Promise.all(tabs.map((tab) => tab.page.evaluate(() => window.__tabs?.say('own'))))).toEqual(['sent', 'sent']);
      for (const tab of tabs) expect(tab.errors).toEqual([]);
      // Two pages and the bot: each page its own connection.
      expect(server.stats()).toMatchObject({ connections: 3, totalConnections: 3 });
      await context.close();
    }
  });
});
