// ChatBox's history UI against the reference server (in-memory history on): a new joiner sees the
// recent history, and scrolling to the top loads older pages until the beginning, each put before the
// log without moving the view (the first visible row's place before and after every page); a page
// that goes offline while others talk comes back with everything once, in order, "New since you were
// away" before the first message it missed, and "Jump to first unread".
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';

import { messageTexts, openChatPage, waitForStatus } from './helpers.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();

// Rate limits off: the bots write fast. 40 packets on joining, pages of 50.
const startServer = () => suite.startServer({ rateLimit: false, historyOnJoin: 40, historyPageSize: 50 });

/** The text of the first row whose top is inside the log's view, and its distance from the log's top. */
const topRow = (page: Page) =>
  page.evaluate(() => {
    const log = document.querySelector<HTMLElement>('[role="log"]')!;
    const outer = log.getBoundingClientRect();
    const row = [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__row')]
      .map((r) => ({
        text: r.querySelector('.rwc-chatbox__text')?.textContent ?? r.textContent,
        top: r.getBoundingClientRect().top - outer.top,
      }))
      .filter(({ top }) => top >= -0.5)
      .sort((a, b) => a.top - b.top)[0];
    return row ?? null;
  });

/** The texts of the messages in the store's log, in order. */
const storeTexts = (page: Page) =>
  page.evaluate(() =>
    window
      .__rwcE2E!.chat()
      .entries.filter((entry) => entry.kind === 'message')
      .map((entry) => (entry as { text: string }).text),
  );

/** Wait until the log's scroll position stops changing. */
async function settled(page: Page) {
  let last = -1;
  await expect
    .poll(async () => {
      const now = await page.evaluate(() => document.querySelector('[role="log"]')!.scrollTop);
      const still = now === last;
      last = now;
      return still;
    })
    .toBe(true);
}

/**
 * Wait until the log shows what the store published: ChatBox renders a publication as a transition,
 * after it (a loaded machine: well after), so `history().loadingOlder` false alone does not mean the
 * page is in the log yet. Each row's `aria-setsize` is the log's length as rendered.
 */
async function rendered(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(() => {
        const size = String(window.__rwcE2E!.chat().entries.length);
        const rows = [...document.querySelectorAll('[role="log"] .rwc-chatbox__row')];
        return rows.length > 0 && rows.every((row) => row.getAttribute('aria-setsize') === size);
      }),
    )
    .toBe(true);
}

const rowCount = (page: Page) => page.evaluate(() => window.__rwcE2E?.chat().entries.length ?? 0);
const history = (page: Page) =>
  page.evaluate(() => {
    const state = window.__rwcE2E?.chat().history;
    return state ? { loadingOlder: state.loadingOlder, more: state.more } : null;
  });

/** Bob's messages before ada joins: the join's history (40) and six older pages of up to 50. */
const OLD_MESSAGES = 300;

