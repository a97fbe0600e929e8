// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatStore, immediateScheduler, type ChatConnection, type ChatState, type Scheduler } from '../../src/chat/index.js';
import { createCloseInfo, createWebSocketError } from '../../src/core/index.js';
import type { ClientPacket } from '../../src/protocol/index.js';

/** A connection the test drives by hand: what the store sent, and events to feed it. */
function fakeConnection() {
  const listeners: Record<string, Set<(...args: never[]) => void>> = {
    message: new Set(),
    close: new Set(),
    error: new Set(),
    open: new Set(),
  };
  const sent: ClientPacket[] = [];
  /** What a slow link holds back (the core's outbox), and how many times the store discarded it. */
  const held: ClientPacket[] = [];
  let discards = 0;
  let accepting: boolean | 'queue' = true;
  const connection: ChatConnection = {
    on: ((type: string, listener: (...args: never[]) => void) => {
      listeners[type]?.add(listener);
      return () => listeners[type]?.delete(listener);
    }) as ChatConnection['on'],
    sendJson: (value) => {
      if (!accepting) return 'rejected';
      if (accepting === 'queue') {
        held.push(value);
        return 'queued';
      }
      sent.push(value);
      return 'sent';
    },
    discardQueued: (filter) => {
      discards++;
      const texts = held.splice(0).map((packet) => JSON.stringify(packet));
      const dropped = texts.filter((text) => !filter || filter(text));
      for (const text of texts) if (!dropped.includes(text)) held.push(JSON.parse(text) as ClientPacket);
      return dropped;
    },
  };
  const emit = (type: string, ...args: unknown[]) => {
    for (const listener of listeners[type] ?? []) (listener as (...a: unknown[]) => void)(...args);
  };
  return {
    connection,
    sent,
    listeners,
    receive: (packet: unknown) => emit('message', packet),
    close: (code = 1006) => emit('close', createCloseInfo(code)),
    error: () => emit('error', createWebSocketError('connection', 'failed')),
    refuse: () => (accepting = false),
    holdBack: () => (accepting = 'queue'),
    accept: () => (accepting = true),
    held,
    discards: () => discards,
  };
}

const clock = 1_700_000_000_000;
const now = () => clock;

function setup(
  options: { username?: string; maxEntries?: number; maxUnconfirmed?: number; schedule?: Scheduler; now?: () => number } = {},
) {
  const fake = fakeConnection();
  const store = new ChatStore(fake.connection, {
    username: options.username ?? 'ada',
    maxEntries: options.maxEntries,
    maxUnconfirmed: options.maxUnconfirmed,
    schedule: options.schedule ?? immediateScheduler,
    now: options.now ?? now,
  });
  const states: ChatState[] = [];
  store.subscribe((state) => states.push(state));
  const detach = store.attach();
  return { ...fake, store, states, detach };
}

