// @vitest-environment node
// The store's opt-in history (chatHistory()): what it asks for and when, and that the log shows
// every room packet once and in the room's order whatever arrives twice or early. A connection
// driven by hand; the same against the real server: chatHistory.server.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ChatStore, chatHistory, immediateScheduler, messageEdits, type ChatEntry, type ChatHistory } from '../../src/chat/index.js';
import { createCloseInfo } from '../../src/core/index.js';
import { CATCH_UP_HOLD_MS } from '../../src/chat/chatHistory.js';
import { handDrivenConnection } from '../helpers/handDrivenConnection.js';

const NOW = 1_700_000_000_000;
const EPOCH = 'epoch-1';

function setup(history: ChatHistory | null = chatHistory({ now: () => NOW })) {
  const { connection, sent, emit } = handDrivenConnection();
  const store = new ChatStore(connection, { username: 'ada', schedule: immediateScheduler, now: () => NOW, history });
  store.attach();
  return {
    store,
    sent,
    receive: (packet: unknown) => emit('message', packet),
    close: () => emit('close', createCloseInfo(1006)),
    /** The `id` of a server that keeps history, the room at `seq`. */
    join: (id: number, seq: number, epoch = EPOCH) =>
      emit('message', { type: 'id', id, ext: 1, session: `s${id}`, history: 200, seq, epoch }),
  };
}

const message = (seq: number, text = `m${seq}`, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  id: 9,
  name: 'bob',
  text,
  date: NOW + seq,
  seq,
  ...extra,
});
const frame = (packets: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'history', packets, ...extra });
/** What the log shows, one word per entry: message texts, `signin:NAME`, `gap:SEQ`. */
const log = (entries: readonly ChatEntry[]) =>
  entries.map((entry) => {
    if (entry.kind === 'message') return entry.text;
    if (entry.kind === 'gap') return `gap:${entry.before}`;
    return `${entry.kind}:${entry.name}`;
  });

describe('without chatHistory()', () => {
  it('asks for nothing and shows packets as they come, seq or not', () => {
    const { store, sent, receive, join } = setup(null);
    join(1, 5);
    receive(message(7));
    receive(message(6));
    receive(message(7));
    expect(sent.map((packet) => packet.type)).toEqual(['username']);
    expect(log(store.getState().entries)).toEqual(['m7', 'm6', 'm7']);
    expect(store.getState().history).toBeUndefined();
  });
});

