import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';

import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { sharedTabs, type SharedWebSocketClient } from '../../src/core/index.ts';
import { useWebSocketState } from '../../src/react/index.ts';
import { FakeLocks } from '../helpers/fakeLocks.ts';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.ts';

/**
 * A mock server, and the lock of the shared name held for good by a leader the test plays by hand
 * (over a channel of its own, `Channel`): the tabs made on `locks` follow it.
 */
function leaderByHand() {
  const server = createMockServer();
  const { WebSocket, created } = createSocketFactory();
  const locks = new FakeLocks();
  const name = `unit-${Math.random().toString(36).slice(2)}`;
  const Channel = NodeBroadcastChannel as unknown as typeof BroadcastChannel;
  locks.manager.request(`rwc-tabs:${name}`, () => new Promise(() => {})).catch(() => {});
  return { server, WebSocket, created, locks, name, Channel };
}

describe('sharedTabs() without Web Locks or BroadcastChannel (each tab its own connection)', () => {
  it.each([
    ['no Web Locks', { locks: null }],
    ['no BroadcastChannel', { BroadcastChannel: null }],
  ] as const)('%s: shared is "off", and the client works as a WebSocketClient, read by useWebSocketState', async (_, hosts) => {
    const server = createMockServer();
    const { WebSocket } = createSocketFactory();
    const client = sharedTabs({ name: 'unit', ...hosts }).create<{ n: number }, { n: number }>({ url: server.url, WebSocket });
    expect(client.getSnapshot().shared).toBe('off');
    const { result } = renderHook(() => useWebSocketState(client));
    const release = client.acquire();
    await expect.poll(() => result.current.readyState).toBe(1);
    expect(result.current.sendJson({ n: 1 })).toBe('sent');
    await expect.poll(() => server.received).toEqual(['{"n":1}']);
    server.connections[0]?.send('{"n":2}');
    await expect.poll(() => result.current.lastMessage).toEqual({ n: 2 });
    expect(client.getSnapshot()).toMatchObject({ shared: 'off', messageCount: 1 });
    release();
    await expect.poll(() => result.current.readyState).toBe(3);
    client.dispose();
    server.stop();
  });
});

