// The main states of the chat (#14: "the README shows screenshots of the main states"), in Debian's
// Chromium on the fixture app against the reference server: a conversation (day separators, groups,
// own and others' bubbles, notices, someone typing), reconnecting (Retry now, the user list offline,
// a failed message with Retry and Discard, a pending one), the unread divider with "N new messages",
// the narrow layout with the user list open (dark), and right-to-left. Each test checks that its
// state shows; with UPDATE_SCREENSHOTS=1 it also writes test/e2e/screenshots/state-NAME.png, which
// the README shows. Deterministic: a fixed clock (the page's `Date`, and the dates every packet
// carries), UTC, en-US, fixed names, reduced motion, and a fixed jitter where a delay is shown.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { launchChromium, messageField, RawClient, readLog, say, waitForStatus, WAIT_MS } from './helpers.ts';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const WRITE = process.env.UPDATE_SCREENSHOTS === '1';

/** Thursday 12 March 2026, 10:24 UTC: the pages' clock, and the date of what they write. */
const NOW = Date.UTC(2026, 2, 12, 10, 24);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let browser: Browser;
const servers: ChatServer[] = [];
const clients: RawClient[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
});

async function startServer(): Promise<ChatServer> {
  // No rate limit: the pages' clock stands still, so a token bucket would never refill.
  const server = await createChatServer({ host: '127.0.0.1', port: 0, rateLimit: false });
  servers.push(server);
  return server;
}

/** A raw client signed in as `name` at `date`. */
async function person(url: string, name: string, date: number): Promise<RawClient> {
  const client = await RawClient.connect(url);
  clients.push(client);
  await rename(client, name, date);
  return client;
}

async function rename(client: RawClient, name: string, date: number): Promise<void> {
  const from = client.received.length;
  client.send({ type: 'username', name, id: client.id, date });
  await client.waitFor((p) => p.type === 'username' && p.id === client.id, `name ${name}`, from);
}

let nonces = 0;
/** `client` says `text`, dated `date`; resolves on its echo. */
async function sayAt(client: RawClient, text: string, date: number): Promise<void> {
  const nonce = `state-${++nonces}`;
  const from = client.received.length;
  client.send({ type: 'message', text, id: client.id, date, nonce });
  await client.waitFor((p) => p.type === 'message' && p.nonce === nonce, `echo of ${text}`, from);
}

interface PageOptions {
  readonly width: number;
  readonly height: number;
  readonly params: Record<string, string>;
  /** Every `Math.random()` of the page returns this (the reconnect's jitter, so the delay shown is fixed). */
  readonly random?: number;
}

/** The fixture app as Ada, on `server`, its clock fixed at NOW. */
async function openAda(server: ChatServer, { width, height, params, random }: PageOptions): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
    colorScheme: 'light',
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  if (random !== undefined) await page.addInitScript((value) => (Math.random = () => value), random);
  const url = new URL(inject('e2eAppUrl'));
  url.search = new URLSearchParams({ server: server.url, name: 'Ada', avatars: '', ...params }).toString();
  await page.goto(url.href);
  await waitForStatus(page, 'Connected');
  return page;
}

/** Write the picture (UPDATE_SCREENSHOTS=1): the chat alone, the field's caret hidden. */
async function shoot(page: Page, name: string): Promise<void> {
  // Everything the server held is shown: no "Load older messages" over the log (a log shorter than
  // its box never scrolls up to ask for it: the reader presses it).
  const older = page.getByRole('button', { name: 'Load older messages' });
  await expect
    .poll(async () => {
      // (It may go by itself meanwhile: then there is nothing to press.)
      if (await older.count()) await older.click({ timeout: 1000 }).catch(() => {});
      return older.count();
    })
    .toBe(0);
  await expect.poll(() => page.evaluate(() => document.fonts.status)).toBe('loaded');
  if (WRITE) await page.locator('.rwc-chat').screenshot({ path: path.join(OUT, `state-${name}.png`), animations: 'disabled' });
  await page.context().close();
}

const messageRows = async (page: Page) => (await readLog(page)).filter((row) => row.kind === 'message').map((row) => row.text);
const log = (page: Page) => page.getByRole('log', { name: 'Messages' });

