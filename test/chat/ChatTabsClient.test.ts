import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { ChatStore, ChatTabsClient, chatHistory, immediateScheduler } from '../../src/chat/index.ts';
import { FakeLocks } from '../helpers/fakeLocks.ts';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.ts';

// The chat's rules on a shared connection (the real thing: test/e2e/sharedChat.e2e.test.ts): only the
// leader's store speaks the handshake.
describe('ChatTabsClient', () => {
  it("a follower does not send the sign-in's username nor a catch-up; renames and older pages go out", async () => {
    const server = createMockServer();
    const { WebSocket } = createSocketFactory();
    const locks = new FakeLocks();
    const share = { name: 'chat-unit', locks: locks.manager, BroadcastChannel: NodeBroadcastChannel as unknown as typeof BroadcastChannel };
    const leader = new ChatTabsClient({ url: server.url, WebSocket }, share);
    const follower = new ChatTabsClient({ url: server.url, WebSocket }, share);
    await expect.poll(() => [leader.getSnapshot().shared, follower.getSnapshot().shared]).toEqual(['leader', 'follower']);
    leader.acquire();
    follower.acquire();
    await expect.poll(() => follower.getSnapshot().readyState).toBe(1);
    server.send(JSON.stringify({ type: 'id', id: 7, ext: 1, session: 's1', history: 50, seq: 0, epoch: 'e1' }));
    await expect.poll(() => follower.getSnapshot().messageCount).toBe(1);

    // Signing in: the leader's store asks for the name; the follower's request is not sent.
    expect(follower.sendJson({ type: 'username', name: 'ada', id: 7, date: 1 })).toBe('sent');
    expect(leader.sendJson({ type: 'username', name: 'ada', id: 7, date: 1, session: 's0' })).toBe('sent');
    expect(follower.sendJson({ type: 'history' })).toBe('sent');
    server.send(JSON.stringify({ type: 'username', id: 7, name: 'ada', date: 2 }));
    await expect.poll(() => follower.getSnapshot().messageCount).toBe(2);
    // The name it has already: not sent again. Another: a rename, sent; so is an older page.
    expect(follower.sendJson({ type: 'username', name: 'ada', id: 7, date: 3 })).toBe('sent');
    expect(follower.sendJson({ type: 'username', name: 'ada2', id: 7, date: 4 })).toBe('sent');
    expect(follower.sendJson({ type: 'history', before: 10, limit: 5 })).toBe('sent');
    await expect
      .poll(() => server.received.map((frame) => JSON.parse(String(frame)) as Record<string, unknown>))
      .toEqual([
        { type: 'username', name: 'ada', id: 7, date: 1, session: 's0' },
        { type: 'username', name: 'ada2', id: 7, date: 4 },
        { type: 'history', before: 10, limit: 5 },
      ]);
    follower.dispose();
    leader.dispose();
    server.stop();
  });
  it("a tab opened during the leader's catch-up gets all of it: what the leader had, the rest of the catch-up, what came live meanwhile, once each, in order", async () => {
    const server = createMockServer();
    const { WebSocket } = createSocketFactory();
    const locks = new FakeLocks();
    const share = { name: 'chat-late', locks: locks.manager, BroadcastChannel: NodeBroadcastChannel as unknown as typeof BroadcastChannel };
    const tab = () => {
      const client = new ChatTabsClient({ url: server.url, WebSocket }, share);
      const store = new ChatStore(client, { username: 'ada', history: chatHistory(), schedule: immediateScheduler });
      store.attach();
      return { client, store };
    };
    const texts = (store: ChatStore) => store.getState().entries.flatMap((entry) => (entry.kind === 'message' ? [entry.text] : []));
    const message = (seq: number) => JSON.stringify({ type: 'message', id: 9, name: 'bob', text: `m${seq}`, date: seq, seq });
    const leader = tab();
    leader.client.acquire();
    await expect.poll(() => leader.client.getSnapshot()).toMatchObject({ shared: 'leader', readyState: 1 });
    // ada joins when the room is at seq 5: her store asks for the catch-up; seq 6 comes live before it.
    server.send(JSON.stringify({ type: 'id', id: 7, ext: 1, session: 's', history: 50, seq: 5, epoch: 'e' }));
    await expect.poll(() => server.received.map(String)).toContainEqual('{"type":"history"}');
    server.send(message(6));
    await expect.poll(() => leader.client.getSnapshot().messageCount).toBe(2);

    // A tab opens now: it is handed seq 6, then gets the catch-up (1 to 5) and seq 7 as every tab does.
    const late = tab();
    late.client.acquire();
    await expect.poll(() => late.client.getSnapshot().messageCount).toBeGreaterThanOrEqual(2);
    server.send(JSON.stringify({ type: 'history', packets: [1, 2, 3, 4, 5].map((seq) => JSON.parse(message(seq))), done: true }));
    server.send(message(7));
    const all = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
    await expect.poll(() => texts(leader.store)).toEqual(all);
    await expect.poll(() => texts(late.store)).toEqual(all);
    late.client.dispose();
    leader.client.dispose();
    server.stop();
  });
  it('a tab that starts using the connection before it heard of the leader gets the log once (no nonces to dedupe by: MDN)', async () => {
    const server = createMockServer();
    const { WebSocket } = createSocketFactory();
    const locks = new FakeLocks();
    const share = { name: 'chat-once', locks: locks.manager, BroadcastChannel: NodeBroadcastChannel as unknown as typeof BroadcastChannel };
    const leader = new ChatTabsClient({ url: server.url, WebSocket }, share);
    leader.acquire();
    await expect.poll(() => leader.getSnapshot()).toMatchObject({ shared: 'leader', readyState: 1 });
    server.send(JSON.stringify({ type: 'id', id: 7 }));
    for (const text of ['a', 'b', 'c']) server.send(JSON.stringify({ type: 'message', id: 9, name: 'bob', text, date: 1 }));
    await expect.poll(() => leader.getSnapshot().messageCount).toBe(4);
    const late = new ChatTabsClient({ url: server.url, WebSocket }, share);
    const seen: unknown[] = [];
    late.on('message', (message) => seen.push((message as { type: string; text?: string }).text ?? (message as { type: string }).type));
    // At once, as <ChatProvider> does: before this tab has heard of the leader.
    late.acquire();
    await expect.poll(() => seen).toEqual(['id', 'a', 'b', 'c']);
    server.send(JSON.stringify({ type: 'message', id: 9, name: 'bob', text: 'd', date: 2 }));
    await expect.poll(() => seen).toEqual(['id', 'a', 'b', 'c', 'd']);
    late.dispose();
    leader.dispose();
    server.stop();
  });
});