describe('chatHistory()', () => {
  it("sends nothing of the extension to a server whose id announces no history (MDN's)", () => {
    const { store, sent, receive } = setup();
    receive({ type: 'id', id: 1 });
    receive({ type: 'history', packets: [message(1, 'forged')], done: true });
    expect(sent).toEqual([{ type: 'username', name: 'ada', id: 1, date: NOW }]);
    expect(store.getState().history?.loadOlder()).toBe(false);
    expect(store.getState().history).toMatchObject({ available: false });
    // A `history` frame there is nobody's reply: counted as unknown, not shown.
    expect(store.getState()).toMatchObject({ unknownPackets: 1, entries: [] });
  });

  it('on the first join asks for the recent history before its name, holds live packets until the catch-up is done', () => {
    const { store, sent, receive, join } = setup();
    join(3, 4);
    expect(sent.map((packet) => packet.type)).toEqual(['history', 'username']);
    expect(sent[0]).toEqual({ type: 'history' });
    expect(store.getState().history).toMatchObject({ available: true, catchingUp: true, caughtUp: 0 });
    // Live packets after the join come before the catch-up's frames; one also comes twice.
    receive(message(5));
    receive(message(6));
    receive(message(5));
    expect(log(store.getState().entries)).toEqual([]);
    receive(frame([message(2), { type: 'userlist', users: ['bob'], seq: 3 }, message(4)], { done: true }));
    expect(log(store.getState().entries)).toEqual(['m2', 'm4', 'm5', 'm6']);
    expect(store.getState().history).toMatchObject({ catchingUp: false, caughtUp: 1 });
    // A user list from the history is stale: the live one counts.
    expect(store.getState().users).toEqual([]);
    receive(message(6));
    receive(message(7));
    expect(log(store.getState().entries)).toEqual(['m2', 'm4', 'm5', 'm6', 'm7']);
  });

  it('after a reconnect asks for what it missed since the last seq shown, and shows each packet once, in order', () => {
    const { store, sent, receive, join, close } = setup();
    join(1, 0);
    receive(frame([], { done: true }));
    for (const seq of [1, 2, 3]) receive(message(seq));
    close();
    expect(store.getState().history).toMatchObject({ available: false });
    join(2, 8);
    expect(sent.at(-2)).toEqual({ type: 'history', after: 3, epoch: EPOCH });
    receive(message(9));
    // Catch-up frames that overlap what was shown and each other.
    receive(frame([message(2), message(3), message(4), message(5)]));
    receive(frame([message(5), message(6)]));
    receive(frame([message(7), message(8), message(9)], { done: true }));
    receive(message(10));
    expect(log(store.getState().entries)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10']);
  });

  it("gives every entry a unique key, the history's and the store's, over a catch-up of thousands", () => {
    const { store, receive, join } = setup();
    join(1, 0);
    const signIns = Array.from({ length: 60 }, (_, i) => ({ type: 'username', id: 100 + i, name: `u${i}`, date: NOW, seq: i + 1 }));
    const messages = Array.from({ length: 2000 }, (_, i) => message(61 + i));
    receive(frame([...signIns, ...messages], { done: true }));
    store.send('mine');
    const keys = store.getState().entries.map((entry) => entry.key);
    expect(keys).toHaveLength(2061);
    expect(new Set(keys).size).toBe(2061);
    expect(log(store.getState().entries).slice(58, 62)).toEqual(['signin:u58', 'signin:u59', 'm61', 'm62']);
  });

  it('keeps the entries slice (its identity) when only the history state changes', () => {
    const { store, receive, join } = setup();
    receive({ type: 'id', id: 1 });
    receive(message(1));
    const entries = store.getState().entries;
    join(2, 1);
    receive(frame([], { done: true }));
    expect(store.getState().history).toMatchObject({ available: true, catchingUp: false });
    expect(store.getState().entries).toBe(entries);
  });

  it('puts a gap entry where the server says some packets are gone', () => {
    const { store, receive, join, close } = setup();
    join(1, 2);
    receive(frame([message(1), message(2)], { done: true }));
    close();
    join(2, 20);
    receive(frame([message(15), message(16)], { gap: 15, done: true }));
    const entries = store.getState().entries;
    expect(log(entries)).toEqual(['m1', 'm2', 'gap:15', 'm15', 'm16']);
    expect(entries[2]).toEqual({ kind: 'gap', key: expect.any(String), date: NOW, before: 15 });
  });

  it('after a restarted server (another epoch) starts counting again: its packets are not taken for duplicates', () => {
    const { store, sent, receive, join, close } = setup();
    join(1, 0);
    receive(frame([], { done: true }));
    for (const seq of [1, 2, 3, 4, 5]) receive(message(seq, `old${seq}`));
    close();
    join(1, 2, 'epoch-2');
    expect(sent.at(-2)).toEqual({ type: 'history', after: 5, epoch: EPOCH });
    receive(frame([message(1, 'new1'), message(2, 'new2')], { gap: 1, done: true }));
    receive(message(3, 'new3'));
    expect(log(store.getState().entries)).toEqual(['old1', 'old2', 'old3', 'old4', 'old5', 'gap:1', 'new1', 'new2', 'new3']);
  });

  it('shows sign-ins from the history marked as history (none for a rejoin); live ones as new', () => {
    const { store, receive, join } = setup();
    join(5, 3);
    receive(
      frame(
        [
          { type: 'username', id: 1, name: 'bob', date: NOW, seq: 1 },
          { type: 'username', id: 2, name: 'bob', date: NOW, seq: 2, rejoin: true },
          { type: 'username', id: 3, name: 'cy', date: NOW, seq: 3 },
        ],
        { done: true },
      ),
    );
    receive({ type: 'username', id: 5, name: 'ada', date: NOW, seq: 4 });
    const signins = store.getState().entries.filter((entry) => entry.kind === 'signin');
    expect(signins.map((entry) => [entry.name, entry.history ?? false])).toEqual([
      ['bob', true],
      ['cy', true],
      ['ada', false],
    ]);
  });

  it('confirms its own message from the catch-up after a reconnect, and drops the echo of its resend', () => {
    const { store, sent, receive, join, close } = setup();
    join(1, 0);
    receive(frame([], { done: true }));
    const own = store.send('hello');
    const nonce = (sent.at(-1) as { nonce: string }).nonce;
    close();
    join(2, 1);
    // The original went out before the link died: the catch-up has it.
    receive(frame([message(1, 'hello', { id: 1, name: 'ada', nonce })], { done: true }));
    receive({ type: 'message', id: 2, name: 'ada', text: 'hello', date: NOW, nonce }); // the resend's echo: no seq
    const entries = store.getState().entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ key: own?.key, status: 'delivered', own: true });
    expect(store.getState().unconfirmed).toBe(0);
  });

  it('reports a packet of the history that does not decode, as it would a live one', () => {
    const { store, receive, join } = setup();
    join(1, 2);
    receive(frame([{ type: 'message', seq: 1, text: 42 }, message(2)], { done: true }));
    expect(log(store.getState().entries)).toEqual(['m2']);
    expect(store.getState().malformedPackets).toBe(1);
  });

  it('drops what was held when the connection closes mid catch-up, and asks again from the last shown', () => {
    const { store, sent, receive, join, close } = setup();
    join(1, 0);
    receive(frame([], { done: true }));
    receive(message(1));
    close();
    join(2, 4);
    receive(message(5)); // held
    receive(frame([message(2)])); // not done
    close();
    join(3, 6);
    expect(sent.at(-2)).toEqual({ type: 'history', after: 2, epoch: EPOCH });
    receive(frame([message(3), message(4), message(5), message(6)], { done: true }));
    expect(log(store.getState().entries)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('history.loadOlder() asks for the page before the oldest shown and puts it first; not while one is on its way, nor when there is none', () => {
    const { store, sent, receive, join } = setup();
    join(1, 10);
    expect(store.getState().history?.loadOlder()).toBe(false); // the catch-up first
    receive(frame([message(9), message(10)], { done: true }));
    expect(store.getState().history?.loadOlder()).toBe(true);
    expect(sent.at(-1)).toEqual({ type: 'history', before: 9, limit: 50 });
    expect(store.getState().history).toMatchObject({ loadingOlder: true });
    expect(store.getState().history?.loadOlder()).toBe(false);
    // Overlapping the log: only what is older is put first.
    receive(frame([message(7), message(8), message(9)], { before: 9, more: true }));
    expect(log(store.getState().entries)).toEqual(['m7', 'm8', 'm9', 'm10']);
    expect(store.getState().history?.loadOlder()).toBe(true);
    expect(sent.at(-1)).toEqual({ type: 'history', before: 7, limit: 50 });
    receive(frame([{ type: 'username', id: 9, name: 'bob', date: NOW, seq: 5 }, message(6)], { before: 7, more: false }));
    expect(log(store.getState().entries)).toEqual(['signin:bob', 'm6', 'm7', 'm8', 'm9', 'm10']);
    expect(store.getState().history).toMatchObject({ loadingOlder: false, more: false });
    expect(store.getState().history?.loadOlder()).toBe(false);
  });

  describe('a catch-up publishes its rows together (one render of the log, not one per publication)', () => {
    afterEach(() => vi.useRealTimers());

    it('holds the log while its frames come (the history state and own messages still counted), then publishes it all with the catch-up done', () => {
      const { store, receive, join } = setup();
      join(1, 0);
      receive(frame([], { done: true }));
      receive(message(1));
      const before = store.getState().entries;
      join(2, 5);
      receive(frame([message(2), message(3)]));
      receive(message(6)); // live, after the catch-up
      const own = store.send('typed meanwhile');
      receive(frame([message(4)]));
      // Published meanwhile: the history's state, not the log.
      expect(store.getState().history).toMatchObject({ catchingUp: true });
      expect(store.getState().unconfirmed).toBe(1);
      expect(store.getState().entries).toBe(before);
      receive(frame([message(5)], { done: true }));
      expect(store.getState().history).toMatchObject({ catchingUp: false, caughtUp: 2 });
      expect(log(store.getState().entries)).toEqual(['m1', 'm2', 'm3', 'typed meanwhile', 'm4', 'm5', 'm6']);
      expect(store.getState().entries).toContainEqual(expect.objectContaining({ key: own?.key, own: true }));
      // Live again: each packet as it comes.
      receive(message(7));
      expect(log(store.getState().entries).at(-1)).toBe('m7');
    });

    it(`shows what came so far after ${CATCH_UP_HOLD_MS} ms of a slow catch-up, then the rest as it comes`, () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { store, receive, join } = setup();
      join(1, 4);
      receive(frame([message(1)]));
      vi.advanceTimersByTime(CATCH_UP_HOLD_MS - 1);
      expect(log(store.getState().entries)).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(log(store.getState().entries)).toEqual(['m1']);
      expect(store.getState().history).toMatchObject({ catchingUp: true });
      receive(frame([message(2)]));
      expect(log(store.getState().entries)).toEqual(['m1', 'm2']);
      receive(frame([message(3), message(4)], { done: true }));
      expect(log(store.getState().entries)).toEqual(['m1', 'm2', 'm3', 'm4']);
    });

    it('publishes the catch-up at once when it ends, not at the next scheduled publication', () => {
      const { connection, emit } = handDrivenConnection();
      // A scheduler that runs nothing until told: what is published without it was published at once.
      const queued: (() => void)[] = [];
      const store = new ChatStore(connection, {
        username: 'ada',
        now: () => NOW,
        history: chatHistory({ now: () => NOW }),
        schedule: (flush) => {
          queued.push(flush);
          return () => {};
        },
      });
      store.attach();
      emit('message', { type: 'id', id: 1, ext: 1, session: 's1', history: 200, seq: 3, epoch: EPOCH });
      emit('message', frame([message(1), message(2)]));
      emit('message', message(4)); // live, held until the catch-up is done
      expect(log(store.getState().entries)).toEqual([]);
      emit('message', frame([message(3)], { done: true }));
      expect(log(store.getState().entries)).toEqual(['m1', 'm2', 'm3', 'm4']);
      expect(store.getState().history).toMatchObject({ catchingUp: false, caughtUp: 1 });
    });

    it('lets the log go when the connection closes mid catch-up', () => {
      const { store, receive, join, close } = setup();
      join(1, 4);
      receive(frame([message(1), message(2)]));
      expect(log(store.getState().entries)).toEqual([]);
      close();
      expect(log(store.getState().entries)).toEqual(['m1', 'm2']);
    });
  });
});

describe('a message the history serves deleted (the server erased its text: `text: ""`, `deleted: true`)', () => {
  const deleted = (seq: number) => message(seq, '', { nonce: `n${seq}`, deleted: true });
  const deletion = (seq: number, of: number) => ({ type: 'delete', id: 9, name: 'bob', nonce: `n${of}`, date: NOW + seq, seq });

  /**
   * A store with chatHistory(), and messageEdits() or not, caught up on a server that announces
   * history and edits: bob wrote m1 (deleted since), m2, m3, m4 (deleted since) and m7; the catch-up
   * starts at m3, and holds both deletes.
   */
  function caughtUp(edits: boolean) {
    const { connection, sent, emit } = handDrivenConnection();
    const store = new ChatStore(connection, {
      username: 'ada',
      schedule: immediateScheduler,
      now: () => NOW,
      history: chatHistory({ now: () => NOW }),
      edits: edits ? messageEdits() : null,
    });
    store.attach();
    const receive = (packet: unknown) => emit('message', packet);
    receive({ type: 'id', id: 5, ext: 1, session: 's5', history: 200, seq: 7, epoch: EPOCH, edits: true });
    receive(frame([message(3), deleted(4), deletion(5, 4), deletion(6, 1), message(7)], { done: true }));
    return { store, sent, receive };
  }
  const messages = (store: ChatStore) =>
    store.getState().entries.flatMap((entry) => (entry.kind === 'message' ? [`${entry.text}${entry.deleted ? '[deleted]' : ''}`] : []));

  it('without messageEdits(), is left out of the log, from a catch-up and from an older page: no empty row', () => {
    const { store, sent, receive } = caughtUp(false);
    expect(sent.find((packet) => packet.type === 'username')).not.toHaveProperty('edits');
    expect(messages(store)).toEqual(['m3', 'm7']);
    expect(store.getState().history?.loadOlder()).toBe(true);
    receive(frame([deleted(1), message(2)], { before: 3, more: true }));
    expect(messages(store)).toEqual(['m2', 'm3', 'm7']);
    // Its place in the room's sequence counts as shown: the next page is older than it.
    expect(store.getState().history?.loadOlder()).toBe(true);
    expect(sent.at(-1)).toEqual({ type: 'history', before: 1, limit: 50 });
    expect(store.getState().malformedPackets).toBe(0);
  });

  it('with messageEdits() (its username says it understands edits), shows as the tombstone, as before', () => {
    const { store, sent, receive } = caughtUp(true);
    expect(sent.find((packet) => packet.type === 'username')).toMatchObject({ edits: true });
    expect(messages(store)).toEqual(['m3', '[deleted]', 'm7']);
    expect(store.getState().history?.loadOlder()).toBe(true);
    receive(frame([deleted(1), message(2)], { before: 3, more: true }));
    expect(messages(store)).toEqual(['[deleted]', 'm2', 'm3', '[deleted]', 'm7']);
  });
});
