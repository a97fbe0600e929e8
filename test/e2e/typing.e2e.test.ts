// The typing indicator end to end: two real pages in Chromium on the reference server, each with
// typingIndicator() and <TypingIndicator> under the log. bob types, ada sees "bob is typing…" in a
// polite status that does not move her log; it goes when bob empties the field, when he sends, and
// on its own once bob stops typing (the expiry). Against MDN's sample server (the in-repo stand-in,
// which relays every JSON object to everyone) the page sends no typing frame at all.
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';

import { TYPING_EXPIRY_MS } from '../../src/chat/index.ts';
import { createChatServer } from '../../src/server/index.ts';
import { startMdnSampleServer } from '../helpers/mdnSampleServer.ts';
import { messageField, messageTexts, openChatPage, say, waitForStatus, type ChatPage } from './helpers.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();
const { servers } = suite;

const indicator = (page: Page) => page.locator('.rwc-typing');
const indicatorText = (page: Page) => indicator(page).textContent();

async function open(url: string, name: string): Promise<ChatPage> {
  const page = await openChatPage(suite.browser, { server: url, name, typing: true });
  await waitForStatus(page.page, 'Connected');
  return page;
}

describe('typing indicator', () => {
  it('on the reference server: ada sees "bob is typing…" while bob types, until he empties the field, sends, or stops long enough', async () => {
    const server = await createChatServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const ada = await open(server.url, 'ada');
    const bob = await open(server.url, 'bob');
    await expect.poll(() => server.stats().usernames).toBe(2);

    const status = indicator(ada.page);
    expect(await status.getAttribute('role')).toBe('status');
    expect(await indicatorText(ada.page)).toBe('');
    const logBox = () => ada.page.getByRole('log', { name: 'Messages' }).boundingBox();
    const before = await logBox();

    // Typing: shown at ada, in the status, without moving her log.
    await messageField(bob.page).pressSequentially('hel');
    await expect.poll(() => indicatorText(ada.page)).toBe('bob is typing…');
    expect(await logBox()).toEqual(before);
    expect(await indicatorText(bob.page)).toBe('');

    // Emptying the field: gone.
    await messageField(bob.page).fill('');
    await expect.poll(() => indicatorText(ada.page)).toBe('');

    // Sending: gone as the message comes.
    await messageField(bob.page).pressSequentially('hello');
    await expect.poll(() => indicatorText(ada.page)).toBe('bob is typing…');
    await messageField(bob.page).press('Enter');
    await expect.poll(() => messageTexts(ada.page)).toEqual(['hello']);
    expect(await indicatorText(ada.page)).toBe('');

    // Stopping without emptying the field: gone on its own after the expiry.
    await messageField(bob.page).pressSequentially('and');
    await expect.poll(() => indicatorText(ada.page)).toBe('bob is typing…');
    const shownAt = Date.now();
    await expect.poll(() => indicatorText(ada.page), { timeout: TYPING_EXPIRY_MS + 5000 }).toBe('');
    expect(Date.now() - shownAt).toBeGreaterThan(TYPING_EXPIRY_MS - 1500);

    expect(server.stats()).toMatchObject({ invalidPackets: 0, rateDelayed: 0 });
    for (const page of [ada, bob]) expect([...page.pageErrors, ...page.consoleErrors, ...page.dialogs]).toEqual([]);
  });

  it("on MDN's sample server (stand-in): the page sends no typing frame", async () => {
    const server = await startMdnSampleServer();
    servers.push(server);
    const bob = await open(server.url, 'bob');
    await messageField(bob.page).pressSequentially('hello there');
    await messageField(bob.page).fill('');
    await say(bob.page, 'hi');
    // Frames arrive in order: once the message is there, any typing frame sent before it would be too.
    await expect.poll(() => server.received.some((frame) => frame.includes('"message"'))).toBe(true);
    expect(server.received.filter((frame) => frame.includes('typing'))).toEqual([]);
    expect(await indicatorText(bob.page)).toBe('');
    expect(server.crashed).toBe(false);
  });
});
