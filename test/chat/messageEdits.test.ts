// @vitest-environment node
// The opt-in edits (messageEdits()) over a connection driven by hand: what it sends (only to a
// server that announced edits; after the message's echo and the sign-in, in order; again after a
// reconnect), what the log shows (the new text at once, `edited`, `deleted`, the change pending or
// failed, the others' changes), and that the store never sees an edit packet. Against the real
// server: test/server/edits.test.ts and test/e2e/edits.e2e.test.ts.
import { describe, expect, it } from 'vitest';

import { ChatStore, chatHistory, immediateScheduler, messageEdits, type ChatMessageEntry } from '../../src/chat/index.js';
import { createCloseInfo } from '../../src/core/index.js';
import { handDrivenConnection } from '../helpers/handDrivenConnection.js';

const ID = { type: 'id', id: 1, ext: 1, session: 's1', edits: true };

function setup({ history = false } = {}) {
  const { connection, sent, emit } = handDrivenConnection();
  let time = 1000;
  const store = new ChatStore(connection, {
    username: 'ada',
    schedule: immediateScheduler,
    edits: messageEdits({ now: () => time }),
    history: history ? chatHistory() : null,
  });
  store.attach();
  const receive = (packet: unknown) => emit('message', packet);
  return {
    store,
    sent,
    receive,
    tick: (ms: number) => (time += ms),
    edits: () => store.getState().edits!,
    messages: () => store.getState().entries.filter((e): e is ChatMessageEntry => e.kind === 'message'),
    changesSent: () => sent.filter((p) => p.type === 'edit' || p.type === 'delete'),
    close: () => emit('close', createCloseInfo(1006)),
    /** Write `text` as ada and echo it back (its seq `seq`): a delivered own message. */
    delivered(text: string, seq: number): ChatMessageEntry {
      const entry = store.send(text)!;
      const packet = sent.findLast((p) => p.type === 'message')!;
      receive({ type: 'message', id: 1, name: 'ada', text, date: 5, nonce: (packet as { nonce: string }).nonce, seq });
      return entry;
    },
  };
}

const nonceOf = (chat: ReturnType<typeof setup>, key: string) => chat.messages().find((m) => m.key === key)?.nonce as string;

describe('messageEdits against a server without it', () => {
  it('offers nothing and sends nothing to MDN’s server: no edits flag in username, every action refused', () => {
    const chat = setup();
    chat.receive({ type: 'id', id: 1 });
    const entry = chat.store.send('hi')!;
    chat.receive({ type: 'message', id: 1, name: 'ada', text: 'hi', date: 5, nonce: nonceOf(chat, entry.key) });
    expect(chat.edits().available).toBe(false);
    expect(chat.edits().edit(entry.key, 'hello')).toBe(false);
    expect(chat.edits().remove(entry.key)).toBe(false);
    expect(chat.edits().startEditing(entry.key)).toBe(false);
    expect(chat.sent.find((p) => p.type === 'username')).not.toHaveProperty('edits');
    expect(chat.changesSent()).toEqual([]);
    expect(chat.messages()[0]).toMatchObject({ text: 'hi', status: 'delivered' });
  });
});

