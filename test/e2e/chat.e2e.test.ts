// Two people chat through the reference server, each in their own Chromium page; a third asks for a
// name that is taken (case-insensitively) and is renamed.
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import {
  launchChromium,
  messageTexts,
  notices,
  openChatPage,
  readLog,
  rename,
  say,
  userListItems,
  waitForStatus,
  type ChatPage,
} from './helpers.ts';

let server: ChatServer;
let browser: Browser;
const pages: ChatPage[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([createChatServer({ host: '127.0.0.1', port: 0 }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const signedIn = (name: string) => new RegExp(`^User ${name} signed in at \\S`);

describe('two pages chat through the reference server', () => {
  it('shows sign-ins, the user list, messages both ways, and renames a taken name', async () => {
    // Both start as guests, as in the Live chat story, and then choose their names: each page is
    // connected when the other renames, so both see both renames (and no sign-in under the new names).
    const [ada, bob] = await Promise.all([
      openChatPage(browser, { server: server.url, name: 'guest-1' }),
      openChatPage(browser, { server: server.url, name: 'guest-2' }),
    ]);
    pages.push(ada, bob);
    await Promise.all([waitForStatus(ada.page, 'Connected'), waitForStatus(bob.page, 'Connected')]);
    await expect.poll(() => userListItems(ada.page)).toEqual(['guest-1 (you)', 'guest-2']);
    await expect.poll(() => userListItems(bob.page)).toEqual(['guest-2 (you)', 'guest-1']);

    await rename(ada.page, 'ada');
    await rename(bob.page, 'bob');

    for (const { page } of [ada, bob]) {
      await expect.poll(() => notices(page)).toEqual(expect.arrayContaining(['guest-1 is now ada', 'guest-2 is now bob']));
      expect((await notices(page)).filter((notice) => signedIn('ada').test(notice) || signedIn('bob').test(notice))).toEqual([]);
    }
    // The current user first, marked "(you)"; the others in the server's order.
    await expect.poll(() => userListItems(ada.page)).toEqual(['ada (you)', 'bob']);
    await expect.poll(() => userListItems(bob.page)).toEqual(['bob (you)', 'ada']);

    // A message each way; the second is written once the first arrived, so the order is known.
    await say(ada.page, 'Hello bob, ada here');
    await expect.poll(() => messageTexts(bob.page)).toEqual(['Hello bob, ada here']);
    await say(bob.page, 'Hi ada! <b>bold?</b>');
    const conversation = ['Hello bob, ada here', 'Hi ada! <b>bold?</b>'];
    for (const { page } of [ada, bob]) {
      await expect.poll(() => messageTexts(page)).toEqual(conversation);
    }
    // Delivered (echoed by the server) on both sides, with the right sender, own ones marked.
    await expect
      .poll(async () => (await readLog(ada.page)).filter((row) => row.kind === 'message'))
      .toEqual([
        expect.objectContaining({ sender: 'ada', own: true, dataStatus: 'delivered', status: null }),
        expect.objectContaining({ sender: 'bob', own: false, dataStatus: 'delivered', status: null }),
      ]);
    await expect
      .poll(async () => (await readLog(bob.page)).filter((row) => row.kind === 'message'))
      .toEqual([
        expect.objectContaining({ sender: 'ada', own: false, dataStatus: 'delivered' }),
        expect.objectContaining({ sender: 'bob', own: true, dataStatus: 'delivered' }),
      ]);

    // A third person asks for "ADA": names are unique whatever their case, so the server says ADA2.
    const third = await openChatPage(browser, { server: server.url, name: 'ADA' });
    pages.push(third);
    await waitForStatus(third.page, 'Connected');
    await expect
      .poll(() => notices(third.page))
      .toEqual(
        expect.arrayContaining([
          'Your username has been set to ADA2 because the name you chose is in use.',
          expect.stringMatching(signedIn('ADA2')),
        ]),
      );
    // (ada and bob joined at the same time: their order is the server's.)
    await expect.poll(async () => (await userListItems(third.page)).slice(1).sort()).toEqual(['ada', 'bob']);
    expect((await userListItems(third.page))[0]).toBe('ADA2 (you)');
    await expect.poll(() => third.page.getByRole('textbox', { name: 'Your name' }).inputValue()).toBe('ADA2');
    for (const { page } of [ada, bob]) {
      await expect.poll(() => notices(page)).toEqual(expect.arrayContaining([expect.stringMatching(signedIn('ADA2'))]));
    }
    await expect.poll(() => userListItems(ada.page)).toEqual(['ada (you)', 'bob', 'ADA2']);
    await expect.poll(() => userListItems(bob.page)).toEqual(['bob (you)', 'ada', 'ADA2']);

    // ADA2 is heard by everyone.
    await say(third.page, 'ADA2 says hi');
    for (const { page } of [ada, bob, third]) {
      await expect.poll(async () => (await messageTexts(page)).at(-1)).toBe('ADA2 says hi');
    }

    for (const page of pages) {
      expect(page.dialogs).toEqual([]);
      expect(page.pageErrors).toEqual([]);
      expect(page.consoleErrors).toEqual([]);
    }
  });
});