describe("sharedTabs(): the protocol between tabs (a stand-in for Web Locks, Node's BroadcastChannel, mock-socket)", () => {
  /** `count` tabs of one origin: clients of one name, on one lock manager. */
  function tabs(count: number) {
    const server = createMockServer();
    const { WebSocket, created } = createSocketFactory();
    const locks = new FakeLocks();
    const name = `unit-${Math.random().toString(36).slice(2)}`;
    const clients = Array.from({ length: count }, () =>
      sharedTabs({ name, locks: locks.manager, BroadcastChannel: NodeBroadcastChannel as unknown as typeof BroadcastChannel }).create<
        { n: number },
        { n: number }
      >({ url: server.url, WebSocket }),
    );
    return { server, created, clients };
  }
  const roles = (clients: readonly SharedWebSocketClient<{ n: number }, { n: number }>[]) => clients.map((c) => c.getSnapshot().shared);

  it('one socket: the first tab leads; a follower sees the same state and every message in order, and its sends go out once', async () => {
    const { server, created, clients } = tabs(2);
    const [leader, follower] = clients as [
      SharedWebSocketClient<{ n: number }, { n: number }>,
      SharedWebSocketClient<{ n: number }, { n: number }>,
    ];
    await expect.poll(() => roles(clients)).toEqual(['leader', 'follower']);
    const seen: number[] = [];
    follower.on('message', (message) => seen.push(message.n));
    for (const client of clients) client.acquire();
    await expect.poll(() => clients.map((c) => c.getSnapshot().readyState)).toEqual([1, 1]);
    expect(created).toHaveLength(1);
    for (let n = 0; n < 5; n++) server.connections[0]?.send(JSON.stringify({ n }));
    await expect.poll(() => seen).toEqual([0, 1, 2, 3, 4]);
    expect(leader.getSnapshot().messageCount).toBe(5);
    expect(follower.sendJson({ n: 10 })).toBe('sent');
    expect(leader.sendJson({ n: 11 })).toBe('sent');
    // Each once (between tabs there is no order: the leader's own goes out at once, the other's after the channel).
    await expect.poll(() => [...server.received].sort()).toEqual(['{"n":10}', '{"n":11}']);
    for (const client of clients) client.dispose();
    server.stop();
  });

  it('the leader leaves: the next tab leads and connects again; what a follower wrote meanwhile goes out once, in order', async () => {
    const { server, created, clients } = tabs(3);
    const [first, second, third] = clients as SharedWebSocketClient<{ n: number }, { n: number }>[];
    for (const client of clients) client.acquire();
    await expect.poll(() => clients.map((c) => c.getSnapshot().readyState)).toEqual([1, 1, 1]);
    first?.dispose();
    // The third writes at once: its sends wait for the next leader's connection.
    const results = [third?.sendJson({ n: 1 }), third?.sendJson({ n: 2 })];
    expect(results.every((result) => result === 'sent' || result === 'queued')).toBe(true);
    await expect.poll(() => [second?.getSnapshot().shared, third?.getSnapshot().shared]).toEqual(['leader', 'follower']);
    await expect.poll(() => [second?.getSnapshot().readyState, third?.getSnapshot().readyState]).toEqual([1, 1]);
    expect(created).toHaveLength(2);
    await expect.poll(() => server.received).toEqual(['{"n":1}', '{"n":2}']);
    expect(third?.getSnapshot().queued).toBe(0);
    second?.dispose();
    third?.dispose();
    server.stop();
  });

  it('a new leader passes on every frame to the tabs there, even before it heard from them (a slow tab misses nothing)', async () => {
    const server = createMockServer();
    const { WebSocket } = createSocketFactory();
    const locks = new FakeLocks();
    const name = `unit-${Math.random().toString(36).slice(2)}`;
    /** A channel whose posts wait while `held` (a tab too busy to say anything yet); it hears at once. */
    const gate = { held: false, waiting: [] as (() => void)[] };
    class Held extends NodeBroadcastChannel {
      override postMessage(message: unknown): void {
        if (gate.held) gate.waiting.push(() => super.postMessage(message));
        else super.postMessage(message);
      }
    }
    const make = (Channel: unknown) =>
      sharedTabs({ name, locks: locks.manager, BroadcastChannel: Channel as typeof BroadcastChannel }).create<{ n: number }, { n: number }>(
        {
          url: server.url,
          WebSocket,
        },
      );
    const [first, next, slow] = [make(NodeBroadcastChannel), make(NodeBroadcastChannel), make(Held)] as const;
    const clients = [first, next, slow];
    for (const client of clients) client.acquire();
    await expect.poll(() => clients.map((c) => c.getSnapshot().readyState)).toEqual([1, 1, 1]);
    const seen: number[] = [];
    slow.on('message', (message) => seen.push(message.n));
    // The leader goes; the next leads and connects while the slow tab has not said a word to it.
    gate.held = true;
    first.dispose();
    await expect.poll(() => [next.getSnapshot().shared, next.getSnapshot().readyState]).toEqual(['leader', 1]);
    for (let n = 0; n < 3; n++) server.socket.send(JSON.stringify({ n }));
    await expect.poll(() => next.getSnapshot().messageCount).toBe(3);
    gate.held = false;
    for (const post of gate.waiting.splice(0)) post();
    await expect.poll(() => seen).toEqual([0, 1, 2]);
    expect(slow.getSnapshot().messageCount).toBe(3);
    next.dispose();
    slow.dispose();
    server.stop();
  });

  it('close() from a follower closes the one connection for every tab', async () => {
    const { server, clients } = tabs(2);
    for (const client of clients) client.acquire();
    await expect.poll(() => clients.map((c) => c.getSnapshot().readyState)).toEqual([1, 1]);
    const info = await clients[1]?.close(4100, 'bye');
    expect(info).toMatchObject({ code: 4100, reason: 'bye' });
    await expect.poll(() => clients.map((c) => c.getSnapshot().readyState)).toEqual([3, 3]);
    for (const client of clients) client.dispose();
    server.stop();
  });
  it("a follower's close() resolves (1006, not clean) when no leader answers it: the leader went silent", async () => {
    // A leader that holds the lock, says the connection is open, and is never heard of again.
    // (Its lock is taken from it: that rejects its request.)
    const { server, WebSocket, created, locks, name, Channel } = leaderByHand();
    const gone = new Channel(`rwc-tabs:${name}`);
    const follower = sharedTabs({ name, locks: locks.manager, BroadcastChannel: Channel, beatInterval: 50, takeoverAfter: 300 }).create({
      url: server.url,
      WebSocket,
    });
    const state = { readyState: 1, url: server.url, protocol: '', extensions: '', bufferedAmount: 0, queued: 0, closeInfo: null };
    gone.postMessage({
      t: 'state',
      leader: 'gone',
      term: 1,
      epoch: 'gone:1',
      active: true,
      state: { ...state, reconnectAttempt: 0, nextReconnectAt: null, online: true },
    });
    await expect.poll(() => follower.getSnapshot()).toMatchObject({ shared: 'follower', readyState: 1 });
    let info: unknown;
    void follower.close(4100, 'bye').then((closed) => {
      info = closed;
    });
    await expect.poll(() => info, { timeout: 5000 }).toEqual({ code: 1006, reason: '', wasClean: false });
    // It took the silent leader's place, and does not connect: the connection was closed.
    await expect.poll(() => follower.getSnapshot().shared).toBe('leader');
    expect(created).toHaveLength(0);
    gone.close();
    follower.dispose();
    server.stop();
  });
  it('a close the leader did not answer before it went is asked of the next leader', async () => {
    const { server, WebSocket, locks, name, Channel } = leaderByHand();
    // Two leaders in turn, played by hand: the first never answers; the second hears what the tab asks.
    const gone = new Channel(`rwc-tabs:${name}`);
    const next = new Channel(`rwc-tabs:${name}`);
    const heard: { t: string; method?: string; code?: number }[] = [];
    next.onmessage = (event: MessageEvent) => heard.push(event.data);
    const follower = sharedTabs({ name, locks: locks.manager, BroadcastChannel: Channel, takeoverAfter: 60_000 }).create({
      url: server.url,
      WebSocket,
    });
    const open = {
      readyState: 1,
      url: server.url,
      protocol: '',
      extensions: '',
      bufferedAmount: 0,
      queued: 0,
      closeInfo: null,
      reconnectAttempt: 0,
      nextReconnectAt: null,
      online: true,
    };
    gone.postMessage({ t: 'state', leader: 'gone', term: 1, epoch: 'gone:1', active: true, state: open });
    await expect.poll(() => follower.getSnapshot().readyState).toBe(1);
    void follower.close(4100, 'bye');
    next.postMessage({ t: 'state', leader: 'next', term: 2, epoch: null, active: true, state: { ...open, readyState: 0 } });
    // The channel is one for all: the second tab heard the first asking, then is asked itself.
    const close = { t: 'call', tab: expect.any(String), method: 'close', code: 4100, reason: 'bye' };
    await expect.poll(() => heard.filter((message) => message.t === 'call')).toEqual([close, close]);
    gone.close();
    next.close();
    follower.dispose();
    server.stop();
  });

  it("a follower's sends: queued while no connection is open (counted with the leader's), refused past maxQueue, posted when it opens; open clears the error once", async () => {
    // A leader played by hand: it holds the lock and hears what the tab posts.
    const { server, WebSocket, locks, name, Channel } = leaderByHand();
    const lead = new Channel(`rwc-tabs:${name}`);
    const heard: { t: string; tab: string; id?: number; epoch?: string; data?: unknown }[] = [];
    lead.onmessage = (event: MessageEvent) => heard.push(event.data);
    const follower = sharedTabs({ name, locks: locks.manager, BroadcastChannel: Channel, takeoverAfter: 60_000 }).create({
      url: server.url,
      WebSocket,
      maxQueue: 2,
    });
    const errors: unknown[] = [];
    follower.on('error', (error) => errors.push(error));
    const state = (readyState: number, queued: number) => ({
      readyState,
      url: server.url,
      protocol: '',
      extensions: '',
      bufferedAmount: 0,
      queued,
      closeInfo: null,
      reconnectAttempt: 0,
      nextReconnectAt: null,
      online: true,
    });
    lead.postMessage({ t: 'state', leader: 'lead', term: 1, epoch: null, active: true, state: state(0, 2) });
    await expect.poll(() => follower.getSnapshot()).toMatchObject({ shared: 'follower', readyState: 0, queued: 2 });
    expect([follower.send('a'), follower.send('b'), follower.send('c')]).toEqual(['queued', 'queued', 'rejected']);
    expect(follower.getSnapshot()).toMatchObject({ queued: 4, error: { kind: 'overflow', data: 'c' } });
    expect(errors).toHaveLength(1);
    expect(follower.discardQueued((data) => data === 'a')).toEqual(['a']);
    expect(follower.getSnapshot().queued).toBe(3);
    // It opens: the error is cleared, and what waits is posted for that connection.
    lead.postMessage({ t: 'state', leader: 'lead', term: 1, epoch: 'lead:1', active: true, state: state(1, 2) });
    await expect.poll(() => heard.filter((message) => message.t === 'send')).toMatchObject([{ to: 'lead', epoch: 'lead:1', data: 'b' }]);
    expect(follower.getSnapshot()).toMatchObject({ readyState: 1, queued: 3, error: null });
    // The leader met an error sending it: this tab reports it, with its data; it is answered.
    const send = heard.find((message) => message.t === 'send');
    const ack = { t: 'ack', leader: 'lead', to: send?.tab, id: send?.id, result: 'sent' };
    lead.postMessage({ ...ack, error: { kind: 'send', message: 'boom', timestamp: 5 } });
    await expect
      .poll(() => follower.getSnapshot())
      .toMatchObject({ queued: 2, error: { kind: 'send', message: 'boom', data: 'b', timestamp: 5 } });
    // A state of the same open connection does not clear it (only opening does).
    lead.postMessage({ t: 'state', leader: 'lead', term: 1, epoch: 'lead:1', active: true, state: state(1, 0) });
    await expect.poll(() => follower.getSnapshot().queued).toBe(0);
    expect(follower.getSnapshot().error).toMatchObject({ message: 'boom' });
    expect(errors).toHaveLength(2);
    lead.close();
    follower.dispose();
    server.stop();
  });
});

