// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUP_WINDOW_MS, groupEntries, startsGroup, type ChatEntry, type ChatMessageEntry } from '../../src/chat/index.js';

let key = 0;
const message = (name: string, date: number, extra: Partial<ChatMessageEntry> = {}): ChatMessageEntry => ({
  kind: 'message',
  key: `k${key++}`,
  date,
  senderId: name.length,
  name,
  text: 't',
  own: false,
  status: 'delivered',
  ...extra,
});
const notice = (date: number): ChatEntry => ({ kind: 'signin', key: `k${key++}`, date, senderId: 1, name: 'x' });

describe('startsGroup', () => {
  it('starts a group for the first entry and for every notice', () => {
    expect(startsGroup(undefined, message('bob', 0))).toBe(true);
    expect(startsGroup(message('bob', 0), notice(1))).toBe(true);
    expect(startsGroup(notice(0), message('bob', 1))).toBe(true);
  });

  it('continues a group for the same sender within the window, and only then', () => {
    const first = message('bob', 0);
    expect(startsGroup(first, message('bob', DEFAULT_GROUP_WINDOW_MS))).toBe(false);
    expect(startsGroup(first, message('bob', DEFAULT_GROUP_WINDOW_MS + 1))).toBe(true);
    expect(startsGroup(first, message('eve', 1))).toBe(true);
    expect(startsGroup(first, message('bob', 1, { senderId: 99 }))).toBe(true);
    expect(startsGroup(message('bob', 100), message('bob', 50))).toBe(true);
    expect(startsGroup(first, message('bob', 10), 5)).toBe(true);
  });

  it('groups own messages together whatever their sender id (unconfirmed ones have none)', () => {
    expect(startsGroup(message('ada', 0, { own: true, senderId: 7 }), message('ada', 1, { own: true, senderId: null }))).toBe(false);
    expect(startsGroup(message('ada', 0, { own: true }), message('ada', 1))).toBe(true);
  });
});

describe('groupEntries', () => {
  it('splits a log into runs', () => {
    const log = [message('bob', 0), message('bob', 1), notice(2), message('bob', 3), message('eve', 4), message('eve', 5)];
    const groups = groupEntries(log);
    expect(groups.map((g) => g.entries.length)).toEqual([2, 1, 1, 2]);
    expect(groups.map((g) => g.key)).toEqual([log[0]!.key, log[2]!.key, log[3]!.key, log[4]!.key]);
    expect(groupEntries([])).toEqual([]);
  });
});