describe('the MDN flow', () => {
  it('on id, remembers it and asks for the user name', () => {
    const { store, receive, sent } = setup();
    receive({ type: 'id', id: 7 });
    expect(store.getState()).toMatchObject({ clientId: 7, signedIn: true, username: 'ada' });
    expect(sent).toEqual([{ type: 'username', name: 'ada', id: 7, date: clock }]);
  });

  it('records what the server announced of the extension in id, and null for a server without it', () => {
    const { store, receive, close } = setup();
    receive({ type: 'id', id: 7, ext: 1, session: 's', rateMessages: 20, rateInterval: 10_000 });
    expect(store.getState().server).toEqual({ version: 1, rate: { messages: 20, interval: 10_000 } });
    close();
    receive({ type: 'id', id: 8, ext: 1, rateMessages: 0, rateInterval: 10_000 });
    expect(store.getState().server).toEqual({ version: 1, rate: null });
    close();
    receive({ type: 'id', id: 9 });
    expect(store.getState().server).toBeNull();
  });

  it('on rejectusername, adopts the new name and adds the notice', () => {
    const { store, receive } = setup();
    receive({ type: 'id', id: 7 });
    receive({ type: 'rejectusername', id: 7, name: 'ada2' });
    expect(store.getState().username).toBe('ada2');
    expect(store.getState().entries).toEqual([expect.objectContaining({ kind: 'rename', name: 'ada2', requested: 'ada' })]);
  });

  it('on username, adds a sign-in notice with the sender date', () => {
    const { store, receive } = setup();
    receive({ type: 'username', id: 3, name: 'bob', date: 1234 });
    expect(store.getState().entries).toEqual([expect.objectContaining({ kind: 'signin', name: 'bob', date: 1234, senderId: 3 })]);
  });

  it('adds no sign-in notice for a user who merely rejoined (rejoin: true)', () => {
    const { store, receive } = setup();
    receive({ type: 'username', id: 3, name: 'bob', date: 1234 });
    receive({ type: 'username', id: 4, name: 'bob', date: 1300, rejoin: true });
    receive({ type: 'username', id: 5, name: 'carol', date: 1400, rejoin: false });
    expect(store.getState().entries.map((entry) => [entry.kind, entry.kind === 'gap' ? null : entry.name])).toEqual([
      ['signin', 'bob'],
      ['signin', 'carol'],
    ]);
  });

  it("after a reconnect, sends the last id's session back in username, only to a server that announced the extension", () => {
    const { receive, close, sent } = setup();
    receive({ type: 'id', id: 7, ext: 1, session: 's7' });
    close();
    receive({ type: 'id', id: 8, ext: 1, session: 's8' });
    close();
    // A server without the extension (MDN's relays every field to everyone): no session.
    receive({ type: 'id', id: 9 });
    close();
    // Nothing to rejoin with: the last id had no session.
    receive({ type: 'id', id: 10, ext: 1, session: 's10' });
    expect(sent).toEqual([
      { type: 'username', name: 'ada', id: 7, date: clock },
      { type: 'username', name: 'ada', id: 8, date: clock, session: 's7' },
      { type: 'username', name: 'ada', id: 9, date: clock },
      { type: 'username', name: 'ada', id: 10, date: clock },
    ]);
  });

  it('on message, adds it; on userlist, replaces the users', () => {
    const { store, receive } = setup();
    receive({ type: 'id', id: 7 });
    receive({ type: 'message', id: 3, name: 'bob', text: 'hi', date: 5 });
    receive({ type: 'userlist', users: ['bob', null, 'ada'] });
    const state = store.getState();
    expect(state.entries).toEqual([
      expect.objectContaining({ kind: 'message', name: 'bob', text: 'hi', date: 5, own: false, status: 'delivered' }),
    ]);
    expect(state.users).toEqual(['bob', null, 'ada']);
  });

  it("marks a message own by the connection's id: the new one after a reconnect, not the old one", () => {
    const { store, receive, close } = setup();
    receive({ type: 'id', id: 7 });
    receive({ type: 'message', id: 7, name: 'ada', text: 'mine', date: 1 });
    close();
    // Between connections no id is the user's.
    receive({ type: 'message', id: 7, name: 'ada', text: 'between', date: 2 });
    receive({ type: 'id', id: 9 });
    receive({ type: 'message', id: 7, name: 'eve', text: 'old id', date: 3 });
    receive({ type: 'message', id: 9, name: 'ada', text: 'new id', date: 4 });
    expect(store.getState().entries.map((entry) => entry.kind === 'message' && [entry.text, entry.own])).toEqual([
      ['mine', true],
      ['between', false],
      ['old id', false],
      ['new id', true],
    ]);
  });

  it('counts unknown types, reports malformed packets, and carries on', () => {
    const { store, receive } = setup();
    receive({ type: 'typing', id: 3 });
    receive({ type: 'message', id: 3, name: 'bob' });
    receive('not even an object');
    receive({ type: 'message', id: 3, name: 'bob', text: 'still here', date: 1 });
    const state = store.getState();
    expect(state.unknownPackets).toBe(1);
    expect(state.malformedPackets).toBe(2);
    expect(state.error).toMatchObject({ kind: 'packet', data: 'not even an object' });
    expect(state.entries.map((e) => (e.kind === 'message' ? e.text : e.kind))).toEqual(['still here']);
  });

  it('keeps connection errors as the latest error', () => {
    const { store, error } = setup();
    error();
    expect(store.getState().error).toMatchObject({ kind: 'connection' });
  });
});

