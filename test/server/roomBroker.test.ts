// @vitest-environment node
// The room's broker seam (ChatRoom with a RoomBroker), without Redis: a stand-in broker that numbers
// packets into a shared MemoryHistory and hands them back when the test says, so that a node that
// lags behind the room can be set up exactly.
import { describe, expect, it } from 'vitest';

import { ChatRoom, type ChatRoomOptions, type PeerLink } from '../../src/server/ChatRoom.ts';
import type { RoomBroker } from '../../src/server/RoomBroker.ts';
import { MemoryHistory } from '../../src/server/MemoryHistory.ts';

/** A link that keeps what it was sent, parsed. */
function link(): PeerLink & { readonly frames: Record<string, unknown>[] } {
  const frames: Record<string, unknown>[] = [];
  return {
    frames,
    open: true,
    send: (text, sent) => {
      frames.push(JSON.parse(text) as Record<string, unknown>);
      sent?.();
    },
    close: () => {},
  };
}

/** A link that keeps the codes it was closed with (closed: no longer open). */
function closable(): PeerLink & { readonly closes: number[] } {
  const closes: number[] = [];
  return {
    closes,
    get open() {
      return closes.length === 0;
    },
    send: (_text, sent) => sent?.(),
    close: (code) => void closes.push(code),
  };
}

/** The shared room (what Redis holds): numbers, keeps; `published` waits for the test to deliver it. */
function sharedRoom() {
  const history = new MemoryHistory(100, 60_000);
  const published: { seq: number; text: string }[] = [];
  let seq = 0;
  const broker: RoomBroker = {
    publish: async (json, at) => {
      const text = `${json.slice(0, -1)},"seq":${++seq}}`;
      history.append({ seq, at, text });
      published.push({ seq, text });
      return seq;
    },
  };
  return { history, broker, published };
}

function options(shared: ReturnType<typeof sharedRoom>): ChatRoomOptions {
  return {
    maxNameLength: 64,
    rejoinWindow: 0,
    dedupeWindow: 60_000,
    dedupeCapacity: 100,
    history: shared.history,
    historyOnJoin: 100,
    historyPageSize: 50,
    maxBufferedAmount: 1 << 20,
    now: () => 1000,
    log: () => {},
    broker: shared.broker,
  };
}

