// @vitest-environment node
// The store's sign-in, name-change and leave notices, from MDN's `username` and `userlist` packets in
// both servers' orders: the reference server sends `username` then `userlist` (and says `previous`
// on a rename, protocol extension); MDN's sample server sends `userlist` then `username`, and
// nothing more.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatStore, LEAVE_DELAY_MS, immediateScheduler, type ChatConnection, type ChatEntry } from '../../src/chat/index.js';
import { createCloseInfo } from '../../src/core/index.js';

const NOW = 1_700_000_000_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

/** A store named `ada` on a connection the test feeds by hand, signed in as id 1 with `users` present. */
function setup({ users = ['ada'] as (string | null)[] } = {}) {
  const listeners = { message: new Set<(value: unknown) => void>(), close: new Set<(info: unknown) => void>() };
  const connection: ChatConnection = {
    on: ((type: 'message' | 'close', listener: (value: unknown) => void) => {
      listeners[type]?.add(listener);
      return () => listeners[type]?.delete(listener);
    }) as ChatConnection['on'],
    sendJson: () => 'sent',
  };
  const store = new ChatStore(connection, { username: 'ada', schedule: immediateScheduler, now: Date.now });
  const detach = store.attach();
  const receive = (...packets: unknown[]) => {
    for (const packet of packets) for (const listener of listeners.message) listener(packet);
  };
  const close = () => {
    for (const listener of listeners.close) listener(createCloseInfo(1006));
  };
  receive({ type: 'id', id: 1 }, username(1, 'ada'), { type: 'userlist', users });
  return { store, receive, close, detach, notices: () => notices(store.getState().entries) };
}

const username = (id: number, name: string, extra: Record<string, unknown> = {}) => ({ type: 'username', id, name, date: NOW, ...extra });
const userlist = (...users: (string | null)[]) => ({ type: 'userlist', users });

/** The notices, as short readable lines (the first, "+ada", is the user's own sign-in). */
function notices(entries: readonly ChatEntry[]): string[] {
  return entries.map((entry) => {
    switch (entry.kind) {
      case 'signin':
        return `+${entry.name}`;
      case 'namechange':
        return `${entry.previous} -> ${entry.name}`;
      case 'leave':
        return `-${entry.name}`;
      case 'rename':
        return `given ${entry.name}`;
      case 'gap':
        return 'gap';
      default:
        return `message ${entry.text}`;
    }
  });
}

/** Let the leave delay pass, and a little more. */
const afterLeaveDelay = () => vi.advanceTimersByTime(LEAVE_DELAY_MS + 1);

