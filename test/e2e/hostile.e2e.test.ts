// Hostile names and texts: a corpus of script and HTML injection payloads (hostilePayloads.ts) sent
// by raw `ws` clients as their names and messages, and typed by the user, must show in a Chromium
// page as the exact text they are, and run nothing.
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { hostilePayloads } from './hostilePayloads.ts';
import { RawClient, launchChromium, openChatPage, readLog, say, waitForStatus, type ChatPage } from './helpers.ts';

let server: ChatServer;
let browser: Browser;
const clients: RawClient[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([createChatServer({ host: '127.0.0.1', port: 0 }), launchChromium()]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await server?.close();
});

/** Elements that text must never become inside the chat. */
const ACTIVE_ELEMENTS =
  'script, img, svg, math, iframe, frame, object, embed, style, link, meta, base, video, audio, source, ' +
  'template, a, marquee, details, dialog, noscript, xmp, plaintext, body, html';

/** What injected markup would have left in the page, if anything. */
function injectionTraces(page: Page) {
  return page.evaluate((selector) => {
    const chat = document.querySelector('.rwc-chat');
    const inChat = chat ? [...chat.querySelectorAll(selector)].map((element) => element.outerHTML.slice(0, 120)) : ['no .rwc-chat'];
    const handlers = chat
      ? [...chat.querySelectorAll('*')].flatMap((element) =>
          [...element.attributes]
            .filter((attribute) => /^on/i.test(attribute.name))
            .map((attribute) => `${element.tagName} ${attribute.name}`),
        )
      : [];
    return {
      pwned: window.__pwned,
      inChat,
      handlers,
      // The fixture app itself has none of these anywhere.
      inDocument: document.querySelectorAll('img, iframe, svg, object, embed, video, audio').length,
      title: document.title,
    };
  }, ACTIVE_ELEMENTS);
}

describe('hostile names and texts', () => {
  it(`shows ${hostilePayloads.length} injection payloads as text and runs none of them`, async () => {
    const watcher: ChatPage = await openChatPage(browser, { server: server.url, name: 'watcher', height: '200000px' });
    await waitForStatus(watcher.page, 'Connected');

    // Each payload is one person: their name (as the server cleaned it) and their message.
    const expected: { name: string; text: string }[] = [];
    for (const [index, payload] of hostilePayloads.entries()) {
      const client = await RawClient.connect(server.url);
      clients.push(client);
      const name = await client.register(payload);
      await client.say(payload, `hostile-${index}`);
      expected.push({ name, text: payload });
    }
    // Some of them typed by the user too (those a textarea keeps as they are: no control characters).
    const typed = hostilePayloads.filter((payload) => !/[\p{Cc}]/u.test(payload.replace(/\n/g, '')) && payload.length < 300).slice(0, 8);
    expect(typed.length).toBe(8);
    for (const text of typed) await say(watcher.page, text);

    const messages = [...expected, ...typed.map((text) => ({ name: 'watcher', text }))];
    await expect
      .poll(async () => (await readLog(watcher.page)).filter((row) => row.kind === 'message' && row.dataStatus === 'delivered').length, {
        timeout: 20_000,
      })
      .toBe(messages.length);

    const rows = await readLog(watcher.page);
    // Every message verbatim, with its sender, in order.
    expect(rows.filter((row) => row.kind === 'message').map((row) => ({ name: row.sender, text: row.text }))).toEqual(messages);
    // Every sign-in notice carries the name verbatim.
    const signIns = rows.filter((row) => row.kind === 'signin').map((row) => row.notice ?? '');
    expect(signIns).toHaveLength(1 + expected.length);
    for (const [index, { name }] of expected.entries()) {
      const notice = signIns[index + 1] ?? '';
      expect(notice.startsWith(`User ${name} signed in at `), `notice ${JSON.stringify(notice)} for ${JSON.stringify(name)}`).toBe(true);
      expect(notice.slice(`User ${name} signed in at `.length)).toMatch(/^\d{1,2}:\d{2}/);
    }
    // The user list shows every name verbatim.
    const listed = await watcher.page
      .getByRole('list', { name: 'Users' })
      .locator('.rwc-user-list__name')
      .evaluateAll((names) => names.map((element) => element.textContent));
    expect(listed).toEqual(['watcher', ...expected.map(({ name }) => name)]);

    // And nothing ran, or became markup.
    expect(await injectionTraces(watcher.page)).toEqual({
      pwned: undefined,
      inChat: [],
      handlers: [],
      inDocument: 0,
      title: 'react-ws-chat e2e',
    });
    expect(watcher.page.frames()).toHaveLength(1);
    expect(watcher.dialogs).toEqual([]);
    expect(watcher.pageErrors).toEqual([]);
    expect(watcher.consoleErrors).toEqual([]);
  });
});