describe('ChatBox with the history of the reference server', () => {
  it('shows a new joiner the recent history, and loads older pages up to the beginning as the reader scrolls up, without a jump', async () => {
    const server = await startServer();
    // Six older pages: the button path keeps pages to load whatever the scrolling step asked for.
    await suite.bot(server.url, 'bob', 'old ', OLD_MESSAGES);
    const ada = await openChatPage(suite.browser, { server: server.url, name: 'ada', height: '400px', history: true });
    await waitForStatus(ada.page, 'Connected');
    // The recent history: the last of bob's messages shown, the first not.
    await expect.poll(() => messageTexts(ada.page)).toContain(`old ${OLD_MESSAGES - 1}`);
    expect(await storeTexts(ada.page)).not.toContain('old 0');
    const button = ada.page.getByRole('button', { name: 'Load older messages' });
    await expect.poll(() => button.isVisible()).toBe(true);

    // Scrolling up to the top asks for the first older page.
    const log = ada.page.getByRole('log', { name: 'Messages' });
    const joined = await rowCount(ada.page);
    await log.hover();
    await log.evaluate((element) => {
      element.scrollTop = element.clientHeight / 2;
    });
    await ada.page.mouse.wheel(0, -100);
    await expect.poll(() => rowCount(ada.page)).toBeGreaterThan(joined);

    // The rest by the button, the view measured before and after each page: the row at the top
    // stays at its place.
    let measured = 0;
    for (;;) {
      // Two screens below the top (a move there asks for nothing itself, even once virtua has
      // corrected the estimated sizes of the rows it brings into view: such a correction is a
      // scroll, and one ending within a screen of the top would ask for the page itself), at rest,
      // no page on its way.
      await log.evaluate((element) => {
        element.scrollTop = element.clientHeight * 2 + 50;
      });
      await settled(ada.page);
      await expect.poll(async () => (await history(ada.page))?.loadingOlder).toBe(false);
      if (!(await history(ada.page))?.more) break;
      await rendered(ada.page);
      await settled(ada.page);
      const count = await rowCount(ada.page);
      const before = await topRow(ada.page);
      await button.click();
      await expect.poll(async () => (await history(ada.page))?.loadingOlder).toBe(false);
      await rendered(ada.page);
      await settled(ada.page);
      const after = await topRow(ada.page);
      if ((await rowCount(ada.page)) > count) measured++;
      expect(after?.text).toBe(before?.text);
      expect(Math.abs((after?.top ?? 0) - (before?.top ?? Number.NaN))).toBeLessThanOrEqual(1);
    }
    expect(measured).toBeGreaterThanOrEqual(1);
    await expect.poll(() => button.count()).toBe(0);
    // Everything once, in order: bob's messages from the first.
    expect(await storeTexts(ada.page)).toEqual(Array.from({ length: OLD_MESSAGES }, (_, i) => `old ${i}`));
    expect(ada.pageErrors).toEqual([]);
    expect(ada.consoleErrors).toEqual([]);
  });

  it('after an outage, shows what was missed once, in order, after "New since you were away", and jumps to it', async () => {
    const server = await startServer();
    await suite.bot(server.url, 'bob', 'before ', 5);
    const ada = await openChatPage(suite.browser, { server: server.url, name: 'ada', height: '400px', history: true, maxDelay: 300 });
    await waitForStatus(ada.page, 'Connected');
    await expect.poll(() => messageTexts(ada.page)).toContain('before 4');
    // Away: the page's connection closed (context.setOffline leaves an open WebSocket open in
    // Chromium), while eve says 60 things; then back, on a new connection.
    await ada.page.evaluate(() =>
      window
        .__rwcE2E!.client()!
        .close()
        .then(() => undefined),
    );
    await waitForStatus(ada.page, /^Disconnected/);
    const eve = await suite.bot(server.url, 'eve', 'missed ', 60);
    await ada.page.evaluate(() => window.__rwcE2E!.client()!.reconnect());
    await waitForStatus(ada.page, 'Connected');
    const jump = ada.page.getByRole('button', { name: 'Jump to first unread' });
    await expect.poll(() => jump.count()).toBe(1);
    expect(await storeTexts(ada.page)).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `before ${i}`),
      ...Array.from({ length: 60 }, (_, i) => `missed ${i}`),
    ]);
    await jump.click();
    const divider = ada.page.locator('.rwc-chatbox__unread');
    await expect.poll(() => divider.textContent()).toBe('New since you were away');
    expect(await divider.evaluate((element) => element.nextElementSibling?.querySelector('.rwc-chatbox__text')?.textContent)).toBe(
      'missed 0',
    );
    await expect.poll(() => jump.count()).toBe(0);
    // Neither the history on joining nor the catch-up was announced; a live message after them is.
    expect(await ada.page.locator('.rwc-chatbox [aria-live="polite"]').textContent()).toBe('');
    await eve.say('live', 'live-1');
    await expect.poll(() => ada.page.locator('.rwc-chatbox [aria-live="polite"]').textContent()).toBe('1 new message');
    expect(ada.pageErrors).toEqual([]);
  });
});
