// The server goes away while the user keeps typing: the page says it is reconnecting, keeps what was
// written as waiting, reconnects when the server is back (same port), and every message arrives
// exactly once, in order, at the server's other users and in the page.
import type { Page } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { RawClient, messageField, openChatPage, readLog, say, waitForStatus, type ChatPage } from './helpers.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();
const { servers, clients } = suite;

beforeAll(async () => {
  servers.push(await createChatServer({ host: '127.0.0.1', port: 0 }));
});

/** Milliseconds until the page's next reconnect attempt; null when none is scheduled. */
const untilNextAttempt = (page: Page) =>
  page.evaluate(() => {
    const at = window.__rwcE2E?.connection()?.nextReconnectAt ?? null;
    return at === null ? null : at - Date.now();
  });

describe('server restart while the user types', () => {
  it('reconnects and delivers every message exactly once, in order', async () => {
    const first = servers[0] as ChatServer;
    const { host, port } = first;
    // The backoff's ceiling lowered from 30 s to 2 s: the same schedule, compressed for the test.
    const ada: ChatPage = await openChatPage(suite.browser, { server: first.url, name: 'ada', height: '4000px', maxDelay: 2000 });
    await waitForStatus(ada.page, 'Connected');
    const before = await RawClient.connect(first.url);
    clients.push(before);
    await expect.poll(() => ada.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);

    // Messages written as the server stops: the last ones are still on their way (the server drops
    // what arrives once it is closing, or the page has them as sent but never echoed).
    const early = ['before 1', 'before 2', 'before 3', 'before 4'];
    await say(ada.page, 'before 1');
    await say(ada.page, 'before 2');
    const stopping = first.close();
    await say(ada.page, 'before 3');
    await say(ada.page, 'before 4');
    await stopping;

    await waitForStatus(ada.page, /Reconnecting in \d+ s \(attempt \d+\)/);
    const outage = Array.from({ length: 10 }, (_, i) => `during outage ${i + 1}`);
    for (const text of outage) await say(ada.page, text);
    await expect.poll(() => messageField(ada.page).inputValue()).toBe('');
    // Shown (at the next frame), as waiting to be sent.
    await expect
      .poll(async () =>
        (await readLog(ada.page))
          .filter((row) => row.kind === 'message' && outage.includes(row.text ?? ''))
          .map((row) => [row.text, row.dataStatus, row.status]),
      )
      .toEqual(outage.map((text) => [text, 'pending', 'Waiting to send']));

    // Restart on the same port while the page's next attempt is at least half a second away, so the
    // observer below is connected before the page comes back and sees everything it sends.
    await expect.poll(() => untilNextAttempt(ada.page)).toBeGreaterThan(500);
    const second = await createChatServer({ host, port });
    servers.push(second);
    const after = await RawClient.connect(second.url);
    clients.push(after);

    await waitForStatus(ada.page, 'Connected');
    await expect.poll(() => after.messageTexts('ada').at(-1)).toBe(outage.at(-1));

    // The other side: the outage's messages exactly once and in order, after whatever of the early
    // ones had not reached the first server; across both servers every early one exactly once.
    const heardAfter = after.messageTexts('ada');
    expect(heardAfter.filter((text) => outage.includes(text))).toEqual(outage);
    const heardBefore = before.messageTexts('ada');
    expect([...heardBefore, ...heardAfter]).toEqual([...early, ...outage]);

    // The page: each message once, in the order written, none still waiting.
    await expect
      .poll(async () =>
        (await readLog(ada.page)).filter((row) => row.kind === 'message').map((row) => [row.text, row.sender, row.dataStatus, row.status]),
      )
      .toEqual([...early, ...outage].map((text) => [text, 'ada', 'delivered', null]));
    expect(await ada.page.evaluate(() => window.__rwcE2E?.chat().unconfirmed)).toBe(0);
    expect(ada.dialogs).toEqual([]);
    expect(ada.pageErrors).toEqual([]);
    // The only console errors: Chromium's own for the attempts refused while the server was down.
    expect(ada.consoleErrors.filter((line) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/' failed/.test(line))).toEqual([]);
  });
});
