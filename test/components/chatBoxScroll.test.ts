// The pure helpers of ChatBox's pinning (src/components/chatBoxScroll.ts): what changed in the log,
// where its end is from virtua's model, and which rows fill the end of a pinned view.
import { describe, expect, it } from 'vitest';
import type { ChatEntry, ChatMessageEntry } from '../../src/chat/index.js';
import { diffEntries, endOffset, isAtEnd } from '../../src/components/chatBoxScroll.js';

let nextKey = 0;
function entry(own = false): ChatEntry {
  const key = `k${nextKey++}`;
  const message: ChatMessageEntry = {
    kind: 'message',
    key,
    date: 0,
    senderId: own ? null : 2,
    name: own ? 'ada' : 'bob',
    text: key,
    own,
    status: 'delivered',
  };
  return message;
}
const log = (n: number) => Array.from({ length: n }, () => entry());

describe('diffEntries', () => {
  it('counts appended entries, and whether one is the user’s own', () => {
    const before = log(3);
    expect(diffEntries(before, [...before, entry(), entry()])).toEqual({
      trimmed: 0,
      prepended: 0,
      added: 2,
      messages: 2,
      own: false,
      reset: false,
    });
    expect(diffEntries(before, [...before, entry(), entry(true)])).toEqual({
      trimmed: 0,
      prepended: 0,
      added: 2,
      messages: 2,
      own: true,
      reset: false,
    });
    // An entry replaced in place (a status change) is no addition.
    expect(diffEntries(before, [...before.slice(0, 2), { ...before[2]! }])).toEqual({
      trimmed: 0,
      prepended: 0,
      added: 0,
      messages: 0,
      own: false,
      reset: false,
    });
  });

  it('counts the appended messages apart from notices', () => {
    const before = log(2);
    const signin: ChatEntry = { kind: 'signin', key: `k${nextKey++}`, date: 0, senderId: 3, name: 'eve' };
    expect(diffEntries(before, [...before, signin, entry(), signin])).toMatchObject({ added: 3, messages: 1, own: false });
  });

  it('counts entries the store dropped from the start', () => {
    const before = log(5);
    expect(diffEntries(before, [...before.slice(2), entry()])).toEqual({
      trimmed: 2,
      prepended: 0,
      added: 1,
      messages: 1,
      own: false,
      reset: false,
    });
  });

  it('counts entries put before the start (an older page), apart from those appended, which alone are new', () => {
    const before = log(3);
    const older = log(4);
    expect(diffEntries(before, [...older, ...before])).toEqual({
      trimmed: 0,
      prepended: 4,
      added: 0,
      messages: 0,
      own: false,
      reset: false,
    });
    // A page and a live message in one publication: only the live one is added.
    expect(diffEntries(before, [...older, ...before, entry()])).toEqual({
      trimmed: 0,
      prepended: 4,
      added: 1,
      messages: 1,
      own: false,
      reset: false,
    });
  });

  it('reports an emptied or replaced log as a reset', () => {
    expect(diffEntries(log(3), []).reset).toBe(true);
    expect(diffEntries(log(3), log(3)).reset).toBe(true);
  });
});

describe('endOffset and isAtEnd', () => {
  it('puts the end at the rows’ height minus the viewport’s (the padding cancels out)', () => {
    // 1000 px of rows in a 300 px content box: scrollTop 700 shows the last row's end.
    expect(endOffset({ scrollOffset: 0, viewportSize: 300, scrollSize: 1000 })).toBe(700);
    // Rows shorter than the view: virtua's scrollSize is the viewport's; the end is the top.
    expect(endOffset({ scrollOffset: 0, viewportSize: 300, scrollSize: 300 })).toBe(0);
    // Before the viewport is measured (0): never negative.
    expect(endOffset({ scrollOffset: 0, viewportSize: 0, scrollSize: 0 })).toBe(0);
  });

  it('counts an offset within the threshold of the end as at the end', () => {
    const model = { scrollOffset: 0, viewportSize: 300, scrollSize: 1000 };
    expect(isAtEnd(model, 4)).toBe(false);
    expect(isAtEnd(model, 4, 700)).toBe(true);
    expect(isAtEnd(model, 4, 696)).toBe(true);
    expect(isAtEnd(model, 4, 695)).toBe(false);
    expect(isAtEnd({ ...model, scrollOffset: 698.5 }, 4)).toBe(true);
  });
});
