// @vitest-environment node
// The durable outbox over an in-memory OutboxStorage (no fake-indexeddb here) and a stand-in for
// Web Locks: what is kept, restored, failed, retried and discarded. The IndexedDB adapter itself is
// tested in Chromium (test/e2e/outbox.e2e.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ChatStore,
  OUTBOX_LOCK_PREFIX,
  immediateScheduler,
  persistentOutbox,
  type ChatMessageEntry,
  type OutboxRecord,
  type OutboxStorage,
  type PersistentOutboxOptions,
} from '../../src/chat/index.js';
import { createCloseInfo } from '../../src/core/index.js';
import type { ClientPacket } from '../../src/protocol/index.js';
import { handDrivenConnection } from '../helpers/handDrivenConnection.js';

const URL_A = 'ws://127.0.0.1:6502/';

/** The narrow storage interface in memory; `fail` makes every call reject. */
function memoryStorage() {
  const records = new Map<string, OutboxRecord>();
  const key = (room: string, nonce: string) => `${room}\u0000${nonce}`;
  let failure: Error | null = null;
  let loads = 0;
  const check = () => {
    if (failure) throw failure;
  };
  const storage: OutboxStorage = {
    load: async (room) => {
      check();
      loads++;
      return [...records.values()].filter((record) => record.room === room);
    },
    put: async (record) => {
      check();
      records.set(key(record.room, record.nonce), record);
    },
    delete: async (room, nonce) => {
      check();
      records.delete(key(room, nonce));
    },
  };
  return { storage, records, loads: () => loads, fail: (error: Error) => (failure = error) };
}

/** Web Locks as the outbox uses them: exclusive named locks held while their callback's promise is pending. */
function memoryLocks() {
  const held = new Set<string>();
  const queues = new Map<string, Promise<unknown>>();
  const locks: NonNullable<PersistentOutboxOptions['locks']> = {
    request: ((name: string, callback: () => Promise<unknown>) => {
      const previous = queues.get(name) ?? Promise.resolve();
      const result = previous.then(async () => {
        held.add(name);
        try {
          return await callback();
        } finally {
          held.delete(name);
        }
      });
      queues.set(
        name,
        result.catch(() => {}),
      );
      return result;
    }) as LockManager['request'],
    query: async () => ({ held: [...held].map((name) => ({ name, mode: 'exclusive' as const })), pending: [] }),
  };
  return { locks, held };
}

/** A connection driven by hand ({@link handDrivenConnection}), with `open`. */
function fakeConnection() {
  const { connection, sent, emit } = handDrivenConnection();
  return {
    connection,
    sent,
    open: (url = URL_A) => emit('open', { url, protocol: 'json', extensions: '' }),
    receive: (packet: unknown) => emit('message', packet),
    close: () => emit('close', createCloseInfo(1006)),
  };
}

/** One page: a store with the outbox, attached, and its connection opened (not signed in yet). */
function page(options: PersistentOutboxOptions, username = 'ada') {
  const fake = fakeConnection();
  const store = new ChatStore(fake.connection, { username, schedule: immediateScheduler, persist: persistentOutbox(options) });
  const detach = store.attach();
  fake.open();
  return { ...fake, store, detach };
}