describe('messageEdits: own messages', () => {
  it('says it understands edits in username, shows an edit at once, sends it, and settles on its relay', () => {
    const chat = setup();
    chat.receive(ID);
    expect(chat.sent.find((p) => p.type === 'username')).toMatchObject({ edits: true });
    const entry = chat.delivered('helo', 1);
    expect(chat.edits().edit(entry.key, 'hello')).toBe(true);
    expect(chat.messages()[0]).toMatchObject({ text: 'hello', edited: 1000, change: { kind: 'edit', status: 'pending' } });
    expect(chat.changesSent()).toEqual([{ type: 'edit', nonce: entry.nonce, text: 'hello' }]);

    chat.receive({ type: 'edit', id: 1, name: 'ada', nonce: entry.nonce, text: 'hello', date: 2000, seq: 2 });
    expect(chat.messages()[0]).toEqual({ ...entry, status: 'delivered', senderId: 1, text: 'hello', edited: 2000 });
    expect(chat.store.getState().unknownPackets).toBe(0);
  });

  it('an edit of a message not confirmed yet shows at once and goes out right after its echo', () => {
    const chat = setup();
    chat.receive(ID);
    const entry = chat.store.send('helo')!;
    expect(chat.edits().edit(entry.key, 'hello')).toBe(true);
    expect(chat.messages()[0]).toMatchObject({ text: 'hello', status: 'sent', change: { status: 'pending' } });
    expect(chat.changesSent()).toEqual([]);

    chat.receive({ type: 'message', id: 1, name: 'ada', text: 'helo', date: 5, nonce: entry.nonce, seq: 1 });
    expect(chat.messages()[0]).toMatchObject({ text: 'hello', status: 'delivered', change: { status: 'pending' } });
    expect(chat.changesSent()).toEqual([{ type: 'edit', nonce: entry.nonce, text: 'hello' }]);
    expect(chat.store.getState().unconfirmed).toBe(0);
  });

  it('offline, a change waits for the next sign-in and goes after the username and the messages written before it', () => {
    const chat = setup();
    chat.receive(ID);
    const first = chat.delivered('one', 1);
    chat.close();
    const second = chat.store.send('two')!;
    expect(chat.edits().remove(first.key)).toBe(true);
    expect(chat.messages()[0]).toMatchObject({ deleted: true, text: '', change: { kind: 'delete', status: 'pending' } });
    expect(chat.changesSent()).toEqual([]);

    const before = chat.sent.length;
    chat.receive({ ...ID, id: 2, session: 's2' });
    expect(chat.sent.slice(before).map((p) => p.type)).toEqual(['username', 'message', 'delete']);
    expect(chat.sent.at(-1)).toEqual({ type: 'delete', nonce: first.nonce });
    expect(chat.messages()[1]).toMatchObject({ key: second.key, status: 'sent' });
  });

  it('a change sent but not relayed when the link dropped goes again after the next sign-in', () => {
    const chat = setup();
    chat.receive(ID);
    const entry = chat.delivered('one', 1);
    chat.edits().edit(entry.key, 'uno');
    chat.close();
    chat.receive({ ...ID, id: 2, session: 's2' });
    expect(chat.changesSent()).toEqual([
      { type: 'edit', nonce: entry.nonce, text: 'uno' },
      { type: 'edit', nonce: entry.nonce, text: 'uno' },
    ]);
  });

  it('a refused edit stays visible as failed, with the text the user wrote; retry sends it again, dismiss shows the server’s text', () => {
    const chat = setup();
    chat.receive(ID);
    const entry = chat.delivered('one', 1);
    chat.edits().edit(entry.key, 'uno');
    chat.receive({ type: 'edit', nonce: entry.nonce, refused: 'too-long' });
    expect(chat.messages()[0]).toMatchObject({ text: 'uno', change: { kind: 'edit', status: 'failed', reason: 'too-long' } });

    expect(chat.edits().retry(entry.key)).toBe(true);
    expect(chat.messages()[0]).toMatchObject({ text: 'uno', change: { status: 'pending' } });
    expect(chat.changesSent()).toHaveLength(2);
    chat.receive({ type: 'edit', nonce: entry.nonce, refused: 'not-yours' });
    expect(chat.edits().dismiss(entry.key)).toBe(true);
    expect(chat.messages()[0]).toMatchObject({ text: 'one' });
    expect(chat.messages()[0]).not.toHaveProperty('change');
    expect(chat.messages()[0]).not.toHaveProperty('edited');
  });

  it('a refused delete shows the message again, failed; a delete resent after a reconnect that finds it deleted is done', () => {
    const chat = setup();
    chat.receive(ID);
    const a = chat.delivered('one', 1);
    const b = chat.delivered('two', 2);
    chat.edits().remove(a.key);
    chat.receive({ type: 'delete', nonce: a.nonce, refused: 'not-yours' });
    expect(chat.messages()[0]).toMatchObject({ text: 'one', change: { kind: 'delete', status: 'failed', reason: 'not-yours' } });
    expect(chat.messages()[0]).not.toHaveProperty('deleted');

    chat.edits().remove(b.key);
    chat.receive({ type: 'delete', nonce: b.nonce, refused: 'deleted' });
    expect(chat.messages()[1]).toMatchObject({ text: '', deleted: true });
    expect(chat.messages()[1]).not.toHaveProperty('change');
  });

  it('refuses blank text, others’ messages, deleted and failed ones; an unchanged text sends nothing', () => {
    const chat = setup();
    chat.receive(ID);
    const own = chat.delivered('mine', 1);
    chat.receive({ type: 'message', id: 2, name: 'bob', text: 'his', date: 6, nonce: 'b1', seq: 2 });
    const his = chat.messages()[1]!;
    expect(chat.edits().edit(own.key, '  ')).toBe(false);
    expect(chat.edits().edit(his.key, 'mine now')).toBe(false);
    expect(chat.edits().remove(his.key)).toBe(false);
    expect(chat.edits().edit(own.key, 'mine')).toBe(true);
    expect(chat.changesSent()).toEqual([]);
    chat.edits().remove(own.key);
    expect(chat.edits().edit(own.key, 'back')).toBe(false);
    expect(chat.edits().startEditing(own.key)).toBe(false);
  });

  it('startEditing says which own message the UI edits; an edit ends it', () => {
    const chat = setup();
    chat.receive(ID);
    const entry = chat.delivered('one', 1);
    expect(chat.edits().startEditing(entry.key)).toBe(true);
    expect(chat.edits().editing).toBe(entry.key);
    chat.edits().edit(entry.key, 'uno');
    expect(chat.edits().editing).toBeNull();
  });
});

