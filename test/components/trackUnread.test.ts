// Where the unread divider goes (src/components/trackUnread.ts): the first message of others that
// came while the reader was away, kept across trims and older pages.
// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { ChatEntry } from '../../src/chat/index.js';
import { diffEntries } from '../../src/components/chatBoxScroll.js';
import { NO_UNREAD, trackUnread, type UnreadMark } from '../../src/components/trackUnread.js';

let nextKey = 0;
const message = (own = false): ChatEntry => ({
  kind: 'message',
  key: `k${nextKey++}`,
  date: 0,
  senderId: own ? null : 2,
  name: 'bob',
  text: 't',
  own,
  status: 'delivered',
});
const notice = (): ChatEntry => ({ kind: 'signin', key: `k${nextKey++}`, date: 0, senderId: 3, name: 'eve' });

/** A log and its mark, changed step by step. */
function tracked(start: readonly ChatEntry[]) {
  let log = start;
  let mark: UnreadMark = NO_UNREAD;
  return {
    change(next: readonly ChatEntry[], away: boolean): UnreadMark {
      mark = trackUnread(mark, next, diffEntries(log, next), away);
      log = next;
      return mark;
    },
    still: (away: boolean) => (mark = trackUnread(mark, log, null, away)),
    get log() {
      return log;
    },
  };
}

describe('trackUnread', () => {
  it('marks nothing while the reader is there', () => {
    const t = tracked([message()]);
    expect(t.change([...t.log, message(), message()], false)).toEqual(NO_UNREAD);
  });

  it('marks the first message of others that came while away, not own messages or notices before it', () => {
    const t = tracked([message()]);
    const first = message();
    expect(t.change([...t.log, notice(), message(true), first, message()], true)).toEqual({ key: first.key, index: 3, open: true });
    // More while still away: the same run.
    expect(t.change([...t.log, message()], true)).toMatchObject({ key: first.key, open: true });
    // Back: the mark stays, closed; the next run (away again) starts at its own first message.
    expect(t.still(false)).toEqual({ key: first.key, index: 3, open: false });
    expect(t.change([...t.log, message()], false)).toEqual({ key: first.key, index: 3, open: false });
    const next = message();
    expect(t.change([...t.log, next], true)).toEqual({ key: next.key, index: 7, open: true });
  });

  it('follows its entry when the store drops the oldest or an older page comes, and drops a mark whose entry went', () => {
    const t = tracked([message(), message()]);
    const first = message();
    t.change([...t.log, first], true);
    expect(t.change(t.log.slice(1), true)).toMatchObject({ key: first.key, index: 1 });
    expect(t.change([message(), message(), ...t.log], true)).toMatchObject({ key: first.key, index: 3 });
    expect(t.change([...t.log.slice(4), message()], false)).toEqual(NO_UNREAD);
  });

  it('forgets the mark when the log is replaced', () => {
    const t = tracked([message()]);
    t.change([...t.log, message()], true);
    expect(t.change([message()], true)).toEqual(NO_UNREAD);
  });
});