const messages = (store: ChatStore) => store.getState().entries.filter((entry): entry is ChatMessageEntry => entry.kind === 'message');
const sentMessages = (sent: ClientPacket[]) => sent.filter((packet) => packet.type === 'message');

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('persistentOutbox', () => {
  it('keeps an own message under the URL and the user name until the server echoes it', async () => {
    const { storage, records } = memoryStorage();
    const { store, receive, sent } = page({ storage, locks: null });
    receive({ type: 'id', id: 1 });
    store.send('hello');
    await vi.waitFor(() => expect([...records.values()]).toEqual([expect.objectContaining({ room: `${URL_A}\nada`, text: 'hello' })]));
    const [packet] = sentMessages(sent) as [Extract<ClientPacket, { type: 'message' }>];
    expect([...records.values()][0]).toMatchObject({ nonce: packet.nonce, date: packet.date });
    receive({ ...packet, id: 1, name: 'ada' });
    await vi.waitFor(() => expect(records.size).toBe(0));
  });

  it('writes what was written before the connection first opened once the URL is known', async () => {
    const { storage, records } = memoryStorage();
    const fake = fakeConnection();
    const store = new ChatStore(fake.connection, {
      username: 'ada',
      schedule: immediateScheduler,
      persist: persistentOutbox({ storage, locks: null }),
    });
    store.attach();
    store.send('early');
    await Promise.resolve();
    expect(records.size).toBe(0);
    fake.open();
    await vi.waitFor(() => expect([...records.values()].map((record) => [record.room, record.text])).toEqual([[`${URL_A}\nada`, 'early']]));
  });

  it('restores the messages of a page that is gone, in order, pending, with their date and nonce, and sends them once signed in', async () => {
    const { storage, records } = memoryStorage();
    const { locks } = memoryLocks();
    const first = page({ storage, locks });
    for (const text of ['one', 'two', 'three']) first.store.send(text);
    await vi.waitFor(() => expect(records.size).toBe(3));
    const written = messages(first.store).map(({ text, date }) => ({ text, date }));
    const nonces = [...records.values()].sort((a, b) => a.order - b.order).map((record) => record.nonce);
    first.detach(); // the page is gone: its lock is released

    const second = page({ storage, locks });
    await vi.waitFor(() => expect(messages(second.store).map((entry) => entry.text)).toEqual(['one', 'two', 'three']));
    expect(messages(second.store).map(({ text, date, status, own }) => ({ text, date, status, own }))).toEqual(
      written.map((message) => ({ ...message, status: 'pending', own: true })),
    );
    second.receive({ type: 'id', id: 2 });
    expect(sentMessages(second.sent).map((packet) => (packet as { nonce?: string }).nonce)).toEqual(nonces);
    for (const packet of sentMessages(second.sent)) second.receive({ ...packet, id: 2, name: 'ada' });
    expect(messages(second.store).map((entry) => entry.status)).toEqual(['delivered', 'delivered', 'delivered']);
    await vi.waitFor(() => expect(records.size).toBe(0));
  });

  it('does not restore a message the log already shows (a catch-up brought it first), and forgets it', async () => {
    const { storage, records } = memoryStorage();
    records.set(`${URL_A}\nada\u0000old-1`, { room: `${URL_A}\nada`, nonce: 'old-1', text: 'caught up', date: 5, order: 1, owner: 'gone' });
    const { store, receive } = page({ storage, locks: null });
    // Before the storage answered: the previous page's message, as the room's history replays it.
    receive({ type: 'message', id: 9, name: 'ada', text: 'caught up', date: 5, nonce: 'old-1' });
    await vi.waitFor(() => expect(records.size).toBe(0));
    expect(messages(store).map((entry) => entry.text)).toEqual(['caught up']);
  });

  it('gives its lock back when detached, also after an attach, detach, attach in a row (StrictMode effects)', async () => {
    const { storage, records } = memoryStorage();
    const { locks, held } = memoryLocks();
    const first = page({ storage, locks });
    first.detach();
    const detach = first.store.attach();
    first.store.send('strict');
    await vi.waitFor(() => expect(records.size).toBe(1));
    detach();
    await vi.waitFor(() => expect([...held]).toEqual([]));

    const second = page({ storage, locks });
    await vi.waitFor(() => expect(messages(second.store).map((entry) => entry.text)).toEqual(['strict']));
  });

  it('does not restore the messages of a page that is still open (its lock is held), nor another user’s', async () => {
    const { storage, records, loads } = memoryStorage();
    const { locks, held } = memoryLocks();
    const first = page({ storage, locks });
    first.store.send('mine');
    const bob = page({ storage, locks }, 'bob');
    bob.store.send('bob’s');
    await vi.waitFor(() => expect(records.size).toBe(2));
    expect([...held].some((name) => name.startsWith(OUTBOX_LOCK_PREFIX))).toBe(true);

    const second = page({ storage, locks });
    second.store.send('second');
    await vi.waitFor(() => expect(records.size).toBe(3));
    // The second page looked at the room's records, and left the first page's to it.
    await vi.waitFor(() => expect(loads()).toBe(3));
    await vi.waitFor(() => expect(held.has(`${OUTBOX_LOCK_PREFIX}claim ${URL_A}\nada`)).toBe(false));
    expect(messages(second.store).map((entry) => entry.text)).toEqual(['second']);
    expect(messages(first.store).map((entry) => entry.text)).toEqual(['mine']);
  });

  it('marks a message not echoed within failAfter as failed; it is not resent until retried, with the same nonce', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { storage } = memoryStorage();
    const { store, receive, sent, close } = page({ storage, locks: null, failAfter: 60_000 });
    receive({ type: 'id', id: 1 });
    const entry = store.send('lost') as ChatMessageEntry;
    await vi.advanceTimersByTimeAsync(59_999);
    expect(messages(store)[0]?.status).toBe('sent');
    await vi.advanceTimersByTimeAsync(1);
    expect(messages(store)[0]?.status).toBe('failed');
    expect(store.getState().unconfirmed).toBe(1);

    close();
    receive({ type: 'id', id: 2 });
    expect(sentMessages(sent)).toHaveLength(1);
    expect(store.retry(entry.key)).toBe(true);
    expect(store.retry(entry.key)).toBe(false); // no longer failed
    const [first, again] = sentMessages(sent) as { nonce?: string }[];
    expect(again?.nonce).toBe(first?.nonce);
    // A retry counts failAfter from the retry.
    await vi.advanceTimersByTimeAsync(59_999);
    expect(messages(store)[0]?.status).toBe('sent');
    await vi.advanceTimersByTimeAsync(1);
    expect(messages(store)[0]?.status).toBe('failed');
  });

  it('a message that fails while it waits for the server’s rate is not sent; retried, it goes once', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { storage } = memoryStorage();
    const { store, receive, sent } = page({ storage, locks: null, failAfter: 1000 });
    // Two frames per 10 s, one held back: the name goes now, the message waits about 5 s.
    receive({ type: 'id', id: 1, ext: 1, rateMessages: 2, rateInterval: 10_000 });
    const entry = store.send('paced') as ChatMessageEntry;
    await vi.advanceTimersByTimeAsync(1000);
    expect(messages(store)[0]?.status).toBe('failed');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sentMessages(sent)).toEqual([]);
    store.retry(entry.key);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sentMessages(sent)).toHaveLength(1);
  });

  it('a retry while the failed frame still waits for the rate sends it once', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { storage } = memoryStorage();
    // The message's token comes at 5 s: it fails at 3 s, is retried, and its first frame goes at 5 s.
    const { store, receive, sent } = page({ storage, locks: null, failAfter: 3000 });
    receive({ type: 'id', id: 1, ext: 1, rateMessages: 2, rateInterval: 10_000 });
    const entry = store.send('paced') as ChatMessageEntry;
    await vi.advanceTimersByTimeAsync(3000);
    expect(store.retry(entry.key)).toBe(true);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(sentMessages(sent)).toHaveLength(1);
  });

  it('a late echo of a failed message makes it delivered, and removes it from the storage', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { storage, records } = memoryStorage();
    const { store, receive, sent } = page({ storage, locks: null, failAfter: 1000 });
    receive({ type: 'id', id: 1 });
    store.send('slow');
    await vi.advanceTimersByTimeAsync(1000);
    expect(messages(store)[0]?.status).toBe('failed');
    receive({ ...sentMessages(sent)[0], id: 1, name: 'ada' });
    expect(messages(store).map((entry) => [entry.text, entry.status])).toEqual([['slow', 'delivered']]);
    expect(store.getState().unconfirmed).toBe(0);
    await vi.waitFor(() => expect(records.size).toBe(0));
  });

  it('discards a failed message from the log and from the storage; a pending one cannot be discarded', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { storage, records } = memoryStorage();
    const { store } = page({ storage, locks: null, failAfter: 1000 });
    const failing = store.send('discard me') as ChatMessageEntry;
    await vi.advanceTimersByTimeAsync(500);
    const pending = store.send('keep me') as ChatMessageEntry;
    await vi.advanceTimersByTimeAsync(500);
    expect(records.size).toBe(2);
    expect(store.discard(pending.key)).toBe(false);
    expect(store.discard(failing.key)).toBe(true);
    expect(messages(store).map((entry) => [entry.text, entry.status])).toEqual([['keep me', 'pending']]);
    expect(store.getState().unconfirmed).toBe(1);
    await vi.waitFor(() => expect([...records.values()].map((record) => record.text)).toEqual(['keep me']));
  });

  it('shows a restored message older than failAfter as failed at once', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { storage, records } = memoryStorage();
    records.set(`${URL_A}\nada\u0000old-1`, {
      room: `${URL_A}\nada`,
      nonce: 'old-1',
      text: 'from yesterday',
      date: 1_000_000 - 86_400_000,
      order: 1,
      owner: 'gone',
    });
    const { store, receive, sent } = page({ storage, locks: null, failAfter: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(messages(store).map((entry) => [entry.text, entry.status, entry.date])).toEqual([
      ['from yesterday', 'failed', 1_000_000 - 86_400_000],
    ]);
    receive({ type: 'id', id: 1 });
    expect(sentMessages(sent)).toEqual([]);
  });

  it('reports a storage that fails as a storage error and goes on in memory', async () => {
    const { storage, fail } = memoryStorage();
    fail(new Error('QuotaExceededError'));
    const { store, receive, sent } = page({ storage, locks: null });
    await vi.waitFor(() =>
      expect(store.getState().error).toMatchObject({ kind: 'storage', message: expect.stringContaining('QuotaExceededError') }),
    );
    receive({ type: 'id', id: 1 });
    store.send('still works');
    expect(sentMessages(sent)).toHaveLength(1);
    expect(messages(store)[0]?.status).toBe('sent');
  });

  it('without IndexedDB (a private mode) reports a storage error; without persist nothing touches storage', async () => {
    const open = vi.fn(() => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    });
    vi.stubGlobal('indexedDB', { open });
    const plain = new ChatStore(fakeConnection().connection, { username: 'ada', schedule: immediateScheduler });
    plain.attach();
    plain.send('no storage');
    expect(open).not.toHaveBeenCalled();

    const { store } = page({ locks: null });
    store.send('memory only');
    await vi.waitFor(() => expect(store.getState().error).toMatchObject({ kind: 'storage', message: expect.stringContaining('denied') }));
    expect(open).toHaveBeenCalled();
    expect(messages(store).map((entry) => entry.text)).toEqual(['memory only']);
  });
});
