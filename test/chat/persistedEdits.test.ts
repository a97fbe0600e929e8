// @vitest-environment node
// messageEdits() with persistentOutbox(), over connections driven by hand and an in-memory
// OutboxStorage: an edit or delete not relayed yet is kept with the outbox's records, and the next
// page of the same room and user (after a reload or a crash) rejoins with the previous page's
// session (the server's author of its messages), sends each change once, shows it pending on its
// message when the log has it, and forgets it once relayed. In Chromium against the reference
// server: test/e2e/outbox.e2e.test.ts.
import { describe, expect, it, vi } from 'vitest';

import {
  ChatStore,
  immediateScheduler,
  messageEdits,
  persistentOutbox,
  type ChatMessageEntry,
  type OutboxRecord,
  type OutboxStorage,
} from '../../src/chat/index.js';
import { createCloseInfo } from '../../src/core/index.js';
import type { ClientPacket } from '../../src/protocol/index.js';
import { handDrivenConnection } from '../helpers/handDrivenConnection.js';

const URL_A = 'ws://127.0.0.1:6502/';

function memoryStorage() {
  const records = new Map<string, OutboxRecord>();
  const storage: OutboxStorage = {
    load: async (room) => [...records.values()].filter((record) => record.room === room),
    put: async (record) => void records.set(`${record.room}\u0000${record.nonce}`, record),
    delete: async (room, nonce) => void records.delete(`${room}\u0000${nonce}`),
  };
  return { storage, records };
}

/** One page of ada's with both opt-ins, its connection opened (not signed in yet). Every page here is gone once detached (no locks). */
function page(storage: OutboxStorage) {
  const { connection, sent, emit } = handDrivenConnection();
  const store = new ChatStore(connection, {
    username: 'ada',
    schedule: immediateScheduler,
    persist: persistentOutbox({ storage, locks: null }),
    edits: messageEdits({ now: () => 1000 }),
  });
  const detach = store.attach();
  emit('open', { url: URL_A, protocol: 'json', extensions: '' });
  const receive = (packet: unknown) => emit('message', packet);
  const messages = () => store.getState().entries.filter((e): e is ChatMessageEntry => e.kind === 'message');
  return {
    store,
    sent,
    receive,
    detach,
    messages,
    signIn: (id: number, session: string) => receive({ type: 'id', id, ext: 1, session, edits: true }),
    close: () => emit('close', createCloseInfo(1006)),
    changesSent: () => sent.filter((p) => p.type === 'edit' || p.type === 'delete'),
    /** Echo the own message `text` as the server relays it. */
    echo(text: string, id: number) {
      const packet = sent.findLast((p) => p.type === 'message' && p.text === text) as Extract<ClientPacket, { type: 'message' }>;
      receive({ type: 'message', id, name: 'ada', text, date: packet.date, nonce: packet.nonce });
      return packet.nonce as string;
    },
  };
}

const kinds = (records: Map<string, OutboxRecord>) => [...records.values()].map((record) => record.kind ?? 'message').sort();