describe('own messages', () => {
  it('shows a message at once as pending, sends it after sign-in, and marks it delivered on its echo', () => {
    const { store, receive, sent } = setup();
    const entry = store.send('hello');
    expect(entry).toMatchObject({ own: true, status: 'pending', text: 'hello', name: 'ada' });
    expect(sent).toEqual([]);
    receive({ type: 'id', id: 7 });
    const packet = sent[1] as { nonce: string };
    expect(sent[1]).toEqual({ type: 'message', text: 'hello', id: 7, date: clock, nonce: expect.any(String) });
    expect(store.getState().entries[0]).toMatchObject({ status: 'sent' });
    receive({ type: 'message', id: 7, name: 'ada', text: 'hello', date: clock, nonce: packet.nonce });
    expect(store.getState().entries).toHaveLength(1);
    expect(store.getState().entries[0]).toMatchObject({ key: entry?.key, status: 'delivered', senderId: 7 });
    expect(store.getState().unconfirmed).toBe(0);
  });

  it('refuses blank text', () => {
    const { store } = setup();
    expect(store.send('   \n\t')).toBeNull();
    expect(store.getState().entries).toEqual([]);
  });

  it('sends at once when signed in', () => {
    const { store, receive, sent } = setup();
    receive({ type: 'id', id: 1 });
    store.send('now');
    expect(sent.at(-1)).toMatchObject({ type: 'message', text: 'now', id: 1 });
    expect(store.getState().entries[0]).toMatchObject({ status: 'sent' });
  });

  it('keeps what was written across a reconnect, resends in order, and shows nothing twice', () => {
    const { store, receive, sent, close } = setup();
    receive({ type: 'id', id: 1 });
    store.send('one');
    store.send('two');
    const [, first, second] = sent as { nonce: string; text: string; date: number }[];
    // 'one' was relayed before the connection died; 'two' was lost.
    receive({ type: 'message', id: 1, name: 'ada', text: 'one', date: first!.date, nonce: first!.nonce });
    close();
    expect(store.getState().entries.map((e) => e.kind === 'message' && e.status)).toEqual(['delivered', 'pending']);
    store.send('three (offline)');
    receive({ type: 'id', id: 2 });
    const resent = sent.slice(3);
    expect(resent.map((p) => p.type === 'message' && p.text)).toEqual([false, 'two', 'three (offline)']);
    expect((resent[1] as { nonce: string }).nonce).toBe(second!.nonce);
    // A server that relayed 'two' before the drop as well as now: shown once.
    receive({ type: 'message', id: 2, name: 'ada', text: 'two', date: second!.date, nonce: second!.nonce });
    receive({ type: 'message', id: 1, name: 'ada', text: 'two', date: second!.date, nonce: second!.nonce });
    const texts = store.getState().entries.map((e) => (e.kind === 'message' ? `${e.text}:${e.status}` : e.kind));
    expect(texts).toEqual(['one:delivered', 'two:delivered', 'three (offline):sent']);
  });

  it('puts a message, once echoed, where the room has it: after what others wrote meanwhile, above own messages still waiting', () => {
    const { store, receive, sent, close } = setup();
    const bob = (text: string) => receive({ type: 'message', id: 2, name: 'bob', text, date: clock });
    const echo = (packet: ClientPacket | undefined) => receive({ ...(packet as object), name: 'ada' });
    const log = () => store.getState().entries.map((e) => (e.kind === 'message' ? `${e.text}:${e.status}` : e.kind));
    receive({ type: 'id', id: 1 });
    // Ada answers before she sees bob's question: the server relays the question first.
    store.send('yes');
    bob('shall we cancel?');
    echo(sent.at(-1));
    expect(log()).toEqual(['shall we cancel?:delivered', 'yes:delivered']);
    // A burst with no one else writing: each echo leaves it where it is, above those still waiting.
    for (const text of ['a', 'b', 'c']) store.send(text);
    echo(sent.at(-3));
    expect(log().slice(2)).toEqual(['a:delivered', 'b:sent', 'c:sent']);
    echo(sent.at(-2));
    echo(sent.at(-1));
    // Written while the link is down, while bob writes on: in the room's order once all are echoed.
    close();
    store.send('one');
    store.send('two');
    receive({ type: 'id', id: 3 });
    bob('anyone?');
    const [one, two] = sent.filter((p) => p.type === 'message').slice(-2);
    echo(one);
    bob('hello?');
    echo(two);
    expect(log().slice(5)).toEqual(['anyone?:delivered', 'one:delivered', 'hello?:delivered', 'two:delivered']);
    expect(new Set(store.getState().entries.map((e) => e.key)).size).toBe(9);
  });

  it('matches its echo without a nonce, by sender, date and text (a server that drops the field)', () => {
    const { store, receive, sent } = setup();
    receive({ type: 'id', id: 4 });
    store.send('plain');
    const packet = sent[1] as { date: number };
    receive({ type: 'message', id: 4, name: 'ada', text: 'plain', date: packet.date });
    expect(store.getState().entries).toHaveLength(1);
    expect(store.getState().entries[0]).toMatchObject({ status: 'delivered' });
  });

  it('matches the echo of a message held back by a slow link (still pending) without a nonce', () => {
    const { store, receive, holdBack, held } = setup();
    receive({ type: 'id', id: 4 });
    holdBack();
    store.send('slow');
    const packet = held[0] as { date: number };
    // The core sent it later, as the link drained; the server dropped the nonce.
    receive({ type: 'message', id: 4, name: 'ada', text: 'slow', date: packet.date });
    expect(store.getState().entries).toHaveLength(1);
    expect(store.getState().entries[0]).toMatchObject({ text: 'slow', status: 'delivered' });
    expect(store.getState().unconfirmed).toBe(0);
  });

  it('on close, discards only its own queued packets, not what others sent on the connection', () => {
    const { store, receive, holdBack, held, close, connection } = setup();
    receive({ type: 'id', id: 4 });
    holdBack();
    store.send('mine');
    connection.sendJson({ type: 'message', text: 'an app packet', id: 4, date: 1 });
    close();
    expect(held).toEqual([{ type: 'message', text: 'an app packet', id: 4, date: 1 }]);
  });

  it('stays pending when the connection refuses the send', () => {
    const { store, receive, refuse } = setup();
    receive({ type: 'id', id: 4 });
    refuse();
    store.send('x');
    expect(store.getState().entries[0]).toMatchObject({ status: 'pending' });
  });

  it('refuses past maxUnconfirmed with a visible overflow error, and accepts again once echoes arrive', () => {
    const { store, receive, sent } = setup({ maxUnconfirmed: 3 });
    receive({ type: 'id', id: 7 });
    for (const text of ['a', 'b', 'c']) expect(store.send(text)).not.toBeNull();
    expect(store.send('d')).toBeNull();
    expect(store.getState().error).toMatchObject({ kind: 'overflow', data: 'd' });
    expect(store.getState().error?.message).toMatch(/3 messages are still waiting/);
    expect(store.getState().unconfirmed).toBe(3);
    expect(store.getState().entries.map((e) => (e.kind === 'message' ? e.text : e.kind))).toEqual(['a', 'b', 'c']);
    const first = sent.find((p) => p.type === 'message');
    receive({ ...first, name: 'ada' });
    expect(store.send('d')).not.toBeNull();
    expect(store.getState().unconfirmed).toBe(3);
  });

  it('keeps a message held back by a slow link pending, and drops the stale copy when the link closes', () => {
    const { store, receive, sent, held, holdBack, accept, close, discards } = setup();
    receive({ type: 'id', id: 7 });
    holdBack();
    store.send('slow');
    expect(held).toHaveLength(1);
    expect(store.getState().entries[0]).toMatchObject({ text: 'slow', status: 'pending' });
    close();
    expect(discards()).toBe(1);
    expect(held).toHaveLength(0);
    accept();
    receive({ type: 'id', id: 8 });
    // After the name, not before it: the server would not know who wrote it.
    expect(sent.slice(-2).map((p) => p.type)).toEqual(['username', 'message']);
    expect(sent.filter((p) => p.type === 'message')).toHaveLength(1);
    expect(store.getState().entries[0]).toMatchObject({ text: 'slow', status: 'sent' });
  });

  it('asks for a new name at once when connected, or at the next sign-in', () => {
    const { store, receive, sent } = setup();
    store.setUsername('grace');
    receive({ type: 'id', id: 9 });
    expect(sent).toEqual([{ type: 'username', name: 'grace', id: 9, date: clock }]);
    store.setUsername('hopper');
    expect(sent.at(-1)).toEqual({ type: 'username', name: 'hopper', id: 9, date: clock });
    expect(store.getState().username).toBe('hopper');
  });
});

