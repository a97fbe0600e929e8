// liveness() in real Chromium, through `<ChatProvider heartbeat={liveness()}>` (the fixture app's
// &liveness=1) on the real reference server. Between the page and the server, a proxy whose open
// connections go silent on demand (nothing passes, nothing closes: a dead path). With the heartbeat at
// 10 s + 10 s, the kit must notice the dead link within about a second of the event that says it may
// have died (the page shown again, back online, a wake from sleep), not 20 s later. And a gateway that
// closes with 4401 when the token expires: fresh credentials are asked once, the kit is back at once
// with the new token, and what was written meanwhile is delivered once.
//
// Visibility: headless Chromium shows every page as visible whatever is done, so the test owns
// `document.visibilityState` and dispatches `visibilitychange` (pageVisibility.ts). Offline is
// Playwright's `context.setOffline` (in Chromium it fires `offline`/`online` and holds incoming
// frames meanwhile; the socket stays open); the wake is Playwright's clock (`fastForward`: "the
// laptop lid closed for a while": timers due fire late, once).
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';

import type { ChatServer } from '../../src/server/index.ts';
import { startMdnSampleServer } from '../helpers/mdnSampleServer.ts';
import { installRecorder, recorded } from '../reliability/slow/lib/pageRecorder.ts';
import { chromiumSuite } from './chromiumSuite.ts';
import { RawClient, WAIT_MS, messageTexts, openChatPage, say, waitForStatus, type ChatPage, type ChatPageOptions } from './helpers.ts';
import { startAuthGateway, startSilenceableProxy, type SilenceableProxy } from './linkFaults.ts';
import { controlVisibility, setVisibility } from './pageVisibility.ts';

const suite = chromiumSuite();
const { servers, clients } = suite;

/** The heartbeat's interval and timeout: it alone would notice a dead link 20 s after the last frame. */
const HEARTBEAT = 10_000;
/** What "within about a second" allows on this shared machine (the check waits 750 ms). */
const WITHIN_MS = 1500;

const referenceServer = () => suite.startServer();

/** ada, signed in through a proxy that can go silent, with liveness on; her closes and errors recorded. */
async function adaBehindProxy(
  options: Partial<ChatPageOptions> = {},
): Promise<{ server: ChatServer; proxy: SilenceableProxy; ada: ChatPage }> {
  const server = await referenceServer();
  const proxy = await startSilenceableProxy(server.url);
  servers.push(proxy);
  const ada = await openChatPage(suite.browser, { server: proxy.url, name: 'ada', liveness: true, heartbeat: HEARTBEAT, ...options });
  await installRecorder(ada.page);
  await expect.poll(() => signedIn(ada.page)).toBe(true);
  return { server, proxy, ada };
}

const signedIn = (page: Page) => page.evaluate(() => window.__rwcE2E?.chat().signedIn ?? false);

/**
 * After `event` (run at `since`), the page drops the silent connection (4000, a `heartbeat` error)
 * and is back through a new connection, signed in: returns how long after the event the new
 * connection reached the proxy.
 */
async function backAfter(ada: ChatPage, proxy: SilenceableProxy, since: number): Promise<number> {
  await expect.poll(() => proxy.arrivals.length).toBe(2);
  const reconnectedAfter = (proxy.arrivals[1] as number) - since;
  const rec = await recorded(ada.page);
  expect(rec.closes).toEqual([4000]);
  expect(rec.errors).toContain('heartbeat');
  await expect.poll(() => signedIn(ada.page)).toBe(true);
  await say(ada.page, 'still here');
  await expect.poll(() => messageTexts(ada.page)).toEqual(['still here']);
  expect([ada.pageErrors, ada.consoleErrors, ada.dialogs]).toEqual([[], [], []]);
  return reconnectedAfter;
}

