// messageEdits() with persistentOutbox() in Chromium against the reference server: edits and a
// delete made while the link is down survive a reload of the page (IndexedDB, with the page's
// session, so that the new page is still their author), show as "Saving…" where the log has their
// message, and reach another user exactly once when the link is back; the author's page then shows
// them settled and nothing is left in IndexedDB but the page's session. The link is cut by a gate in
// front of the server (not by stopping it: the reference server keeps who wrote what in memory).
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';

import { createChatServer } from '../../src/server/index.ts';
import { chromiumSuite } from './chromiumSuite.ts';
import { storedOutbox } from './storedOutbox.ts';
import { RawClient, openChatPage, say, waitForStatus, type Packet } from './helpers.ts';

const suite = chromiumSuite();
const { servers, clients } = suite;

/** A TCP gate in front of `target`: `down()` closes every connection through it and refuses new ones until `up()`. */
async function startGate(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let open = true;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    down() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      open = true;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The message rows as shown, the whole bubble: text, "(edited)", "Saving…", "Message deleted". */
const bubbles = (page: Page) =>
  page
    .getByRole('log', { name: 'Messages' })
    .locator('.rwc-chatbox__row[data-kind="message"] .rwc-chatbox__text')
    .evaluateAll((nodes) =>
      nodes.map((node) => {
        const copy = node.cloneNode(true) as HTMLElement;
        for (const buttons of copy.querySelectorAll('.rwc-chatbox__actions')) buttons.remove();
        // (Without the time of the edit.)
        for (const edited of copy.querySelectorAll('.rwc-chatbox__edited')) edited.replaceWith(' (edited) ');
        return copy.textContent;
      }),
    );

/** The kinds of the records the outbox keeps in IndexedDB ('message' for a message), sorted. */
const storedKinds = async (page: Page) => (await storedOutbox(page)).map((record) => record.kind ?? 'message').sort();

const ownRow = (page: Page, text: string) => page.locator(`article[aria-label$=": ${text}"]`);

async function editRow(page: Page, text: string, to: string): Promise<void> {
  await ownRow(page, text).getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByRole('textbox', { name: 'Edit message' });
  await editor.fill(to);
  await editor.press('Enter');
}

async function deleteRow(page: Page, text: string): Promise<void> {
  await ownRow(page, text).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('group', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click();
}

const changesOf = (received: Packet[], nonce: unknown) =>
  received.filter((p) => (p.type === 'edit' || p.type === 'delete') && p.nonce === nonce).map((p) => [p.type, p.text ?? null]);

describe('messageEdits with persistentOutbox in Chromium', () => {
  it('keeps edits and a delete made offline across a reload; they reach bob once when the link is back, and show settled', async () => {
    const server = await createChatServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const gate = await startGate(server.url);
    const bob = await RawClient.connect(server.url);
    clients.push(bob);
    bob.send({ type: 'username', name: 'bob', id: bob.id, date: Date.now(), edits: true });
    const ada = await openChatPage(suite.browser, {
      server: gate.url,
      name: 'ada',
      persist: true,
      history: true,
      edits: true,
      maxDelay: 1000,
      height: '2000px',
    });
    await waitForStatus(ada.page, 'Connected');
    await say(ada.page, 'helo');
    await say(ada.page, 'to be deleted');
    await expect.poll(() => bob.messageTexts('ada')).toEqual(['helo', 'to be deleted']);
    const nonceOf = (text: string) => bob.received.find((p) => p.type === 'message' && p.text === text)?.nonce;
    await expect.poll(() => bubbles(ada.page)).toEqual(['helo', 'to be deleted']);

    gate.down();
    await waitForStatus(ada.page, /Reconnecting|Connecting/);
    await editRow(ada.page, 'helo', 'hello');
    await deleteRow(ada.page, 'to be deleted');
    await say(ada.page, 'written offline');
    await editRow(ada.page, 'written offline', 'written offline, edited');
    await expect
      .poll(() => bubbles(ada.page))
      .toEqual(['hello (edited) Saving…', 'Message deletedSaving…', 'written offline, edited (edited) Saving…']);
    await expect.poll(() => storedKinds(ada.page)).toEqual(['delete', 'edit', 'edit', 'message', 'session']);

    await ada.page.reload();
    await waitForStatus(ada.page, /Reconnecting|Connecting/);
    // The message written offline is back, with its edit on its way; the others are not in the log until the history comes.
    await expect.poll(() => bubbles(ada.page)).toEqual(['written offline, edited (edited) Saving…']);

    gate.up();
    await waitForStatus(ada.page, 'Connected');
    await expect.poll(() => bubbles(ada.page)).toEqual(['hello (edited) ', 'Message deleted', 'written offline, edited (edited) ']);
    await expect.poll(() => storedKinds(ada.page)).toEqual(['session']);
    // Anything sent twice would come before this.
    await say(ada.page, 'after');
    await expect.poll(() => bob.messageTexts('ada')).toEqual(['helo', 'to be deleted', 'written offline', 'after']);
    expect(changesOf(bob.received, nonceOf('helo'))).toEqual([['edit', 'hello']]);
    expect(changesOf(bob.received, nonceOf('to be deleted'))).toEqual([['delete', null]]);
    expect(changesOf(bob.received, nonceOf('written offline'))).toEqual([['edit', 'written offline, edited']]);
    expect(server.stats()).toMatchObject({ editsRelayed: 2, deletesRelayed: 1, editsRefused: 0, messagesRelayed: 4 });
    // (Chromium logs each attempt the gate refused as a console error: those are expected here.)
    const unexpected = ada.consoleErrors.filter((text) => !text.startsWith(`WebSocket connection to '${gate.url}/' failed`));
    expect([...ada.pageErrors, ...unexpected, ...ada.dialogs]).toEqual([]);
    await gate.close();
  });
});