describe('messageEdits with persistentOutbox', () => {
  it('keeps an edit and a delete made offline; the next page rejoins with the session, sends each once and forgets it on its relay', async () => {
    const { storage, records } = memoryStorage();
    const first = page(storage);
    await vi.waitFor(() => expect(kinds(records)).toEqual([]));
    first.signIn(1, 's1');
    await vi.waitFor(() => expect(first.sent.some((p) => p.type === 'username')).toBe(true));
    first.store.send('helo');
    first.store.send('oops');
    const [helo, oops] = [first.echo('helo', 1), first.echo('oops', 1)];
    first.close();
    const [one, two] = first.messages();
    expect(first.store.getState().edits!.edit(one!.key, 'hello')).toBe(true);
    expect(first.store.getState().edits!.remove(two!.key)).toBe(true);
    expect(first.changesSent()).toEqual([]);
    await vi.waitFor(() => expect(kinds(records)).toEqual(['delete', 'edit', 'session']));
    first.detach();

    const second = page(storage);
    second.signIn(2, 's2');
    // The previous page's session, so that the server knows it for the author of helo and oops.
    await vi.waitFor(() => expect(second.sent.find((p) => p.type === 'username')).toMatchObject({ session: 's1', edits: true }));
    await vi.waitFor(() =>
      expect(second.changesSent()).toEqual([
        { type: 'edit', nonce: helo, text: 'hello' },
        { type: 'delete', nonce: oops },
      ]),
    );
    second.receive({ type: 'edit', id: 2, name: 'ada', nonce: helo, text: 'hello', date: 3000, seq: 7 });
    second.receive({ type: 'delete', id: 2, name: 'ada', nonce: oops, date: 3001, seq: 8 });
    // Only this page's session is left.
    await vi.waitFor(() => expect([...records.values()]).toEqual([expect.objectContaining({ kind: 'session', text: 's2' })]));
    // Relayed: never sent again, not after a reconnect either.
    second.close();
    second.signIn(3, 's3');
    await Promise.resolve();
    expect(second.changesSent()).toHaveLength(2);
    expect(second.store.getState().error).toBeNull();
  });

  it('shows a restored edit of a message written offline as pending on it, sends it after its echo, and settles on its relay', async () => {
    const { storage, records } = memoryStorage();
    const first = page(storage);
    const entry = first.store.send('draft')!;
    expect(first.store.getState().edits!.available).toBe(false);
    // Offline since the last connection, whose server announced edits.
    first.signIn(1, 's1');
    first.close();
    await vi.waitFor(() => expect(first.sent.some((p) => p.type === 'username')).toBe(true));
    first.sent.length = 0;
    expect(first.store.getState().edits!.edit(entry.key, 'draft, better')).toBe(true);
    await vi.waitFor(() => expect(kinds(records)).toEqual(['edit', 'message', 'session']));
    first.detach();

    const second = page(storage);
    await vi.waitFor(() =>
      expect(second.messages()).toEqual([
        expect.objectContaining({ text: 'draft, better', status: 'pending', change: { kind: 'edit', status: 'pending' } }),
      ]),
    );
    second.signIn(2, 's2');
    await vi.waitFor(() => expect(second.sent.some((p) => p.type === 'message')).toBe(true));
    // The edit waits for its message's echo.
    expect(second.changesSent()).toEqual([]);
    const nonce = second.echo('draft', 2);
    await vi.waitFor(() => expect(second.changesSent()).toEqual([{ type: 'edit', nonce, text: 'draft, better' }]));
    second.receive({ type: 'edit', id: 2, name: 'ada', nonce, text: 'draft, better', date: 3000, seq: 2 });
    expect(second.messages()).toEqual([expect.objectContaining({ text: 'draft, better', status: 'delivered', edited: 3000 })]);
    expect(second.messages()[0]).not.toHaveProperty('change');
    await vi.waitFor(() => expect(kinds(records)).toEqual(['session']));
  });

  it('a restored change the server refuses stays on its message as failed, and is forgotten by the storage', async () => {
    const { storage, records } = memoryStorage();
    const first = page(storage);
    first.signIn(1, 's1');
    await vi.waitFor(() => expect(first.store.getState().edits!.available).toBe(true));
    const entry = first.store.send('mine')!;
    first.close();
    expect(first.store.getState().edits!.edit(entry.key, 'still mine?')).toBe(true);
    await vi.waitFor(() => expect(kinds(records)).toEqual(['edit', 'message', 'session']));
    first.detach();

    const second = page(storage);
    await vi.waitFor(() => expect(second.messages()).toHaveLength(1));
    second.signIn(2, 's2');
    const nonce = await vi.waitFor(() => second.echo('mine', 2));
    await vi.waitFor(() => expect(second.changesSent()).toHaveLength(1));
    second.receive({ type: 'edit', nonce, refused: 'not-yours' });
    expect(second.messages()[0]).toMatchObject({ text: 'still mine?', change: { kind: 'edit', status: 'failed', reason: 'not-yours' } });
    await vi.waitFor(() => expect(kinds(records)).toEqual(['session']));
  });

  it('a restored change of a message the log did not show is sent all the same; refused once the log shows it, it fails on it', async () => {
    const { storage, records } = memoryStorage();
    const first = page(storage);
    first.signIn(1, 's1');
    await vi.waitFor(() => expect(first.store.getState().edits!.available).toBe(true));
    first.store.send('old');
    const nonce = first.echo('old', 1);
    first.close();
    expect(first.store.getState().edits!.edit(first.messages()[0]!.key, 'newer')).toBe(true);
    await vi.waitFor(() => expect(kinds(records)).toEqual(['edit', 'session']));
    first.detach();

    const second = page(storage);
    second.signIn(2, 's2');
    await vi.waitFor(() => expect(second.changesSent()).toEqual([{ type: 'edit', nonce, text: 'newer' }]));
    expect(second.messages()).toEqual([]);
    // The message comes (as a history would bring it), then the refusal (the session had expired).
    second.receive({ type: 'message', id: 1, name: 'ada', text: 'old', date: 5, nonce });
    second.receive({ type: 'edit', nonce, refused: 'not-yours' });
    expect(second.messages()[0]).toMatchObject({ text: 'newer', change: { kind: 'edit', status: 'failed', reason: 'not-yours' } });
    expect(second.store.getState().edits!.dismiss(second.messages()[0]!.key)).toBe(true);
    expect(second.messages()[0]).toMatchObject({ text: 'old' });
    expect(second.messages()[0]).not.toHaveProperty('change');
    await vi.waitFor(() => expect(kinds(records)).toEqual(['session']));
  });

  it('gives the session back only to a server that announced the extension (never to MDN’s), and sends no change there', async () => {
    const { storage, records } = memoryStorage();
    const first = page(storage);
    first.signIn(1, 's1');
    await vi.waitFor(() => expect(first.store.getState().edits!.available).toBe(true));
    first.store.send('hi');
    first.echo('hi', 1);
    first.close();
    first.store.getState().edits!.remove(first.messages()[0]!.key);
    await vi.waitFor(() => expect(kinds(records)).toEqual(['delete', 'session']));
    first.detach();

    const second = page(storage);
    second.receive({ type: 'id', id: 2 });
    await vi.waitFor(() => expect(second.sent.find((p) => p.type === 'username')).toBeDefined());
    expect(second.sent.find((p) => p.type === 'username')).not.toHaveProperty('session');
    expect(second.changesSent()).toEqual([]);
    // Kept for a page that can send it.
    expect(kinds(records)).toEqual(['delete']);
  });
});