describe('liveness: a dead link noticed at once', () => {
  it('the page shown again: on a dead link, a new connection within a second; on a live one, the check is answered and nothing closes', async () => {
    const { server, proxy, ada } = await adaBehindProxy();
    await controlVisibility(ada.page);
    await setVisibility(ada.page, 'hidden');
    proxy.silence();
    const since = Date.now();
    await setVisibility(ada.page, 'visible');
    const after = await backAfter(ada, proxy, since);
    expect(after).toBeLessThan(WITHIN_MS);
    console.info(`visible again on a dead link: reconnected after ${after} ms (heartbeat alone: up to ${2 * HEARTBEAT} ms)`);

    // The new link is alive: the check's ping is answered. A second check pings again, which it
    // would not while the first one still waited: the pong ended it.
    const pongs = server.stats().pongs;
    for (const answered of [pongs + 1, pongs + 2]) {
      await setVisibility(ada.page, 'hidden');
      await setVisibility(ada.page, 'visible');
      await expect.poll(() => server.stats().pongs).toBe(answered);
    }
    expect((await recorded(ada.page)).closes).toEqual([4000]);
    expect(proxy.arrivals).toHaveLength(2);
    await ada.page.context().close();
  });

  it('back online: a new connection within a second of the `online` event', async () => {
    const { proxy, ada } = await adaBehindProxy();
    const context = ada.page.context();
    await context.setOffline(true);
    await expect.poll(() => ada.page.evaluate(() => navigator.onLine)).toBe(false);
    proxy.silence();
    const since = Date.now();
    await context.setOffline(false);
    const after = await backAfter(ada, proxy, since);
    expect(after).toBeLessThan(WITHIN_MS);
    console.info(`online again on a dead link: reconnected after ${after} ms`);
    await context.close();
  });

  it('a wake from sleep (the clock jumps a minute): a new connection within a second', async () => {
    const { proxy, ada } = await adaBehindProxy({ clock: true });
    proxy.silence();
    const since = Date.now();
    await ada.page.clock.fastForward(60_000);
    const after = await backAfter(ada, proxy, since);
    expect(after).toBeLessThan(WITHIN_MS);
    console.info(`a minute's sleep on a dead link: reconnected after ${after} ms`);
    await ada.page.context().close();
  });
});

describe('liveness: credentials that expire', () => {
  it('4401: fresh credentials asked once, back at once with them, what was written meanwhile delivered once', async () => {
    const server = await referenceServer();
    const gateway = await startAuthGateway(server.url);
    servers.push(gateway);
    const bob = await RawClient.connect(server.url);
    clients.push(bob);
    await bob.register('bob');
    const ada = await openChatPage(suite.browser, { server: gateway.url, name: 'ada', liveness: true, auth: true });
    await installRecorder(ada.page);
    await expect.poll(() => signedIn(ada.page)).toBe(true);
    // What ada writes as the token expires (the chat is closed then): it must survive the new socket.
    await ada.page.evaluate(() => {
      const client = window.__rwcE2E?.client();
      const store = window.__rwcE2E?.store();
      client?.on('close', (info) => {
        if (info.code === 4401) for (const text of ['written as it expired 1', 'written as it expired 2']) store?.send(text);
      });
    });
    const since = Date.now();
    gateway.expire();
    await expect.poll(() => gateway.accepted).toEqual(['t1', 't2']);
    const reconnectedAfter = (gateway.acceptedAt[1] as number) - since;
    expect(await ada.page.evaluate(() => window.__rwcAuth)).toEqual({ token: 't2', refreshes: 1 });
    // Never with the expired token again: asked first, then connected.
    expect(gateway.refused).toBe(0);
    expect(reconnectedAfter).toBeLessThan(WITHIN_MS);

    const written = ['written as it expired 1', 'written as it expired 2'];
    await expect.poll(() => bob.messageTexts('ada')).toEqual(written);
    await expect.poll(() => ada.page.evaluate(() => window.__rwcE2E?.chat().unconfirmed)).toBe(0);
    await expect.poll(() => messageTexts(ada.page)).toEqual(written);
    // Once: another message after them, and still only one copy of each.
    await say(ada.page, 'after');
    await expect.poll(() => bob.messageTexts('ada')).toEqual([...written, 'after']);
    await expect.poll(() => messageTexts(ada.page)).toEqual([...written, 'after']);
    const rec = await recorded(ada.page);
    expect(rec.closes).toEqual([4401]);
    expect(rec.errors).toEqual([]);
    expect([ada.pageErrors, ada.consoleErrors, ada.dialogs]).toEqual([[], [], []]);
    console.info(`4401: fresh token asked once, reconnected after ${reconnectedAfter} ms`);
    await ada.page.context().close();
  });
});

