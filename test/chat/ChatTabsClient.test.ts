import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { ChatTabsClient } from '../../src/chat/index.ts';
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
});