describe('the main states of the chat, as the README shows them', () => {
  it('a conversation: days, own and others’ bubbles in groups, notices, someone typing', async () => {
    const server = await startServer();
    const bob = await person(server.url, 'Bob Marsh', NOW - DAY - 30 * MINUTE);
    const guest = await person(server.url, 'guest-2596', NOW - DAY - 15 * MINUTE);
    await sayAt(bob, 'Is the release still on for tomorrow?', NOW - DAY - 12 * MINUTE);
    await sayAt(guest, 'Yes, 10:00 sharp.', NOW - DAY - 5 * MINUTE);

    const page = await openAda(server, { width: 560, height: 1000, params: { history: '1', typing: '1', height: '570px' } });
    await expect.poll(() => messageRows(page)).toContain('Yes, 10:00 sharp.');
    await rename(guest, 'Cleo', NOW);
    await sayAt(guest, 'Hi all, Cleo here.', NOW);
    await say(page, 'Great, thanks both!');
    await say(page, 'I’ll keep an eye on the dashboards.');
    bob.send({ type: 'typing', typing: true });

    await page.getByRole('status').filter({ hasText: 'Bob Marsh is typing…' }).waitFor({ timeout: WAIT_MS });
    await expect
      .poll(async () => (await readLog(page)).filter((row) => row.own && row.dataStatus === 'delivered').map((row) => row.text))
      .toEqual(['Great, thanks both!', 'I’ll keep an eye on the dashboards.']);
    expect(await log(page).locator('.rwc-chatbox__day').allTextContents()).toEqual(['Yesterday', 'Today']);
    // The whole conversation in view: the log starts at its top.
    expect(await log(page).evaluate((element) => element.scrollTop)).toBe(0);
    const notices = (await readLog(page)).flatMap((row) => (row.notice ? [row.notice] : []));
    expect(notices).toContain('guest-2596 is now Cleo');
    expect(notices).toContain('User Ada signed in at 10:24 AM');
    // Every notice centred alike (the name change was not).
    const aligns = await log(page)
      .locator('.rwc-chatbox__row:has(.rwc-chatbox__notice)')
      .evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-kind')}:${getComputedStyle(row).textAlign}`));
    expect(aligns).toContain('namechange:center');
    expect(aligns.every((align) => align.endsWith(':center'))).toBe(true);
    await shoot(page, 'conversation');
  });

  it('reconnecting: Retry now, the user list offline, a failed message with Retry and Discard, one waiting', async () => {
    const server = await startServer();
    const bob = await person(server.url, 'Bob Marsh', NOW - 10 * MINUTE);
    await person(server.url, 'Eve Adams', NOW - 9 * MINUTE);
    await sayAt(bob, 'Standup in five?', NOW - MINUTE);
    // The first reconnect 18 s away (0.9 of 20 s), so the status holds still; messages fail after 1.5 s.
    const page = await openAda(server, {
      width: 720,
      height: 900,
      random: 0.9,
      params: { history: '1', persist: '1', failAfter: '1500', initialDelay: '20000', maxDelay: '20000', height: '300px' },
    });
    await expect.poll(() => messageRows(page)).toContain('Standup in five?');
    await say(page, 'Yes, joining now.');
    await expect.poll(() => messageRows(page)).toContain('Yes, joining now.');
    await server.close();
    await waitForStatus(page, 'Reconnecting in 18 s (attempt 1)');
    await say(page, 'Is the server down?');
    await expect.poll(async () => (await readLog(page)).at(-1)?.status).toBe('Not sent');
    await say(page, 'Back in a minute.');

    const ownRows = async () => (await readLog(page)).filter((row) => row.own).map((row) => [row.text, row.dataStatus]);
    await expect.poll(ownRows).toEqual([
      ['Yes, joining now.', 'delivered'],
      ['Is the server down?', 'failed'],
      ['Back in a minute.', 'pending'],
    ]);
    const failed = log(page).getByRole('article', { name: /Is the server down/ });
    expect(await failed.getByRole('button').allTextContents()).toEqual(['Retry', 'Discard']);
    expect(await page.getByRole('button', { name: 'Retry now' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: /Users/ }).textContent()).toContain('(offline)');
    expect(await page.getByText('Not connected: messages will be sent when reconnected.').isVisible()).toBe(true);
    await shoot(page, 'reconnecting');
  });

  it('back after missing messages: "New since you were away", and "N new messages" while scrolled up', async () => {
    const server = await startServer();
    const bob = await person(server.url, 'Bob Marsh', NOW - 40 * MINUTE);
    for (let i = 0; i < 6; i++) await sayAt(bob, `Checking item ${i + 1} of the list.`, NOW - (30 - i) * MINUTE);
    const page = await openAda(server, { width: 720, height: 800, params: { history: '1', height: '340px' } });
    await expect.poll(() => messageRows(page)).toContain('Checking item 6 of the list.');

    // Ada's connection closed while Bob writes on; back, she gets what she missed in the catch-up.
    await page.evaluate(() => window.__rwcE2E?.client()?.close());
    await waitForStatus(page, /Disconnected/);
    await sayAt(bob, 'Item 7 needs a second look.', NOW - 3 * MINUTE);
    await sayAt(bob, 'Found it: a typo in the config.', NOW - 2 * MINUTE);
    await page.evaluate(() => window.__rwcE2E?.client()?.connect());
    await waitForStatus(page, 'Connected');
    await expect.poll(() => messageRows(page)).toContain('Found it: a typo in the config.');
    const divider = log(page).locator('.rwc-chatbox__unread');
    await expect.poll(() => divider.textContent()).toBe('New since you were away');

    // Scrolled up a little, the divider still in view: what comes now waits behind the button.
    await log(page).evaluate((element) => element.scrollBy(0, -50));
    await expect.poll(() => log(page).getAttribute('data-state')).toBe('scrolled-up');
    await sayAt(bob, 'Fixed and redeployed.', NOW - MINUTE);
    await sayAt(bob, 'All green now.', NOW);
    const more = page.getByRole('button', { name: '2 new messages' });
    await more.waitFor({ timeout: WAIT_MS });
    expect(await divider.isVisible()).toBe(true);
    await shoot(page, 'unread');
  });

  it('narrow (320 px), dark: the user list opened from its toggle', async () => {
    const server = await startServer();
    const bob = await person(server.url, 'Bob Marsh', NOW - 10 * MINUTE);
    await person(server.url, 'Eve Adams', NOW - 9 * MINUTE);
    await person(server.url, 'Cleo', NOW - 8 * MINUTE);
    await sayAt(bob, 'Who is on call tonight?', NOW - 2 * MINUTE);
    const page = await openAda(server, { width: 320, height: 760, params: { theme: 'dark', history: '1' } });
    await expect.poll(() => messageRows(page)).toContain('Who is on call tonight?');
    await say(page, 'Me, until midnight.');
    await expect.poll(() => messageRows(page)).toContain('Me, until midnight.');
    const toggle = page.getByRole('button', { name: 'Users' });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => page.getByRole('list', { name: 'Users' }).getByRole('listitem').count()).toBe(4);
    expect(await messageField(page).isVisible()).toBe(true);
    await shoot(page, 'narrow-dark');
  });

  it('right-to-left: a Hebrew and Arabic conversation, each text in its own direction', async () => {
    const server = await startServer();
    const dana = await person(server.url, 'דנה', NOW - 10 * MINUTE);
    const iman = await person(server.url, 'إيمان', NOW - 9 * MINUTE);
    await sayAt(dana, 'בוקר טוב! מה שלום כולם?', NOW - 4 * MINUTE);
    await sayAt(iman, 'صباح الخير! كل شيء جاهز.', NOW - 3 * MINUTE);
    const page = await openAda(server, { width: 480, height: 900, params: { dir: 'rtl', history: '1', height: '480px' } });
    await expect.poll(() => messageRows(page)).toContain('صباح الخير! كل شيء جاهز.');
    await say(page, 'Hello! The build is green?');
    await sayAt(dana, 'כן, הכול ירוק.', NOW);
    await expect.poll(() => messageRows(page)).toContain('כן, הכול ירוק.');
    expect(await page.locator('.rwc-chat').evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
    // An English text keeps its "?" at its end in a right-to-left page.
    const own = log(page).locator('[data-own] .rwc-chatbox__text');
    expect(await own.evaluate((element) => getComputedStyle(element).direction)).toBe('ltr');
    expect(await log(page).evaluate((element) => element.scrollTop)).toBe(0);
    await shoot(page, 'rtl');
  });
});