describe('a room with a broker', () => {
  it('delivers only what the broker hands back, in its order; userlist stays local, without seq', async () => {
    const shared = sharedRoom();
    const room = new ChatRoom(options(shared), { epoch: 'e', seq: 0 });
    const peer = link();
    const member = room.join(peer);
    room.rename(member, { type: 'username', name: 'ada' });
    await Promise.resolve();
    // Published (seq 1), not yet delivered: only the local userlist went out.
    expect(shared.published.map((p) => p.seq)).toEqual([1]);
    expect(peer.frames).toEqual([{ type: 'userlist', users: ['ada'] }]);
    for (const { seq, text } of shared.published) room.deliver(seq, text);
    expect(peer.frames.at(-1)).toMatchObject({ type: 'username', name: 'ada', seq: 1 });
  });

  it('a client resuming from a seq this node has not reached gets nothing twice: the catch-up is empty, live skips up to it', async () => {
    const shared = sharedRoom();
    const ahead = new ChatRoom(options(shared), { epoch: 'e', seq: 0 });
    const behind = new ChatRoom(options(shared), { epoch: 'e', seq: 0 });
    const talker = ahead.join(link());
    for (let i = 0; i < 8; i++) ahead.relay(talker, { type: 'message', text: `m${i}` });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // seq 1 is the talker's default name, 2..9 the messages. Node "behind" has delivered up to 5.
    for (const { seq, text } of shared.published.slice(0, 5)) behind.deliver(seq, text);
    const peer = link();
    const member = behind.join(peer);
    await behind.history(member, { type: 'history', after: 7, epoch: 'e' });
    for (const { seq, text } of shared.published.slice(5)) behind.deliver(seq, text);
    const frames = peer.frames;
    expect(frames[0]).toMatchObject({ type: 'history', packets: [], done: true });
    expect(frames[0]).not.toHaveProperty('gap');
    // Only what it did not have: 8 and 9 (6 and 7 came to it on the other node).
    expect(frames.slice(1).map((f) => f.seq)).toEqual([8, 9]);
  });

  it('what a member sends while its name is claimed waits, and follows under that name, in order', async () => {
    const shared = sharedRoom();
    let grant: (index: number) => void = () => {};
    const broker: RoomBroker = {
      publish: shared.broker.publish,
      claimName: () => new Promise<number>((resolve) => (grant = resolve)),
    };
    const room = new ChatRoom({ ...options(shared), broker }, { epoch: 'e', seq: 0 });
    const member = room.join(link());
    room.rename(member, { type: 'username', name: 'ada' });
    room.relay(member, { type: 'message', text: 'first', nonce: 'k1' });
    room.relay(member, { type: 'message', text: 'second', nonce: 'k2' });
    await Promise.resolve();
    expect(shared.published).toEqual([]);
    grant(1); // 'ada' was taken elsewhere: the claim got the second candidate
    await expect.poll(() => shared.published.length).toBe(3);
    expect(shared.published.map((p) => JSON.parse(p.text) as Record<string, unknown>)).toMatchObject([
      { type: 'username', name: 'ada2', seq: 1 },
      { type: 'message', name: 'ada2', text: 'first', seq: 2 },
      { type: 'message', name: 'ada2', text: 'second', seq: 3 },
    ]);
  });

  it('a user rejoining with a session another process gave, while an older connection of it is still open here (that process’s takeover not read yet): that one is closed with 4002, the name is the user’s', async () => {
    const shared = sharedRoom();
    const tried: string[][] = [];
    let olderSession = '';
    const broker: RoomBroker = {
      publish: shared.broker.publish,
      claimName: async (_owner, keys) => {
        tried.push([...keys]);
        return 0;
      },
      // Session 'S2' is the older connection's user on another process (its takeover there passed the author on).
      presence: { session: async (s) => (s === 'S2' ? { name: 'ada', author: olderSession } : null), join: () => {}, leave: () => {} },
    };
    const room = new ChatRoom({ ...options(shared), broker }, { epoch: 'e', seq: 0 });
    const olderLink = closable();
    const older = room.join(olderLink);
    olderSession = older.session;
    room.rename(older, { type: 'username', name: 'ada' });
    await expect.poll(() => shared.published.length).toBe(1);
    const newestLink = closable();
    const newest = room.join(newestLink);
    room.rename(newest, { type: 'username', name: 'ada', session: 'S2' });
    await expect.poll(() => shared.published.length).toBe(2);
    expect(JSON.parse(shared.published[1]!.text)).toMatchObject({ type: 'username', id: newest.id, name: 'ada', rejoin: true });
    expect(tried[1]?.[0]).toBe('ada');
    expect(olderLink.closes).toEqual([4002]);
    // The takeovers then read from the sequence (the older one's, the S2 one's elsewhere) close nothing more here.
    room.rejoinedElsewhere(older.session);
    room.rejoinedElsewhere('S2');
    expect(olderLink.closes).toEqual([4002]);
    expect(newestLink.closes).toEqual([]);
  });

  it('a takeover read from the sequence closes the connection of that session with 4002, only it', () => {
    const shared = sharedRoom();
    const room = new ChatRoom(options(shared), { epoch: 'e', seq: 0 });
    const links = [closable(), closable()];
    const [one] = links.map((l) => room.join(l));
    room.rejoinedElsewhere(one!.session);
    room.rejoinedElsewhere(one!.session);
    room.rejoinedElsewhere('unknown');
    expect(links.map((l) => l.closes)).toEqual([[4002], []]);
  });
});
