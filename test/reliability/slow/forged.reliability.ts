// Forged packets from another client, through the real server into real pages: a raw client
// ("mallory") sends a fake `userlist`, a fake `rejectusername`, a fake `id`, a `username` and
// messages claiming another user's id and name, and packets with `__proto__` keys. Nothing may change
// for the others (ada and bob, pages of the fixture app in Chromium): their own name, id and user
// list stay the server's, no rename notice appears, and nothing mallory sends is shown as theirs.
// (hostile.e2e.test.ts covers script and HTML injection payloads; test/server covers the server side.)
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../../src/server/index.ts';
import { RawClient, launchChromium, openChatPage, type ChatPage } from '../../e2e/helpers.ts';
import { recordFigures } from '../lib/figures.ts';
import { messageEntries } from './lib/pageRecorder.ts';

let browser: Browser;
let server: ChatServer;
let mallory: RawClient | null = null;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), createChatServer({ host: '127.0.0.1', port: 0 })]);
});
afterAll(async () => {
  mallory?.close();
  await browser?.close();
  await server?.close();
});

const chatState = (page: ChatPage) =>
  page.page.evaluate(() => {
    const state = window.__rwcE2E?.chat();
    return {
      clientId: state?.clientId,
      username: state?.username,
      users: state?.users,
      renames: (state?.entries ?? []).filter((e) => e.kind === 'rename').length,
      error: state?.error?.kind ?? null,
    };
  });

describe('forged packets from another client', () => {
  it('change nothing for the others', async () => {
    const ada = await openChatPage(browser, { server: server.url, name: 'ada', height: '2000px' });
    const bob = await openChatPage(browser, { server: server.url, name: 'bob', height: '2000px' });
    const pages = [ada, bob];
    for (const page of pages) await expect.poll(async () => (await chatState(page)).users).toEqual(['ada', 'bob']);
    const before = await Promise.all(pages.map(chatState));
    const [adaId, bobId] = before.map((s) => s.clientId as number) as [number, number];

    mallory = await RawClient.connect(server.url);
    const m = mallory;
    const forged: Record<string, unknown>[] = [
      { type: 'userlist', users: ['mallory-only', null, '<b>x</b>'] },
      { type: 'rejectusername', id: adaId, name: 'hacked' },
      { type: 'id', id: adaId },
      { type: 'username', id: adaId, name: 'ada', date: Date.now() },
      { type: 'message', id: adaId, name: 'ada', text: 'forged as ada', date: Date.now(), nonce: 'n1' },
      { type: 'message', id: bobId, name: 'bob', text: 'forged as bob', date: Date.now() },
      JSON.parse(
        '{"type":"message","text":"proto","__proto__":{"polluted":true,"name":"ada"},"constructor":{"prototype":{"polluted":true}}}',
      ) as Record<string, unknown>,
      { type: 'userlist', users: [] },
    ];
    for (const packet of forged) m.send(packet);
    // A last, ordinary message: once the pages show it, every forgery before it has been handled.
    await m.say('sentinel', 'sentinel-1');
    for (const page of pages)
      await expect.poll(async () => (await messageEntries(page.page)).some((e) => e.text === 'sentinel')).toBe(true);

    const malloryName = m.received.filter((p) => p.type === 'username' && p.id === m.id).at(-1)?.name as string;
    expect(malloryName).toBe('ada2'); // it asked for "ada": the server gave it another name
    for (const [i, page] of pages.entries()) {
      const state = await chatState(page);
      const own = i === 0 ? 'ada' : 'bob';
      // Identity and users: the server's, not mallory's.
      expect(state.clientId).toBe(before[i]?.clientId);
      expect(state.username).toBe(own);
      expect(state.users).toEqual(['ada', 'bob', malloryName]);
      expect(state.renames).toBe(0);
      expect(await page.page.evaluate(() => window.__rwcE2E?.chat().entries.some((e) => e.kind === 'rename'))).toBe(false);
      // Mallory's messages: shown under mallory's (server-given) name, never as the page's own or as ada/bob.
      const entries = await messageEntries(page.page);
      for (const entry of entries.filter((e) => e.text.startsWith('forged') || e.text === 'proto' || e.text === 'sentinel')) {
        expect(entry.name).toBe(malloryName);
        expect(entry.own).toBe(false);
      }
      expect(entries.filter((e) => e.own)).toEqual([]);
      expect(await page.page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
      expect(page.pageErrors).toEqual([]);
      expect(page.dialogs).toEqual([]);
    }
    // The server counted the fake server packets as unknown types and relayed none of them.
    const stats = server.stats();
    expect(stats.unknownTypes).toBe(4); // two userlists, a rejectusername, an id
    for (const page of pages) {
      const shown = await page.page.evaluate(() => window.__rwcE2E?.chat().users);
      expect(shown).not.toContain('mallory-only');
    }
    recordFigures('Forged packets from another client', 'npm run test:reliability', [
      { what: 'forged packets sent through the real server', value: forged.length },
      { what: 'pages checked (Chromium)', value: pages.length },
      { what: 'changes to their name, id, user list, log attribution', value: 0 },
      { what: 'fake server packets the server refused (unknown type)', value: stats.unknownTypes },
      { what: "spoofed messages shown under the forger's server-given name", value: 4 },
    ]);
  });
});
