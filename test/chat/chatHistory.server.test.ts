// @vitest-environment node
// The store with chatHistory() over the real core and a real server on 127.0.0.1: against the
// reference server, a reader that drops out twice while a writer keeps sending ends with every
// message exactly once, in order; against the MDN sample server stand-in, it never sends anything
// of the extension.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';

import { ChatStore, chatHistory, immediateScheduler, type ChatState } from '../../src/chat/index.js';
import { WebSocketClient, autoReconnect, type WebSocketConstructor } from '../../src/core/index.js';
import type { ClientPacket } from '../../src/protocol/index.js';
import { startMdnSampleServer, type MdnSampleServer } from '../helpers/mdnSampleServer.ts';
import { TestClient, keepSending, startServer } from '../helpers/referenceServer.ts';

const disposers: (() => unknown)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

/** A store with chatHistory() on a core client with `ws` as its WebSocket, connected. */
function connectStore(url: string, username: string) {
  const client = new WebSocketClient<unknown, ClientPacket>({
    url,
    protocols: 'json',
    WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
    reconnect: autoReconnect({ initialDelay: 10, maxDelay: 50 }),
  });
  const store = new ChatStore(client, { username, schedule: immediateScheduler, history: chatHistory() });
  const detach = store.attach();
  client.connect();
  disposers.push(() => {
    detach();
    client.dispose();
  });
  return { client, store };
}

const texts = (state: ChatState) => state.entries.flatMap((entry) => (entry.kind === 'message' ? [entry.text] : []));
const POLL = { timeout: 4000, interval: 5 };

describe('chatHistory() against the reference server', () => {
  it('a reader that drops out twice while a writer keeps sending ends with every message once, in order', async () => {
    const server = await startServer({ historyPageSize: 7 });
    const writer = await TestClient.connect(server.url);
    await writer.register('writer');
    const { client, store } = connectStore(server.url, 'reader');
    await expect.poll(() => store.getState().history?.catchingUp === false && store.getState().signedIn, POLL).toBe(true);

    const traffic = keepSending(writer);
    const shown = (text: string) => expect.poll(() => texts(store.getState()).includes(text), POLL).toBe(true);

    await shown('w20');
    // Away for a while: closed, then connected again once 60 more were sent.
    await client.close(1000);
    const away = `w${traffic.sent + 60}`;
    await writer.waitFor((p) => p.text === away, away);
    client.connect();
    await shown(away);
    // Dropped in the middle of the traffic, reconnecting at once.
    client.reconnect();
    const later = `w${traffic.sent + 60}`;
    await shown(later);
    const sent = await traffic.stop();
    await shown(`w${sent - 1}`);

    expect(texts(store.getState())).toEqual(Array.from({ length: sent }, (_, i) => `w${i}`));
    expect(store.getState().entries.some((entry) => entry.kind === 'gap')).toBe(false);
    expect(server.stats().historyRequests).toBeGreaterThanOrEqual(3);
  });

  it('a late joiner sees the recent history, and its sign-in notices are history', async () => {
    const server = await startServer({ historyOnJoin: 5 });
    const writer = await TestClient.connect(server.url);
    await writer.register('writer');
    for (const text of ['a', 'b', 'c']) writer.sendMessage(text);
    await writer.waitFor((p) => p.text === 'c', 'c');
    const { store } = connectStore(server.url, 'late');
    await expect.poll(() => store.getState().entries.length, POLL).toBe(5);
    // The whole room so far (writer's sign-in and user list, a, b, c), then its own sign-in, live.
    const entries = store
      .getState()
      .entries.map((entry) =>
        entry.kind === 'signin' ? `${entry.history ? 'history' : 'new'}:${entry.name}` : entry.kind === 'message' ? entry.text : entry.kind,
      );
    expect(entries).toEqual(['history:writer', 'a', 'b', 'c', 'new:late']);
  });
});

describe("chatHistory() against MDN's sample server (stand-in)", () => {
  it('never sends a history request, even after a reconnect; the MDN flow works', async () => {
    const mdn: MdnSampleServer = await startMdnSampleServer();
    disposers.push(() => mdn.close());
    const watcher = await TestClient.connect(mdn.url);
    watcher.sendUsername('watcher');
    const { client, store } = connectStore(mdn.url, 'kit');
    await expect.poll(() => store.getState().signedIn, POLL).toBe(true);
    client.reconnect();
    await expect.poll(() => mdn.connections, POLL).toBe(3);
    await expect.poll(() => store.getState().signedIn, POLL).toBe(true);
    store.send('hello from the kit');
    watcher.sendMessage('hello from MDN');
    await expect.poll(() => texts(store.getState()), POLL).toEqual(['hello from the kit', 'hello from MDN']);
    expect(store.getState().history?.loadOlder()).toBe(false);
    expect(
      mdn.received.map((text) => (JSON.parse(text) as { type: string }).type).filter((type) => type !== 'username' && type !== 'message'),
    ).toEqual([]);
    expect(watcher.received.some((p) => p.type === 'history')).toBe(false);
    expect(store.getState()).toMatchObject({ unknownPackets: 0, malformedPackets: 0, history: { available: false } });
    expect(mdn.crashed).toBe(false);
  });
});
