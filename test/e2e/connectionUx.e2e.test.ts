// The connection as a user meets it when the reference server goes away and comes back (#14 item 4):
// friendly words and no raw error while a retry is planned, a "Retry now" that attempts at once with
// the backoff started over, the user list marked as the last one known, the field still usable and
// saying what will happen to what is written; then connected at once when the server is back.
import type { Page } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { RawClient, messageField, openChatPage, readLog, say, status, userListItems, waitForStatus } from './helpers.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();
const { servers, clients } = suite;

beforeAll(async () => {
  servers.push(await createChatServer({ host: '127.0.0.1', port: 0 }));
});

/** The page's pending retry: when it is due (page clock), null when none is scheduled. */
const nextAttemptAt = (page: Page) => page.evaluate(() => window.__rwcE2E?.connection()?.nextReconnectAt ?? null);

/** Start recording every `reconnectAttempt` the page's connection publishes; read with {@link recordedAttempts}. */
const recordAttempts = (page: Page) =>
  page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __attempts: number[] }).__attempts = seen;
    window.__rwcE2E?.client()?.subscribe((snapshot) => seen.push(snapshot.reconnectAttempt));
  });
const recordedAttempts = (page: Page) => page.evaluate(() => (window as unknown as { __attempts: number[] }).__attempts);

/** What describes the message field (its `aria-describedby` elements' text), '' when nothing. */
const fieldDescription = (page: Page) =>
  messageField(page).evaluate((field) =>
    (field.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent)
      .join(' '),
  );

/** The computed colour of a user's name in the list. */
const nameColor = (page: Page, name: string) =>
  page.locator('.rwc-user-list__name', { hasText: name }).evaluate((element) => getComputedStyle(element).color);

const retryNow = (page: Page) => status(page).getByRole('button', { name: 'Retry now' });

describe('the server goes away and comes back', () => {
  it('says so without the raw error, keeps the field usable, marks the list, and "Retry now" connects at once', async () => {
    const first = servers[0] as ChatServer;
    const { host, port } = first;
    // The first retry is up to 20 s away: long enough to tell "at once" from "when it was due".
    const { page, pageErrors, dialogs } = await openChatPage(suite.browser, {
      server: first.url,
      name: 'ada',
      initialDelay: 20_000,
      maxDelay: 20_000,
    });
    await waitForStatus(page, 'Connected');
    const bob = await RawClient.connect(first.url);
    clients.push(bob);
    await bob.register('bob');
    await expect.poll(() => userListItems(page)).toEqual(['ada (you)', 'bob']);
    const presentColor = await nameColor(page, 'bob');
    expect(await status(page).getByRole('button').count()).toBe(0);

    await first.close();
    await expect.poll(() => status(page).getAttribute('data-state')).toBe('reconnecting');
    await waitForStatus(page, /Reconnecting in \d+ s \(attempt \d+\)/);

    // The list is the last one known: named so, and dimmed.
    const offlineList = page.getByRole('list', { name: 'Users (offline)' });
    await expect.poll(() => offlineList.getByRole('listitem').allTextContents()).toEqual(['ada (you)', 'bob']);
    expect(await page.locator('.rwc-user-list').getAttribute('data-offline')).toBe('');
    expect(await nameColor(page, 'bob')).not.toBe(presentColor);

    // The field stays usable and says what happens to what is written now.
    expect(await messageField(page).isEnabled()).toBe(true);
    expect(await fieldDescription(page)).toBe('Not connected: messages will be sent when reconnected.');
    await say(page, 'written while away');
    await expect
      .poll(async () => (await readLog(page)).filter((row) => row.text === 'written while away').map((row) => row.dataStatus))
      .toEqual(['pending']);

    // "Retry now" with the server still down: an attempt at once, which fails; the count started over,
    // so the next wait is attempt 1's again, not attempt 2's.
    // (Clicked while the pending retry is still seconds away, so that only the click changes the count.)
    await expect
      .poll(async () => ((await nextAttemptAt(page)) ?? 0) - (await page.evaluate(() => Date.now())), { timeout: 30_000 })
      .toBeGreaterThan(2000);
    await recordAttempts(page);
    await retryNow(page).click();
    await expect.poll(() => recordedAttempts(page)).toContain(1);
    const attempts = await recordedAttempts(page);
    expect(attempts[0]).toBe(0);
    expect(attempts.find((attempt) => attempt > 0)).toBe(1);
    // The failure is kept for the app (the status's title), not shown to the user.
    await expect
      .poll(() => status(page).getAttribute('title'))
      .toMatch(/^The WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/' failed\.$/);
    expect(await status(page).locator('[data-error-kind]').count()).toBe(0);
    expect(await status(page).textContent()).not.toMatch(/Error|failed/);

    // Back on the same port while the page's next attempt is still more than 3 s away.
    await expect
      .poll(async () => ((await nextAttemptAt(page)) ?? 0) - (await page.evaluate(() => Date.now())), { timeout: 30_000 })
      .toBeGreaterThan(3000);
    const due = (await nextAttemptAt(page)) as number;
    const second = await createChatServer({ host, port });
    servers.push(second);
    await retryNow(page).click();
    await waitForStatus(page, 'Connected');
    expect(await page.evaluate(() => Date.now())).toBeLessThan(due);

    // Everything back: the waiting message went out, the list is present again, the notes are gone.
    await expect
      .poll(async () => (await readLog(page)).filter((row) => row.text === 'written while away').map((row) => row.dataStatus))
      .toEqual(['delivered']);
    await expect.poll(() => page.locator('.rwc-user-list').getAttribute('data-offline')).toBeNull();
    expect(await page.getByRole('list', { name: 'Users' }).count()).toBe(1);
    expect(await fieldDescription(page)).toBe('');
    expect(await status(page).getByRole('button').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
