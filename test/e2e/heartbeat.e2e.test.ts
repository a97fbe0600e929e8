// The heartbeat in real Chromium. On the reference server an idle room with the heartbeat on stays
// up (the server answers `ping` with `pong`), and a user who reconnects is not announced again (it
// rejoins with its session). On MDN's sample server (an in-repo stand-in), which crashes on a frame
// that is not JSON and relays every JSON object to everyone, the chat never pings at all.
import { describe, expect, it } from 'vitest';

import { startMdnSampleServer, type MdnSampleServer } from '../helpers/mdnSampleServer.ts';
import { installRecorder, recorded } from '../reliability/slow/lib/pageRecorder.ts';
import { RawClient, messageTexts, notices, openChatPage, say, userListItems, waitForStatus, type ChatPage } from './helpers.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();
const { servers, clients } = suite;

const pages: ChatPage[] = [];

const referenceServer = () => suite.startServer();

/** ada (no heartbeat) then bob (heartbeat `beat` ms), both signed in, bob's closes and errors recorded. */
async function adaAndBob(url: string, beat: number): Promise<{ ada: ChatPage; bob: ChatPage }> {
  const ada = await openChatPage(suite.browser, { server: url, name: 'ada' });
  pages.push(ada);
  await waitForStatus(ada.page, 'Connected');
  const bob = await openChatPage(suite.browser, { server: url, name: 'bob', heartbeat: beat });
  pages.push(bob);
  await installRecorder(bob.page);
  await expect.poll(() => bob.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
  return { ada, bob };
}

const signedIn = (name: string) => new RegExp(`^User ${name} signed in at \\S`);
const signInsOf = async (page: ChatPage, name: string) => (await notices(page.page)).filter((notice) => signedIn(name).test(notice));

/**
 * Let `ms` pass with nothing done: what is tested is that nothing happens while the room is idle
 * (no condition to wait for exists; the assertions after it are on what happened meanwhile).
 */
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('heartbeat on the reference server', () => {
  it('an idle room with the heartbeat on (1000/1000) stays up: no close, one sign-in notice', async () => {
    const server = await referenceServer();
    const { ada, bob } = await adaAndBob(server.url, 1000);
    const since = Date.now();
    await expect.poll(() => signInsOf(ada, 'bob')).toHaveLength(1);
    // Idle until the server has answered eight pings (about 8 s), with no close on the way.
    await expect
      .poll(async () => ({ closes: (await recorded(bob.page)).closes, pongs: (server.stats().pongs ?? 0) >= 8 }), { timeout: 25_000 })
      .toEqual({ closes: [], pongs: true });
    const idleMs = Date.now() - since;
    expect((await recorded(bob.page)).errors).toEqual([]);
    expect(server.stats()).toMatchObject({ totalConnections: 2, closes: {}, invalidPackets: 0, heartbeatTimeouts: 0 });
    expect(await signInsOf(ada, 'bob')).toHaveLength(1);
    // ada saw no ping, no pong, nothing but the sign-ins.
    expect(await messageTexts(ada.page)).toEqual([]);
    console.info(`idle ${idleMs} ms with the heartbeat 1000/1000: 0 closes, ${server.stats().pongs} pongs`);
    for (const page of [ada, bob]) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
  });

  it('a user who reconnects rejoins: no second sign-in notice, the same name', async () => {
    const server = await referenceServer();
    const { ada, bob } = await adaAndBob(server.url, 1000);
    await expect.poll(() => signInsOf(ada, 'bob')).toHaveLength(1);
    await bob.page.evaluate(() => window.__rwcE2E?.client()?.reconnect());
    await expect.poll(() => server.stats().rejoins).toBe(1);
    await expect.poll(() => bob.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    await expect.poll(() => userListItems(ada.page)).toEqual(['ada (you)', 'bob']);
    await say(bob.page, 'still bob');
    await expect.poll(() => messageTexts(ada.page)).toEqual(['still bob']);
    expect(await signInsOf(ada, 'bob')).toHaveLength(1);
    expect(await signInsOf(bob, 'bob')).toHaveLength(1);
    expect(server.stats().totalConnections).toBe(3);
    for (const page of [ada, bob]) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
  });
});

describe("heartbeat on MDN's sample server (stand-in)", () => {
  it('never pings a server without the extension: no crash, no close, nothing relayed; the MDN flow works', async () => {
    const mdn: MdnSampleServer = await startMdnSampleServer();
    servers.push(mdn);
    const watcher = await RawClient.connect(mdn.url);
    clients.push(watcher);
    await watcher.register('watcher');
    const bob = await openChatPage(suite.browser, { server: mdn.url, name: 'bob', heartbeat: 300 });
    pages.push(bob);
    await installRecorder(bob.page);
    await waitForStatus(bob.page, 'Connected');
    await watcher.waitFor((p) => p.type === 'username' && p.name === 'bob', 'bob signs in');
    expect(await bob.page.evaluate(() => window.__rwcE2E?.chat().server)).toBeNull();

    await idle(10 * 300);
    expect(mdn.crashed).toBe(false);
    expect(mdn.received.filter((text) => !text.startsWith('{'))).toEqual([]);
    expect((await recorded(bob.page)).closes).toEqual([]);
    expect(mdn.connections).toBe(2);
    expect(new Set(watcher.received.map((p) => p.type))).toEqual(new Set(['id', 'userlist', 'username']));

    // The MDN flow, both ways.
    await say(bob.page, 'hello from the kit');
    await watcher.waitFor((p) => p.type === 'message' && p.name === 'bob' && p.text === 'hello from the kit', "bob's message");
    await watcher.say('hello from MDN', 'w1');
    await expect.poll(() => messageTexts(bob.page)).toEqual(['hello from the kit', 'hello from MDN']);
    await expect.poll(() => bob.page.evaluate(() => window.__rwcE2E?.chat().unconfirmed)).toBe(0);
    expect(mdn.crashed).toBe(false);
    expect([bob.pageErrors, bob.consoleErrors, bob.dialogs]).toEqual([[], [], []]);
  });
});