describe('sharedTabs(): a silent leader', () => {
  const Channel = NodeBroadcastChannel as unknown as typeof BroadcastChannel;

  /** A leader tab, then a follower that waits `takeoverAfter` (50) ms for a word, on one lock manager. */
  function leaderAndFollower(leaderOptions: { beatInterval?: number; BroadcastChannel?: typeof BroadcastChannel }) {
    const server = createMockServer();
    const { WebSocket, created } = createSocketFactory();
    const locks = new FakeLocks();
    const name = `unit-${Math.random().toString(36).slice(2)}`;
    const make = (options: { beatInterval?: number; takeoverAfter?: number; BroadcastChannel?: typeof BroadcastChannel }) =>
      sharedTabs({ name, locks: locks.manager, BroadcastChannel: Channel, ...options }).create<{ n: number }, { n: number }>({
        url: server.url,
        WebSocket,
      });
    const leader = make(leaderOptions);
    const follower = make({ beatInterval: 50, takeoverAfter: 50 });
    // What the follower posts, heard as any tab hears it.
    const heard: string[] = [];
    const spy = new NodeBroadcastChannel(`rwc-tabs:${name}`);
    spy.onmessage = (event) => {
      const message = (event as { data: { t: string; tab?: string } }).data;
      if (message.t === 'hello') heard.push(message.tab ?? '');
    };
    const dispose = () => {
      spy.close();
      leader.dispose();
      follower.dispose();
      server.stop();
    };
    return { leader, follower, created, heard, dispose };
  }

  it('whose beats are late (a hidden tab, timers throttled) is asked, answers, and keeps the connection', async () => {
    // Beats once a minute, as Chrome runs a long-hidden tab's timers.
    const { leader, follower, created, heard, dispose } = leaderAndFollower({ beatInterval: 60_000 });
    for (const client of [leader, follower]) client.acquire();
    await expect.poll(() => [leader, follower].map((c) => c.getSnapshot().readyState)).toEqual([1, 1]);
    // The follower asks again and again (each time the leader is silent for takeoverAfter), never takes over.
    const asked = heard.length;
    await expect.poll(() => heard.length, { timeout: 5000 }).toBeGreaterThan(asked + 5);
    expect([leader, follower].map((c) => c.getSnapshot().shared)).toEqual(['leader', 'follower']);
    expect(created).toHaveLength(1);
    dispose();
  });

  it('that does not answer (hung: it hears nothing) is replaced', async () => {
    // A channel that posts but never delivers: the leader's tab runs nothing of what others say.
    class Deaf {
      readonly #channel: NodeBroadcastChannel;
      constructor(name: string) {
        this.#channel = new NodeBroadcastChannel(name);
      }
      onmessage: unknown = null;
      postMessage(message: unknown) {
        this.#channel.postMessage(message);
      }
      close() {
        this.#channel.close();
      }
    }
    const { leader, follower, created, dispose } = leaderAndFollower({
      beatInterval: 60_000,
      BroadcastChannel: Deaf as unknown as typeof BroadcastChannel,
    });
    leader.acquire();
    follower.acquire();
    await expect.poll(() => follower.getSnapshot().shared, { timeout: 5000 }).toBe('leader');
    await expect.poll(() => created.length).toBe(2);
    dispose();
  });
});
