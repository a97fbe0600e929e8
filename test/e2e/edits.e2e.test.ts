// Edits and deletes of own messages end to end: real pages in Chromium on the reference server,
// with messageEdits() and messageActions(). alice edits and deletes from her rows' buttons and bob
// sees it live; carol, who joins later, sees the edited text and the tombstone through the history;
// a raw client's edit of alice's message is refused and changes nothing; an MDN-style client (one
// that never says it understands edits) never gets an edit or delete packet and keeps the original
// texts; nor does a page without messageEdits(), which, with chatHistory(), leaves a message the
// history serves deleted out of its log (no empty row). Against MDN's sample server (the in-repo
// stand-in) the page offers no button and sends none.
import type { BrowserContext, Page } from 'playwright';
import { describe, expect, it } from 'vitest';

import { createChatServer } from '../../src/server/index.ts';
import { startMdnSampleServer } from '../helpers/mdnSampleServer.ts';
import { chromiumSuite } from './chromiumSuite.ts';
import { RawClient, messageField, openChatPage, say, waitForStatus, type ChatPage } from './helpers.ts';

const suite = chromiumSuite();
const { servers, clients } = suite;

async function open(url: string, name: string, history = false, context?: BrowserContext): Promise<ChatPage> {
  const page = await openChatPage(suite.browser, { server: url, name, edits: true, history, context });
  await waitForStatus(page.page, 'Connected');
  return page;
}

/** The message rows as a reader sees them: the text alone, and whether it shows "(edited)" or the tombstone. */
function shownMessages(page: Page): Promise<string[]> {
  return page
    .getByRole('log', { name: 'Messages' })
    .locator('.rwc-chatbox__row[data-kind="message"] .rwc-chatbox__text')
    .evaluateAll((bubbles) =>
      bubbles.map((bubble) => {
        if (bubble.querySelector('.rwc-chatbox__deleted')) return '[Message deleted]';
        const copy = bubble.cloneNode(true) as HTMLElement;
        for (const extra of copy.querySelectorAll('.rwc-chatbox__actions, .rwc-chatbox__edited, .rwc-chatbox__status')) extra.remove();
        return `${copy.textContent}${bubble.querySelector('.rwc-chatbox__edited') ? ' (edited)' : ''}`;
      }),
    );
}

/** The row of alice's message that reads `text` (its name ends with it). */
const ownRow = (page: Page, text: string) => page.locator(`article[aria-label$=": ${text}"]`);

