// The chat's tabs as one user (issue 17): `<ChatProvider share={sharedChat({ name })}>` in pages of
// one browser context, in Chromium against the reference server. One connection, one name, one
// entry in the user list, one sign-in; a closed leader page is replaced and every page keeps the
// whole log, each message once.
import type { BrowserContext } from 'playwright';
import { describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { startMdnSampleServer } from '../helpers/mdnSampleServer.ts';
import { chromiumSuite } from './chromiumSuite.ts';
import {
  RawClient,
  messageField,
  messageTexts,
  notices,
  openChatPage,
  say,
  userListItems,
  waitForStatus,
  type ChatPage,
} from './helpers.ts';

const suite = chromiumSuite();
const { servers, clients } = suite;

const startServer = () => suite.startServer({ rateLimit: false });

/** ada's pages: `count` pages of one context sharing one connection, each signed in. */
async function adaTabs(server: ChatServer, context: BrowserContext, count: number): Promise<ChatPage[]> {
  const pages: ChatPage[] = [];
  for (let i = 0; i < count; i++) {
    const page = await openChatPage(suite.browser, {
      server: server.url,
      name: 'ada',
      share: 'chat',
      history: true,
      height: '4000px',
      context,
    });
    await expect.poll(() => page.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    pages.push(page);
  }
  return pages;
}

const role = (page: ChatPage) =>
  page.page.evaluate(() => (window.__rwcE2E?.client()?.getSnapshot() as { shared?: string } | undefined)?.shared);
/** The texts of the log's messages, from the chat state (the log is virtualized: the DOM has those in view). */
const storeTexts = (page: ChatPage) =>
  page.page.evaluate(() => (window.__rwcE2E?.chat().entries ?? []).flatMap((entry) => (entry.kind === 'message' ? [entry.text] : [])));
/** The log's messages as [text, own, status], from the chat state. */
const storeMessages = (page: ChatPage) =>
  page.page.evaluate(() =>
    (window.__rwcE2E?.chat().entries ?? []).flatMap((entry) => (entry.kind === 'message' ? [[entry.text, entry.own, entry.status]] : [])),
  );
const signInEntries = (page: ChatPage) =>
  page.page.evaluate(() => (window.__rwcE2E?.chat().entries ?? []).flatMap((entry) => (entry.kind === 'signin' ? [{ ...entry }] : [])));
const sorted = (values: readonly (string | undefined)[]) => [...values].sort();
const signInsOf = async (page: ChatPage, name: string) =>
  (await notices(page.page)).filter((notice) => new RegExp(`^User ${name} signed in at \\S`).test(notice));

describe('<ChatProvider share={sharedChat()}> in Chromium', () => {
  it('three pages of one context are one user: one connection, one name in the list, one sign-in; a message from any page shows once everywhere', async () => {
    const server = await startServer();
    const context = await suite.browser.newContext();
    const bob = await openChatPage(suite.browser, { server: server.url, name: 'bob' });
    await waitForStatus(bob.page, 'Connected');
    const ada = await adaTabs(server, context, 3);
    expect(sorted(await Promise.all(ada.map(role)))).toEqual(['follower', 'follower', 'leader']);
    expect(server.stats()).toMatchObject({ connections: 2, totalConnections: 2, usernames: 2 });
    await expect.poll(() => userListItems(bob.page)).toEqual(['bob (you)', 'ada']);
    for (const page of ada) await expect.poll(() => userListItems(page.page)).toEqual(['ada (you)', 'bob']);

    await say(bob.page, 'hello ada');
    for (const [i, page] of ada.entries()) await say(page.page, `from tab ${i}`);
    const all = ['hello ada', 'from tab 0', 'from tab 1', 'from tab 2'];
    await expect.poll(() => messageTexts(bob.page)).toEqual(all);
    for (const page of ada) await expect.poll(() => messageTexts(page.page)).toEqual(all);
    // One sign-in of ada at bob's, and no rename: the follower pages did not sign in again.
    expect(await signInsOf(bob, 'ada')).toHaveLength(1);
    expect(server.stats()).toMatchObject({ connections: 2, usernames: 2, duplicateMessages: 0 });
    for (const page of [...ada, bob]) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
    await context.close();
  });

  it('the leader page closes while bob writes: another page takes over, rejoins as ada, and both keep the whole log once', async () => {
    const server = await startServer();
    const context = await suite.browser.newContext();
    const ada = await adaTabs(server, context, 3);
    const leader = ada[(await Promise.all(ada.map(role))).indexOf('leader')] as ChatPage;
    const others = ada.filter((page) => page !== leader);
    const bob = await RawClient.connect(server.url);
    clients.push(bob);
    await bob.register('bob');

    const said: string[] = [];
    for (let i = 0; i < 200; i++) {
      if (i === 60) void leader.page.close();
      // ada's other pages write during the takeover too.
      if (i === 61) for (const [p, page] of others.entries()) void say(page.page, `ada ${p}`);
      await bob.say(`bob ${i}`, `bob-${i}`);
      said.push(`bob ${i}`);
    }
    await expect.poll(async () => sorted(await Promise.all(others.map(role)))).toEqual(['follower', 'leader']);
    const expected = [...said, 'ada 0', 'ada 1'].sort();
    for (const page of others) await expect.poll(async () => sorted(await storeTexts(page)), { timeout: 20_000 }).toEqual(expected);
    const [first, second] = await Promise.all(others.map(storeTexts));
    // bob's in the room's order in both; ada's own show where each page wrote them (a page shows its
    // own message at once), once each: checked above.
    expect(first?.filter((text) => text.startsWith('bob '))).toEqual(said);
    expect(second?.filter((text) => text.startsWith('bob '))).toEqual(said);
    // Still one ada: the new connection rejoined with the session (no second sign-in at bob's).
    await expect.poll(() => bob.received.filter((p) => p.type === 'userlist').at(-1)?.users).toEqual(['bob', 'ada']);
    // (bob came after ada signed in: the one `username` of ada it got is the rejoin.)
    expect(bob.received.filter((p) => p.type === 'username' && p.name === 'ada').map((p) => p.rejoin === true)).toEqual([true]);
    // ada's once at bob's too. A message the closed leader sent but could not confirm is sent again by
    // the new one (at least once across a takeover): the server knows it by its nonce (counted in
    // `duplicateMessages`) and relays it once.
    await expect
      .poll(() => bob.received.flatMap((p) => (p.type === 'message' && String(p.text).startsWith('ada ') ? [String(p.text)] : [])).sort())
      .toEqual(['ada 0', 'ada 1']);
    expect(server.stats()).toMatchObject({ connections: 2, totalConnections: 3, rejoins: 1 });
    for (const page of others) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
    await context.close();
  });

  it('a page opened later joins the signed-in user: the user list at once, no new sign-in, the messages from then on', async () => {
    const server = await startServer();
    const context = await suite.browser.newContext();
    const bob = await openChatPage(suite.browser, { server: server.url, name: 'bob' });
    await waitForStatus(bob.page, 'Connected');
    const [first] = await adaTabs(server, context, 1);
    await expect.poll(() => userListItems(bob.page)).toEqual(['bob (you)', 'ada']);
    const [late] = await adaTabs(server, context, 1);
    expect(await role(late as ChatPage)).toBe('follower');
    await expect.poll(() => userListItems((late as ChatPage).page)).toEqual(['ada (you)', 'bob']);
    await say(bob.page, 'after the late page');
    for (const page of [first, late] as ChatPage[]) await expect.poll(() => messageTexts(page.page)).toContain('after the late page');
    expect(await signInsOf(bob, 'ada')).toHaveLength(1);
    expect(server.stats()).toMatchObject({ connections: 2, usernames: 2 });
    for (const page of [first, late, bob] as ChatPage[]) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
    await context.close();
  });
  // A tab opened later shows the conversation the first one shows (issue 17: every tab sees the same
  // messages, in order), with and without the history, and against MDN's server, which has none.
  it.each([
    ['the reference server, with chatHistory()', 'reference', true],
    ['the reference server, without history', 'reference', false],
    ["MDN's sample server (stand-in)", 'mdn', false],
  ] as const)(
    '%s: a page opened later gets the log so far (texts, order, own), no sign-in from before as new; then both get the same',
    async (_, kind, history) => {
      const server = kind === 'mdn' ? await startMdnSampleServer() : await startServer();
      if (kind === 'mdn') servers.push(server as unknown as ChatServer);
      const connections = () => ('stats' in server ? server.stats().connections : server.connections);
      const context = await suite.browser.newContext();
      const open = async () => {
        const page = await openChatPage(suite.browser, {
          server: server.url,
          name: 'ada',
          share: 'chat',
          history,
          height: '4000px',
          context,
        });
        await expect.poll(() => page.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
        return page;
      };
      const first = await open();
      // bob signs in after ada: the first page logs it as it happens.
      const bob = await RawClient.connect(server.url);
      clients.push(bob);
      await bob.register('bob');
      const said: string[] = [];
      for (let i = 0; i < 20; i++) {
        const text = `${i % 2 ? 'ada' : 'bob'} ${i}`;
        if (i % 2) {
          const from = bob.received.length;
          await say(first.page, text);
          await bob.waitFor((packet) => packet.type === 'message' && packet.text === text, text, from);
        } else await bob.say(text, `bob-${i}`);
        said.push(text);
      }
      await expect.poll(() => storeTexts(first)).toEqual(said);

      const late = await open();
      expect(await role(late)).toBe('follower');
      const expected = said.map((text) => [text, text.startsWith('ada'), 'delivered']);
      await expect.poll(() => storeMessages(late)).toEqual(expected);
      expect(await storeMessages(first)).toEqual(expected);
      // No sign-in from before shows as one that just happened: with the history they are its
      // (`history: true`), without it there are none (as for any page that joins).
      const lateSignIns = await signInEntries(late);
      expect(lateSignIns.every((entry) => entry.history === true)).toBe(true);
      expect(lateSignIns.length).toBe(history ? 2 : 0);
      await expect.poll(() => userListItems(late.page)).toEqual(['ada (you)', 'bob']);

      // From then on both get the same, from either side.
      const more = ['bob after', 'ada from the late page', 'ada from the first page'];
      await bob.say('bob after', 'bob-after');
      for (const [page, text] of [
        [late, more[1]],
        [first, more[2]],
      ] as const) {
        const from = bob.received.length;
        await say(page.page, text as string);
        await bob.waitFor((packet) => packet.type === 'message' && packet.text === text, text as string, from);
      }
      const all = [...expected, ...more.map((text) => [text, text.startsWith('ada'), 'delivered'])];
      for (const page of [first, late]) await expect.poll(() => storeMessages(page)).toEqual(all);
      expect(connections()).toBe(2);
      for (const page of [first, late]) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
      await context.close();
    },
  );
  it('typing with sharing: the others see one "ada is typing…" whichever of her pages types; her pages all show bob typing, never her own', async () => {
    const server = await startServer();
    const context = await suite.browser.newContext();
    const bob = await openChatPage(suite.browser, { server: server.url, name: 'bob', typing: true });
    await waitForStatus(bob.page, 'Connected');
    const ada: ChatPage[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await openChatPage(suite.browser, { server: server.url, name: 'ada', share: 'chat', typing: true, context });
      await expect.poll(() => page.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
      ada.push(page);
    }
    const [first, second] = ada as [ChatPage, ChatPage];
    const typingAt = (page: ChatPage) => page.page.locator('.rwc-typing').textContent();
    await messageField(second.page).pressSequentially('hel');
    await expect.poll(() => typingAt(bob)).toBe('ada is typing…');
    await messageField(first.page).pressSequentially('hi');
    // Still one user typing (one connection), and never shown to herself, in either page.
    expect(await typingAt(bob)).toBe('ada is typing…');
    for (const page of ada) expect(await typingAt(page)).toBe('');
    await messageField(bob.page).pressSequentially('yo');
    for (const page of ada) await expect.poll(() => typingAt(page)).toBe('bob is typing…');
    await messageField(second.page).press('Enter');
    await expect.poll(() => messageTexts(bob.page)).toEqual(['hel']);
    expect(server.stats()).toMatchObject({ connections: 2 });
    for (const page of [...ada, bob]) expect([page.pageErrors, page.consoleErrors, page.dialogs]).toEqual([[], [], []]);
    await context.close();
  });
  it("persist with sharing: a follower page's messages written while the server is down are its own to keep; closed, the next page restores them; delivered once", async () => {
    // The server is down at first: a free port whose server is stopped.
    const probe = await createChatServer({ host: '127.0.0.1', port: 0 });
    const { host, port, url } = probe;
    await probe.close();
    const context = await suite.browser.newContext();
    const open = async () => {
      const page = await openChatPage(suite.browser, { server: url, name: 'ada', share: 'chat', persist: true, maxDelay: 2000, context });
      await waitForStatus(page.page, /Reconnecting|Connecting/);
      return page;
    };
    const first = await open();
    const follower = await open();
    expect(await role(follower)).toBe('follower');
    const texts = ['kept 1', 'kept 2', 'kept 3'];
    for (const text of texts) await say(follower.page, text);
    await expect.poll(() => storeMessages(follower)).toEqual(texts.map((text) => [text, true, 'pending']));
    // Not the leader's to send: they stay with the page that wrote them.
    expect(await storeMessages(first)).toEqual([]);
    await follower.page.close();
    const next = await open();
    await expect.poll(() => storeMessages(next)).toEqual(texts.map((text) => [text, true, 'pending']));

    const server = await createChatServer({ host, port });
    servers.push(server);
    const bob = await RawClient.connect(server.url);
    clients.push(bob);
    await bob.register('bob');
    await expect.poll(() => storeMessages(next), { timeout: 20_000 }).toEqual(texts.map((text) => [text, true, 'delivered']));
    await expect.poll(() => bob.messageTexts('ada')).toEqual(texts);
    await expect.poll(() => storeMessages(first)).toEqual(texts.map((text) => [text, true, 'delivered']));
    expect(server.stats()).toMatchObject({ connections: 2, messagesRelayed: 3 });
    // (The browser logs each refused attempt while the server was down.)
    const errors = (page: ChatPage) => page.consoleErrors.filter((error) => !error.includes('ERR_CONNECTION_REFUSED'));
    for (const page of [first, next]) expect([page.pageErrors, errors(page), page.dialogs]).toEqual([[], [], []]);
    await context.close();
  });
});
