// Sign-in, rename and leave notices with three real pages, on the reference server and on MDN's
// sample server (an in-repo stand-in, no protocol extension): a rename is one "OLD is now NEW" (also
// for a user who was there before the page connected, whose id the page never saw), a closed page
// is one "NAME left", and a reconnect shows nothing, at the other pages and at its own.
import { describe, expect, it } from 'vitest';

import { createChatServer } from '../../src/server/index.ts';
import { startMdnSampleServer } from '../helpers/mdnSampleServer.ts';
import { notices, openChatPage, rename, userListItems, waitForStatus, type ChatPage } from './helpers.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();
const { servers } = suite;

const pages: ChatPage[] = [];

/** A server to test on: its URL, the connections it accepted so far, and its rejoins (null: it has none). */
interface TestServer {
  readonly url: string;
  connections(): number;
  rejoins(): number | null;
}

const SERVERS: [string, () => Promise<TestServer>][] = [
  [
    'the reference server',
    async () => {
      const server = await createChatServer({ host: '127.0.0.1', port: 0 });
      servers.push(server);
      return { url: server.url, connections: () => server.stats().totalConnections, rejoins: () => server.stats().rejoins };
    },
  ],
  [
    "MDN's sample server (stand-in)",
    async () => {
      const server = await startMdnSampleServer();
      servers.push(server);
      return { url: server.url, connections: () => server.connections, rejoins: () => null };
    },
  ],
];

async function open(url: string, name: string): Promise<ChatPage> {
  const page = await openChatPage(suite.browser, { server: url, name });
  pages.push(page);
  await waitForStatus(page.page, 'Connected');
  return page;
}

const signedIn = (name: string) => expect.stringMatching(new RegExp(`^User ${name} signed in at \\S`));

describe.each(SERVERS)('notices on %s', (_label, start) => {
  it('a rename is one "is now", a reconnect nothing, a closed page one "left"', async () => {
    const server = await start();
    // guest-2596 is there before ada and carol: they never see its id.
    const guest = await open(server.url, 'guest-2596');
    const ada = await open(server.url, 'ada');
    const carol = await open(server.url, 'carol');
    await expect.poll(() => userListItems(ada.page)).toEqual(['ada (you)', 'guest-2596', 'carol']);

    await rename(guest.page, 'Alice');
    await expect.poll(() => notices(ada.page)).toContain('guest-2596 is now Alice');
    await expect.poll(() => notices(carol.page)).toContain('guest-2596 is now Alice');

    // carol reconnects (a new connection, the same name): gone from the list a moment, then back.
    await carol.page.evaluate(() => window.__rwcE2E?.client()?.reconnect());
    await expect.poll(() => server.connections()).toBe(4);
    // On the reference server, within its rejoin window: a rejoin (MDN's has no such thing).
    if (server.rejoins() !== null) await expect.poll(() => server.rejoins()).toBe(1);
    await expect.poll(() => carol.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    await expect.poll(() => userListItems(ada.page)).toEqual(['ada (you)', 'Alice', 'carol']);

    // Alice closes her page. Her leave is logged after carol's would have been (it went later), so
    // once it shows, carol's reconnect had its chance to show and did not.
    await guest.page.close();
    await expect.poll(() => notices(ada.page)).toContain('Alice left');
    await expect.poll(() => notices(carol.page)).toContain('Alice left');
    expect(await notices(ada.page)).toEqual([signedIn('ada'), signedIn('carol'), 'guest-2596 is now Alice', 'Alice left']);
    expect(await notices(carol.page)).toEqual([signedIn('carol'), 'guest-2596 is now Alice', 'Alice left']);
    for (const page of [ada, carol]) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
  });
});