describe('liveness: credentials already stale at page load (4401 on the first connection, before any `id`)', () => {
  /** The reference server behind a gateway that refuses t1 from the start, and bob on the server. */
  async function staleAtLoad() {
    const server = await referenceServer();
    const gateway = await startAuthGateway(server.url);
    servers.push(gateway);
    gateway.refuse('t1');
    const bob = await RawClient.connect(server.url);
    clients.push(bob);
    await bob.register('bob');
    return { gateway, bob };
  }
  const connection = (page: Page) => page.evaluate(() => window.__rwcE2E?.connection() ?? null);

  it('refresh asked once, nothing retried meanwhile, back at once with the new token, what was written meanwhile delivered once', async () => {
    const { gateway, bob } = await staleAtLoad();
    // A first retry up to 20 s away: a connection within a second of the refresh is liveness's own.
    const ada = await openChatPage(suite.browser, { server: gateway.url, name: 'ada', liveness: true, auth: 'hold', initialDelay: 20_000 });
    await expect.poll(() => ada.page.evaluate(() => window.__rwcAuth?.refreshes)).toBe(1);
    expect(await connection(ada.page)).toMatchObject({
      readyState: 3,
      nextReconnectAt: null,
      closeInfo: { code: 4401, reason: 'token expired' },
    });
    // Written while the token service is slow: the chat is closed, and waits for the refresh.
    await say(ada.page, 'written while the token was renewed');
    await expect.poll(() => ada.page.evaluate(() => window.__rwcE2E?.chat().unconfirmed)).toBe(1);
    expect([gateway.refused, gateway.accepted]).toEqual([1, []]);

    const since = Date.now();
    await ada.page.evaluate(() => window.__rwcAuthRelease?.());
    await expect.poll(() => gateway.accepted).toEqual(['t2']);
    const reconnectedAfter = (gateway.acceptedAt[0] as number) - since;
    expect(reconnectedAfter).toBeLessThan(WITHIN_MS);
    expect(await ada.page.evaluate(() => window.__rwcAuth)).toEqual({ token: 't2', refreshes: 1 });
    expect(gateway.refused).toBe(1);

    await expect.poll(() => signedIn(ada.page)).toBe(true);
    const written = ['written while the token was renewed'];
    await expect.poll(() => bob.messageTexts('ada')).toEqual(written);
    await expect.poll(() => ada.page.evaluate(() => window.__rwcE2E?.chat().unconfirmed)).toBe(0);
    await expect.poll(() => messageTexts(ada.page)).toEqual(written);
    // The server announced the extension: from now on the whole liveness runs (a check is answered).
    expect(await ada.page.evaluate(() => window.__rwcE2E?.chat().server)).not.toBeNull();
    expect(await connection(ada.page)).toMatchObject({ readyState: 1, reconnectAttempt: 0, error: null });
    expect([ada.pageErrors, ada.consoleErrors, ada.dialogs]).toEqual([[], [], []]);
    console.info(`4401 on the first connection: fresh token asked once, connected ${reconnectedAfter} ms after the refresh ended`);
    await ada.page.context().close();
  });

  it('a refresh that fails: the `auth` error shown, and no retry with the stale token', async () => {
    const { gateway } = await staleAtLoad();
    const ada = await openChatPage(suite.browser, { server: gateway.url, name: 'ada', liveness: true, auth: 'fail' });
    const shown = ada.page.locator('.rwc-connection-status__error[data-error-kind="auth"]');
    await shown.waitFor({ timeout: WAIT_MS });
    expect(await shown.textContent()).toContain('Could not refresh the credentials: the token service is down');
    expect(await ada.page.evaluate(() => window.__rwcAuth?.refreshes)).toBe(1);
    expect(await connection(ada.page)).toMatchObject({ readyState: 3, nextReconnectAt: null, error: { kind: 'auth' } });
    expect([gateway.refused, gateway.accepted]).toEqual([1, []]);
    expect([ada.pageErrors, ada.consoleErrors, ada.dialogs]).toEqual([[], [], []]);
    await ada.page.context().close();
  });
});

describe("liveness on MDN's sample server (stand-in)", () => {
  it('never pings a server without the extension: visible, online and a wake send nothing that is not JSON', async () => {
    const mdn = await startMdnSampleServer();
    servers.push(mdn);
    const bob = await openChatPage(suite.browser, { server: mdn.url, name: 'bob', liveness: true, heartbeat: 300, clock: true });
    await installRecorder(bob.page);
    await waitForStatus(bob.page, 'Connected');
    await expect.poll(() => mdn.received.some((text) => text.includes('"username"'))).toBe(true);
    expect(await bob.page.evaluate(() => window.__rwcE2E?.chat().server)).toBeNull();
    await controlVisibility(bob.page);
    await setVisibility(bob.page, 'hidden');
    await setVisibility(bob.page, 'visible');
    await bob.page.context().setOffline(true);
    await bob.page.context().setOffline(false);
    await bob.page.clock.fastForward(60_000);
    // Then a message: it reaches the server after anything the events could have sent.
    await say(bob.page, 'after the events');
    await expect.poll(() => mdn.received.some((text) => text.includes('after the events'))).toBe(true);
    expect(mdn.received.filter((text) => !text.startsWith('{'))).toEqual([]);
    expect(mdn.crashed).toBe(false);
    expect((await recorded(bob.page)).closes).toEqual([]);
    expect([bob.pageErrors, bob.consoleErrors, bob.dialogs]).toEqual([[], [], []]);
    await bob.page.context().close();
  });
});