describe('edits and deletes', () => {
  it('on the reference server: alice edits and deletes, bob sees it live, carol later through the history, a raw edit is refused', async () => {
    const server = await createChatServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const mdn = await RawClient.connect(server.url);
    clients.push(mdn);
    await mdn.register('mdn');
    const alice = await open(server.url, 'alice', true);
    const bob = await open(server.url, 'bob', true);
    await say(alice.page, 'helo world');
    await say(alice.page, 'to be deleted');
    await expect.poll(() => shownMessages(bob.page)).toEqual(['helo world', 'to be deleted']);
    // Buttons on alice's own rows only.
    expect(await bob.page.getByRole('log').getByRole('button').count()).toBe(0);

    // Edit, from the keyboard: Edit, the text, Enter.
    await ownRow(alice.page, 'helo world').getByRole('button', { name: 'Edit' }).click();
    const editor = alice.page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('hello world');
    await editor.press('Enter');
    await expect.poll(() => shownMessages(bob.page)).toEqual(['hello world (edited)', 'to be deleted']);
    await expect.poll(() => shownMessages(alice.page)).toEqual(['hello world (edited)', 'to be deleted']);

    // Delete, confirmed.
    await ownRow(alice.page, 'to be deleted').getByRole('button', { name: 'Delete' }).click();
    await alice.page.getByRole('group', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => shownMessages(bob.page)).toEqual(['hello world (edited)', '[Message deleted]']);

    // The deleted row is named with its tombstone, not with an empty text.
    const tombstone = /^You, .+: Message deleted$/;
    await expect
      .poll(() => alice.page.locator('.rwc-chatbox__row[data-kind="message"]').nth(1).getAttribute('aria-label'))
      .toMatch(tombstone);

    // carol joins later: the catch-up brings the messages as they read now, then their edit and
    // delete; no frame her page receives holds a text edited away or deleted.
    const context = await suite.browser.newContext();
    const frames: string[] = [];
    context.on('page', (page) =>
      page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(String(payload)))),
    );
    const carol = await open(server.url, 'carol', true, context);
    await expect.poll(() => shownMessages(carol.page)).toEqual(['hello world (edited)', '[Message deleted]']);
    expect(frames.some((frame) => frame.includes('"type":"history"'))).toBe(true);
    expect(frames.filter((frame) => frame.includes('helo world') || frame.includes('to be deleted'))).toEqual([]);
    await expect
      .poll(() => carol.page.locator('.rwc-chatbox__row[data-kind="message"]').nth(1).getAttribute('aria-label'))
      .toMatch(/^alice, .+: Message deleted$/);

    // eve, a raw client, tries to edit alice's message by its nonce (every message carries it): refused to her alone.
    const original = mdn.received.find((p) => p.type === 'message' && p.text === 'helo world');
    const eve = await RawClient.connect(server.url);
    clients.push(eve);
    eve.send({ type: 'username', name: 'eve', id: eve.id, date: Date.now(), edits: true });
    eve.send({ type: 'edit', nonce: original?.nonce, text: 'pwned' });
    expect(await eve.waitFor((p) => p.refused !== undefined, 'refusal')).toEqual({
      type: 'edit',
      nonce: original?.nonce,
      refused: 'not-yours',
    });
    await say(bob.page, 'after eve');
    await expect.poll(() => shownMessages(alice.page)).toEqual(['hello world (edited)', '[Message deleted]', 'after eve']);

    // The MDN-style client got no packet type it does not know, and keeps the texts as first sent.
    expect(mdn.received.filter((p) => !['id', 'username', 'userlist', 'message'].includes(p.type as string))).toEqual([]);
    expect(mdn.messageTexts()).toEqual(['helo world', 'to be deleted', 'after eve']);
    expect(server.stats()).toMatchObject({ editsRelayed: 1, deletesRelayed: 1, editsRefused: 1, invalidPackets: 0 });
    for (const page of [alice, bob, carol]) expect([...page.pageErrors, ...page.consoleErrors, ...page.dialogs]).toEqual([]);
    await context.close();
  });

  it('a page without messageEdits() (chatHistory() alone) never gets a live delete, and one that joins after a delete shows no empty row', async () => {
    const server = await createChatServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const alice = await open(server.url, 'alice', true);
    // dave's page has the history but not the edits, and is there when alice deletes.
    const daveFrames: string[] = [];
    const daveContext = await suite.browser.newContext();
    daveContext.on('page', (page) =>
      page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => daveFrames.push(String(payload)))),
    );
    const dave = await openChatPage(suite.browser, { server: server.url, name: 'dave', history: true, context: daveContext });
    await waitForStatus(dave.page, 'Connected');
    await say(alice.page, 'kept');
    await say(alice.page, 'to be deleted');
    await say(alice.page, 'after it');
    await expect.poll(() => shownMessages(dave.page)).toEqual(['kept', 'to be deleted', 'after it']);
    await ownRow(alice.page, 'to be deleted').getByRole('button', { name: 'Delete' }).click();
    await alice.page.getByRole('group', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => shownMessages(alice.page)).toEqual(['kept', '[Message deleted]', 'after it']);
    // Relayed in the room's order: once dave shows "last", a delete sent to him would have come before it.
    await say(alice.page, 'last');
    await expect.poll(() => shownMessages(dave.page)).toEqual(['kept', 'to be deleted', 'after it', 'last']);
    expect(daveFrames.filter((frame) => /"type":"(edit|delete)"/.test(frame))).toEqual([]);

    // erin's page (the same) joins later: the history serves the message deleted (an empty text); her
    // log leaves it out, with no empty bubble, and her other rows as they were.
    const erin = await openChatPage(suite.browser, { server: server.url, name: 'erin', history: true });
    await waitForStatus(erin.page, 'Connected');
    await expect.poll(() => shownMessages(erin.page)).toEqual(['kept', 'after it', 'last']);
    expect(await erin.page.getByRole('log', { name: 'Messages' }).locator('.rwc-chatbox__row[data-kind="message"]').count()).toBe(3);
    expect(server.stats()).toMatchObject({ deletesRelayed: 1, invalidPackets: 0 });
    for (const page of [alice, dave, erin]) expect([...page.pageErrors, ...page.consoleErrors, ...page.dialogs]).toEqual([]);
    await daveContext.close();
  });

  it('ArrowUp in the empty field edits the last own message; Escape gives the focus back to the field', async () => {
    const server = await createChatServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const alice = await open(server.url, 'alice');
    await say(alice.page, 'first');
    await say(alice.page, 'second');
    await expect.poll(() => shownMessages(alice.page)).toEqual(['first', 'second']);
    await messageField(alice.page).press('ArrowUp');
    const editor = alice.page.getByRole('textbox', { name: 'Edit message' });
    await expect.poll(() => editor.inputValue()).toBe('second');
    await editor.press('Escape');
    await expect.poll(() => messageField(alice.page).evaluate((field) => field === document.activeElement)).toBe(true);
    expect(await editor.count()).toBe(0);
  });

  it("on MDN's sample server (stand-in): no Edit or Delete button, and nothing of edits sent", async () => {
    const server = await startMdnSampleServer();
    servers.push(server);
    const alice = await open(server.url, 'alice');
    await say(alice.page, 'hello');
    await expect.poll(() => shownMessages(alice.page)).toEqual(['hello']);
    await expect.poll(() => alice.page.locator('.rwc-chatbox__row[data-status="delivered"]').count()).toBe(1);
    expect(await alice.page.getByRole('log').getByRole('button').count()).toBe(0);
    await messageField(alice.page).press('ArrowUp');
    expect(await alice.page.getByRole('textbox', { name: 'Edit message' }).count()).toBe(0);
    const sent = server.received.map((frame) => JSON.parse(frame) as Record<string, unknown>);
    expect(sent.filter((packet) => packet.type === 'edit' || packet.type === 'delete' || 'edits' in packet)).toEqual([]);
    expect(server.crashed).toBe(false);
  });
});