describe('renames', () => {
  it("reference server's order with `previous`: one name-change notice, for a user there before the store connected too", () => {
    const { receive, notices } = setup({ users: ['guest-2596', 'ada'] });
    receive(username(7, 'Alice', { previous: 'guest-2596' }), userlist('Alice', 'ada'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada', 'guest-2596 -> Alice']);
  });

  it("MDN's order (userlist first, no extension): one name-change notice, for a user there before the store connected too", () => {
    const { receive, notices } = setup({ users: ['guest-2596', 'ada'] });
    receive(userlist('Alice', 'ada'), username(7, 'Alice'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada', 'guest-2596 -> Alice']);
  });

  it('two people who sign in and rename make two sign-ins and two name changes, in either order, without `previous`', () => {
    const reference = setup();
    reference.receive(username(2, 'guest-1'), userlist('ada', 'guest-1'), username(3, 'guest-2'), userlist('ada', 'guest-1', 'guest-2'));
    reference.receive(username(2, 'bob'), userlist('ada', 'bob', 'guest-2'), username(3, 'carol'), userlist('ada', 'bob', 'carol'));
    const mdn = setup();
    mdn.receive(userlist('ada', 'guest-1'), username(2, 'guest-1'), userlist('ada', 'guest-1', 'guest-2'), username(3, 'guest-2'));
    mdn.receive(userlist('ada', 'bob', 'guest-2'), username(2, 'bob'), userlist('ada', 'bob', 'carol'), username(3, 'carol'));
    afterLeaveDelay();
    for (const { notices } of [reference, mdn]) {
      expect(notices()).toEqual(['+ada', '+guest-1', '+guest-2', 'guest-1 -> bob', 'guest-2 -> carol']);
    }
  });

  it('the same name again (a repeated request) logs nothing', () => {
    const { receive, notices } = setup({ users: ['ada', 'bob'] });
    receive(username(2, 'bob'), userlist('ada', 'bob'), userlist('ada', 'bob'), username(2, 'bob'));
    expect(notices()).toEqual(['+ada']);
  });

  it("the user's own rename: one name-change notice; one the server changed: only its rename notice", () => {
    const { store, receive, notices } = setup();
    store.setUsername('bob');
    receive(username(1, 'bob', { previous: 'ada' }), userlist('bob'));
    store.setUsername('carol');
    // MDN's order, no `previous`: the store knows its own name.
    receive({ type: 'rejectusername', id: 1, name: 'carol2' }, userlist('carol2'), username(1, 'carol2'));
    // Back to bob and to carol2 again, both taken as asked: each its own notice.
    store.setUsername('bob');
    receive(username(1, 'bob', { previous: 'carol2' }), userlist('bob'));
    store.setUsername('carol2');
    receive(username(1, 'carol2', { previous: 'bob' }), userlist('carol2'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada', 'ada -> bob', 'given carol2', 'carol2 -> bob', 'bob -> carol2']);
  });
});

describe('leaves', () => {
  it('a name gone from the user list is logged as gone after the leave delay, dated when it went', () => {
    const { store, receive, notices } = setup({ users: ['ada', 'bob'] });
    vi.advanceTimersByTime(1000);
    receive(userlist('ada'));
    vi.advanceTimersByTime(LEAVE_DELAY_MS - 1);
    expect(notices()).toEqual(['+ada']);
    vi.advanceTimersByTime(1);
    expect(notices()).toEqual(['+ada', '-bob']);
    expect(store.getState().entries.at(-1)).toMatchObject({ kind: 'leave', name: 'bob', date: NOW + 1000 });
  });

  it('duplicate names are counted: one of two bobs leaving is one leave, a second bob signing in one sign-in', () => {
    const { receive, notices } = setup({ users: ['ada', 'bob', 'bob'] });
    receive(userlist('ada', 'bob'));
    afterLeaveDelay();
    receive(userlist('ada', 'bob', 'bob'), username(9, 'bob'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada', '-bob', '+bob']);
  });

  it('a nameless connection that goes is no one leaving', () => {
    const { receive, notices } = setup({ users: ['ada', null] });
    receive(userlist('ada'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada']);
  });

  it('stops its timers when detached', () => {
    const { receive, notices, detach } = setup({ users: ['ada', 'bob'] });
    receive(userlist('ada'));
    detach();
    afterLeaveDelay();
    expect(vi.getTimerCount()).toBe(0);
    expect(notices()).toEqual(['+ada']);
  });
});

describe('reconnects of another user', () => {
  it('reference server (rejoin): gone from the list and back within the delay logs nothing', () => {
    const { receive, notices } = setup({ users: ['ada', 'bob'] });
    receive(userlist('ada'));
    vi.advanceTimersByTime(LEAVE_DELAY_MS - 1);
    receive(username(5, 'bob', { rejoin: true }), userlist('ada', 'bob'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada']);
  });

  it("MDN's server (a new id, a plain sign-in): gone and back within the delay logs nothing", () => {
    const { receive, notices } = setup({ users: ['ada', 'bob'] });
    receive(userlist('ada'), userlist('ada', 'bob'), username(5, 'bob'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada']);
  });

  it('back after the delay, when its leave was logged: a sign-in again (even a rejoin), so that the log stays true', () => {
    const { receive, notices } = setup({ users: ['ada', 'bob'] });
    receive(userlist('ada'));
    afterLeaveDelay();
    receive(username(5, 'bob', { rejoin: true }), userlist('ada', 'bob'));
    expect(notices()).toEqual(['+ada', '-bob', '+bob']);
  });
});

describe("the store's own connection", () => {
  it('the first user list after connecting says who is there: no sign-in, no leave', () => {
    const { receive, notices } = setup({ users: ['bob', 'carol', null, 'ada'] });
    afterLeaveDelay();
    receive(userlist('bob', 'carol', 'ada'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada']);
  });

  it('its own reconnect logs nothing: not its own sign-in, not those who left or came meanwhile', () => {
    const { receive, close, notices } = setup({ users: ['ada', 'bob', 'carol'] });
    close();
    // Meanwhile carol left and dan came; the store rejoins with a new id.
    receive({ type: 'id', id: 11, ext: 1 }, username(11, 'ada', { rejoin: true }), userlist('ada', 'bob', 'dan'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada']);
    // Afterwards, news again.
    receive(username(12, 'eve'), userlist('ada', 'bob', 'dan', 'eve'), userlist('ada', 'bob', 'eve'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada', '+eve', '-dan']);
  });

  it('a restarted server: those who come back after the store, with new ids and no rejoin, sign in silently', () => {
    const { receive, close, notices } = setup({ users: ['ada', 'bob', 'carol'] });
    close();
    // The new server gives ids from 1 again, and knows no one: plain sign-ins.
    receive({ type: 'id', id: 1 }, username(1, 'ada'), userlist('ada'));
    receive(username(2, 'bob'), userlist('ada', 'bob'));
    vi.advanceTimersByTime(LEAVE_DELAY_MS - 1);
    receive(userlist('ada', 'bob', 'carol'), username(3, 'carol'));
    afterLeaveDelay();
    expect(notices()).toEqual(['+ada']);
  });
});