describe('messageEdits: the others’ changes', () => {
  it('applies others’ edits and deletes by name and nonce: a change named for another sender changes nothing', () => {
    const chat = setup();
    chat.receive(ID);
    chat.receive({ type: 'message', id: 2, name: 'bob', text: 'helo', date: 6, nonce: 'x', seq: 1 });
    chat.receive({ type: 'message', id: 3, name: 'eve', text: 'mine', date: 7, nonce: 'y', seq: 2 });
    chat.receive({ type: 'edit', id: 2, name: 'bob', nonce: 'x', text: 'hello', date: 50, seq: 3 });
    chat.receive({ type: 'edit', id: 3, name: 'eve', nonce: 'x', text: 'not bob’s', date: 51, seq: 4 });
    expect(chat.messages().map((m) => [m.name, m.text, m.edited])).toEqual([
      ['bob', 'hello', 50],
      ['eve', 'mine', undefined],
    ]);
    chat.receive({ type: 'delete', id: 3, name: 'eve', nonce: 'y', date: 60, seq: 5 });
    expect(chat.messages()[1]).toMatchObject({ text: '', deleted: true });
    chat.receive({ type: 'edit', id: 2, name: 'bob', nonce: 'unknown', text: '?', date: 70, seq: 6 });
    expect(chat.store.getState()).toMatchObject({ unknownPackets: 0, malformedPackets: 0 });
    // Malformed ones change nothing and are counted by the store, as any packet it does not know.
    chat.receive({ type: 'edit', id: 2, name: 'bob', nonce: 'x', date: 80, seq: 7 });
    chat.receive({ type: 'delete', id: 2, name: 42, nonce: 'x', date: 80, seq: 8 });
    chat.receive({ type: 'edit', nonce: 5, refused: 'not-yours' });
    expect(chat.messages()[0]).toMatchObject({ text: 'hello', edited: 50 });
    expect(chat.store.getState()).toMatchObject({ unknownPackets: 3, malformedPackets: 0 });
  });

  it('with chatHistory, a catch-up and an older page show the changes of their messages, and an older change never undoes a newer one', () => {
    const chat = setup({ history: true });
    chat.receive({ ...ID, history: 200, seq: 10, epoch: 'E' });
    chat.receive({
      type: 'history',
      done: true,
      packets: [
        { type: 'message', id: 2, name: 'bob', text: 'five', date: 1, nonce: 'n5', seq: 5 },
        { type: 'edit', id: 2, name: 'bob', nonce: 'n5', text: 'five, edited', date: 2, seq: 9 },
      ],
    });
    expect(chat.messages().map((m) => m.text)).toEqual(['five, edited']);

    // A newer edit of a message older than the log, live: kept until its message shows.
    chat.receive({ type: 'edit', id: 2, name: 'bob', nonce: 'n2', text: 'two, edited later', date: 3, seq: 12 });
    chat.store.getState().history!.loadOlder();
    chat.receive({
      type: 'history',
      before: 5,
      more: false,
      packets: [
        { type: 'message', id: 2, name: 'bob', text: 'one', date: 1, nonce: 'n1', seq: 1 },
        { type: 'message', id: 2, name: 'bob', text: 'two', date: 1, nonce: 'n2', seq: 2 },
        { type: 'edit', id: 2, name: 'bob', nonce: 'n2', text: 'two, edited', date: 2, seq: 3 },
        { type: 'delete', id: 2, name: 'bob', nonce: 'n1', date: 2, seq: 4 },
      ],
    });
    expect(chat.messages().map((m) => [m.text, m.deleted])).toEqual([
      ['', true],
      ['two, edited later', undefined],
      ['five, edited', undefined],
    ]);
  });

  it("with chatHistory, an older page's messages show as the server's history has them now (their changes came in a newer page)", () => {
    const chat = setup({ history: true });
    chat.receive({ ...ID, history: 200, seq: 10, epoch: 'E' });
    // The catch-up starts after the messages: it holds their changes alone (no entry to change yet).
    chat.receive({
      type: 'history',
      done: true,
      packets: [
        { type: 'edit', id: 2, name: 'bob', nonce: 'n1', text: 'hello', date: 8, seq: 9 },
        { type: 'delete', id: 2, name: 'bob', nonce: 'n2', date: 9, seq: 10 },
      ],
    });
    chat.store.getState().history!.loadOlder();
    chat.receive({
      type: 'history',
      before: 9,
      more: false,
      packets: [
        { type: 'message', id: 2, name: 'bob', text: 'hello', date: 1, nonce: 'n1', edited: 8, seq: 1 },
        { type: 'message', id: 2, name: 'bob', text: '', date: 1, nonce: 'n2', deleted: true, seq: 2 },
      ],
    });
    expect(chat.messages().map((m) => [m.text, m.edited, m.deleted])).toEqual([
      ['hello', 8, undefined],
      ['', undefined, true],
    ]);
  });
});
