// @vitest-environment node
// The opt-in typing indicator (typingIndicator()) over a connection driven by hand, with a fake
// clock: what it sends (only to a server that announced typing; a start throttled while typing, a
// stop when the text is blank), who it shows (in order, until a stop, their message, the expiry or
// a close), and that the store never sees the typing frames. Against the real server:
// test/server/typing.test.ts and test/e2e/typing.e2e.test.ts.
import { describe, expect, it, vi } from 'vitest';

import { ChatStore, TYPING_EXPIRY_MS, TYPING_RENEW_MS, chatHistory, immediateScheduler, typingIndicator } from '../../src/chat/index.js';
import { createCloseInfo } from '../../src/core/index.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';
import { handDrivenConnection } from '../helpers/handDrivenConnection.js';

fakeTimersPerTest();

const ID_WITH_TYPING = { type: 'id', id: 1, ext: 1, session: 's1', typing: true };

function setup({ history = false } = {}) {
  const { connection: client, sent, listeners, emit } = handDrivenConnection();
  const typing = typingIndicator().attach(client);
  const store = new ChatStore(typing, { username: 'ada', schedule: immediateScheduler, history: history ? chatHistory() : null });
  const detach = store.attach();
  const changes = vi.fn();
  typing.subscribe(changes);
  return {
    typing,
    store,
    detach,
    changes,
    listeners,
    typingSent: () => sent.filter((packet) => packet.type === 'typing'),
    receive: (packet: unknown) => emit('message', packet),
    close: () => emit('close', createCloseInfo(1006)),
  };
}

const start = (id: number, name: string) => ({ type: 'typing', id, name, typing: true });
const stop = (id: number, name: string) => ({ type: 'typing', id, name, typing: false });

describe('typingIndicator: sending', () => {
  it('sends nothing to a server that did not announce typing (MDN’s), nor before any id', () => {
    const chat = setup();
    chat.typing.typed('h');
    chat.receive({ type: 'id', id: 1 });
    chat.typing.typed('he');
    chat.typing.typed('');
    chat.receive({ type: 'id', id: 1, ext: 1, session: 's' }); // the extension without typing
    chat.typing.typed('hel');
    expect(chat.typingSent()).toEqual([]);
  });

  it('announces it listens on id, then a start at the first character, renewed every TYPING_RENEW_MS while typing, a stop when blank', () => {
    const chat = setup();
    chat.receive(ID_WITH_TYPING);
    expect(chat.typingSent()).toEqual([{ type: 'typing', typing: false }]);
    chat.typing.typed('h');
    chat.typing.typed('he');
    vi.advanceTimersByTime(TYPING_RENEW_MS - 1);
    chat.typing.typed('hel');
    expect(chat.typingSent()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    chat.typing.typed('hell');
    chat.typing.typed('hello');
    chat.typing.typed('   ');
    chat.typing.typed('');
    expect(chat.typingSent().map((packet) => packet.type === 'typing' && packet.typing)).toEqual([false, true, true, false]);
    // Blank again: no second stop; typing again starts at once.
    chat.typing.typed('x');
    expect(chat.typingSent().map((packet) => packet.type === 'typing' && packet.typing)).toEqual([false, true, true, false, true]);
  });

  it('sends nothing once the connection closed, until the next id announces typing', () => {
    const chat = setup();
    chat.receive(ID_WITH_TYPING);
    chat.typing.typed('h');
    chat.close();
    chat.typing.typed('he');
    chat.typing.typed('');
    expect(chat.typingSent()).toHaveLength(2);
    chat.receive(ID_WITH_TYPING);
    chat.typing.typed('hel');
    expect(chat.typingSent().map((packet) => packet.type === 'typing' && packet.typing)).toEqual([false, true, false, true]);
  });
});

describe('typingIndicator: showing', () => {
  it('shows the others in the order they started, until a stop or their message; the store never sees a typing frame', () => {
    const chat = setup();
    chat.receive(ID_WITH_TYPING);
    chat.receive(start(2, 'bob'));
    chat.receive(start(3, 'alice'));
    expect(chat.typing.getState()).toEqual(['bob', 'alice']);
    chat.receive(start(2, 'bob')); // a renewal keeps its place
    expect(chat.typing.getState()).toEqual(['bob', 'alice']);
    chat.receive(stop(3, 'alice'));
    expect(chat.typing.getState()).toEqual(['bob']);
    chat.receive({ type: 'message', id: 2, name: 'bob', text: 'hi', date: 1 });
    expect(chat.typing.getState()).toEqual([]);
    chat.store.flush();
    expect(chat.store.getState().unknownPackets).toBe(0);
    expect(chat.store.getState().entries.map((entry) => entry.kind)).toEqual(['message']);
  });

  it('forgets a typist after TYPING_EXPIRY_MS without a renewal, and a renewal keeps it', () => {
    const chat = setup();
    chat.receive(ID_WITH_TYPING);
    chat.receive(start(2, 'bob'));
    vi.advanceTimersByTime(TYPING_EXPIRY_MS - 1000);
    chat.receive(start(3, 'alice'));
    vi.advanceTimersByTime(500);
    chat.receive(start(2, 'bob')); // renewed before its expiry
    vi.advanceTimersByTime(TYPING_EXPIRY_MS - 501);
    expect(chat.typing.getState()).toEqual(['bob', 'alice']);
    vi.advanceTimersByTime(1);
    // alice started 500 ms before bob's renewal: she goes first; bob at his own expiry.
    expect(chat.typing.getState()).toEqual(['bob']);
    vi.advanceTimersByTime(499);
    expect(chat.typing.getState()).toEqual(['bob']);
    vi.advanceTimersByTime(1);
    expect(chat.typing.getState()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('publishes a new array only when the names change', () => {
    const chat = setup();
    chat.receive(ID_WITH_TYPING);
    chat.changes.mockClear();
    chat.receive(start(2, 'bob'));
    const names = chat.typing.getState();
    chat.receive(start(2, 'bob'));
    chat.receive(stop(5, 'nobody'));
    expect(chat.typing.getState()).toBe(names);
    expect(chat.changes).toHaveBeenCalledTimes(1);
  });

  it('a close clears everyone and stops the expiry timer', () => {
    const chat = setup();
    chat.receive(ID_WITH_TYPING);
    chat.receive(start(2, 'bob'));
    chat.close();
    expect(chat.typing.getState()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves to the store, as unknown packets, typing frames from a server that did not announce typing and malformed ones', () => {
    const chat = setup();
    chat.receive({ type: 'id', id: 1 });
    chat.receive(start(2, 'bob'));
    chat.receive(ID_WITH_TYPING);
    chat.receive({ type: 'typing', id: '2', name: 'bob', typing: true });
    chat.receive({ type: 'typing', id: 2, name: null, typing: true });
    expect(chat.typing.getState()).toEqual([]);
    chat.store.flush();
    expect(chat.store.getState().unknownPackets).toBe(3);
  });

  it('works under chatHistory (which reads the connection through it) and stops following on detach', () => {
    const chat = setup({ history: true });
    chat.receive({ ...ID_WITH_TYPING, history: 200, seq: 0, epoch: 'e' });
    chat.receive(start(2, 'bob'));
    expect(chat.typing.getState()).toEqual(['bob']);
    chat.detach();
    expect(chat.typing.getState()).toEqual([]);
    expect([...chat.listeners.values()].every((set) => set.size === 0)).toBe(true);
  });
});