describe('publishing', () => {
  it('publishes a burst of packets as one update, with unchanged slices keeping their identity', () => {
    let pending: (() => void) | null = null;
    const schedule: Scheduler = (flush) => {
      pending = flush;
      return () => (pending = null);
    };
    const { store, receive, states } = setup({ schedule });
    receive({ type: 'userlist', users: ['bob'] });
    pending!();
    const users = store.getState().users;
    for (let i = 0; i < 500; i++) receive({ type: 'message', id: 3, name: 'bob', text: `m${i}`, date: i });
    expect(states).toHaveLength(1);
    pending!();
    expect(states).toHaveLength(2);
    expect(store.getState().entries).toHaveLength(500);
    expect(store.getState().users).toBe(users);
    expect(Object.isFrozen(store.getState())).toBe(true);
    expect(Object.isFrozen(store.getState().entries)).toBe(true);
  });

  it('getState() trails a send until the publication; flush() makes it exact at once', () => {
    const paused: Scheduler = () => () => {};
    const { store, receive } = setup({ schedule: paused });
    receive({ type: 'id', id: 7 });
    store.flush();
    store.send('bye');
    expect(store.getState().unconfirmed).toBe(0);
    store.flush();
    expect(store.getState().unconfirmed).toBe(1);
    expect(store.getState().entries.at(-1)).toMatchObject({ text: 'bye', own: true });
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const { store, receive } = setup({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) receive({ type: 'message', id: 3, name: 'bob', text: `m${i}`, date: i });
    expect(store.getState().entries.map((e) => (e.kind === 'message' ? e.text : ''))).toEqual(['m7', 'm8', 'm9']);
  });

  it('stays bounded while publishing is paused (animation frames stop in a hidden tab)', () => {
    const paused: Scheduler = () => () => {};
    const { store, receive } = setup({ maxEntries: 100, schedule: paused });
    for (let i = 0; i < 10_000; i++) receive({ type: 'message', id: 3, name: 'bob', text: `m${i}`, date: i });
    const working = (store as unknown as { entries: unknown[] }).entries;
    expect(working.length).toBeLessThan(100 + 64);
    store.flush();
    const texts = store.getState().entries.map((e) => (e.kind === 'message' ? e.text : ''));
    expect(texts).toHaveLength(100);
    expect(texts.at(-1)).toBe('m9999');
  });

  it('gives every entry a unique, stable key', () => {
    const { store, receive } = setup();
    for (let i = 0; i < 50; i++) receive({ type: 'username', id: i, name: `u${i}`, date: i });
    const keys = store.getState().entries.map((e) => e.key);
    expect(new Set(keys).size).toBe(50);
    receive({ type: 'username', id: 99, name: 'late', date: 99 });
    expect(
      store
        .getState()
        .entries.slice(0, 50)
        .map((e) => e.key),
    ).toEqual(keys);
  });

  it('stops following the connection when detached', () => {
    const { store, receive, detach, listeners } = setup();
    detach();
    receive({ type: 'id', id: 1 });
    expect(store.getState().clientId).toBeNull();
    expect(Object.values(listeners).every((set) => set.size === 0)).toBe(true);
  });
});

describe("pacing to the server's rate", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A store on the fake clock, signed in to a server that announced 5 frames per second. */
  function paced() {
    const chat = setup({ now: () => Date.now() });
    chat.receive({ type: 'id', id: 7, ext: 1, rateMessages: 5, rateInterval: 1000 });
    return chat;
  }
  const texts = (sent: readonly ClientPacket[]) =>
    sent.map((packet) => (packet.type === 'message' ? packet.text : packet.type === 'username' ? `name:${packet.name}` : packet.type));
  const statuses = (state: ChatState) => state.entries.map((entry) => (entry.kind === 'message' ? entry.status : entry.kind));

  it('sends the burst the rate allows (one token held back), then one frame per token, in order, pending until sent', () => {
    const { store, sent } = paced();
    for (let i = 0; i < 6; i++) store.send(`m${i}`);
    // The name and three messages: four of the five tokens.
    expect(texts(sent)).toEqual(['name:ada', 'm0', 'm1', 'm2']);
    expect(statuses(store.getState())).toEqual(['sent', 'sent', 'sent', 'pending', 'pending', 'pending']);
    // A rename waits its turn behind them.
    store.setUsername('ada2');
    vi.advanceTimersByTime(199);
    expect(sent).toHaveLength(4);
    vi.advanceTimersByTime(1); // 200 ms: one token
    expect(texts(sent)).toEqual(['name:ada', 'm0', 'm1', 'm2', 'm3']);
    expect(statuses(store.getState())).toEqual(['sent', 'sent', 'sent', 'sent', 'pending', 'pending']);
    vi.advanceTimersByTime(600);
    expect(texts(sent)).toEqual(['name:ada', 'm0', 'm1', 'm2', 'm3', 'm4', 'm5', 'name:ada2']);
    expect(statuses(store.getState())).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never outruns the rate: in any window, at most the burst plus what refilled', () => {
    const { store, sent } = paced();
    const start = Date.now();
    for (let i = 0; i < 40; i++) store.send(`m${i}`);
    const times: number[] = sent.map(() => start);
    while (sent.length < 41) {
      const before = sent.length;
      vi.advanceTimersToNextTimer();
      for (let i = before; i < sent.length; i++) times.push(Date.now());
    }
    for (let i = 0; i < times.length; i++) {
      // By the frame's time, the server's bucket (5, full at the start, 5 per s) had room for it,
      // and a token to spare.
      expect(i + 1).toBeLessThanOrEqual(5 - 1 + ((times[i] as number) - start) / 200);
    }
    // And the store used that room: 41 frames (the name and 40 messages) in (41 - 4) × 200 ms.
    expect(Date.now() - start).toBe(37 * 200);
  });

  it('does not pace against a server that announced no rate (MDN sample server)', () => {
    const { store, sent, receive } = setup({ now: () => Date.now() });
    receive({ type: 'id', id: 7 });
    for (let i = 0; i < 50; i++) store.send(`m${i}`);
    expect(sent).toHaveLength(51);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a close drops what waits and its timer; after the next sign-in it all goes again, in order, paced', () => {
    const { store, sent, receive, close } = paced();
    for (let i = 0; i < 6; i++) store.send(`m${i}`);
    close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(4);
    expect(statuses(store.getState())).toEqual(Array(6).fill('pending'));
    receive({ type: 'id', id: 8, ext: 1, rateMessages: 5, rateInterval: 1000 });
    expect(texts(sent.slice(4))).toEqual(['name:ada', 'm0', 'm1', 'm2']);
    vi.advanceTimersByTime(600);
    expect(texts(sent.slice(4))).toEqual(['name:ada', 'm0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('detaching cancels the timer', () => {
    const { store, sent, detach } = paced();
    for (let i = 0; i < 6; i++) store.send(`m${i}`);
    expect(vi.getTimerCount()).toBe(1);
    detach();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(4);
  });
});
