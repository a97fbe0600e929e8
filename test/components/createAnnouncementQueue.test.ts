// The throttle of ChatBox's live region (src/components/createAnnouncementQueue.ts): what is said
// about the log's changes, and when, with the clock passed in.
// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { defaultChatStrings, type ChatEntry, type ChatHistoryState, type ChatMessageEntry } from '../../src/chat/index.js';
import { ANNOUNCE_INTERVAL_MS, createAnnouncementQueue } from '../../src/components/createAnnouncementQueue.js';

let nextKey = 0;
function message(name: string, text: string, own = false): ChatMessageEntry {
  return { kind: 'message', key: `k${nextKey++}`, date: 0, senderId: own ? null : name.length, name, text, own, status: 'delivered' };
}
const notice = (name: string): ChatEntry => ({ kind: 'signin', key: `k${nextKey++}`, date: 0, senderId: 9, name });
const say = (queue: ReturnType<typeof createAnnouncementQueue>, now: number) => queue.take(now, defaultChatStrings);

/**
 * A queue that has seen `history` (its first log, never announced); `append` adds entries to the log
 * and gives the queue the new log, `again` the same log, with the button's count.
 */
function queueWith(history: readonly ChatEntry[] = [message('bob', 'old')]) {
  const queue = createAnnouncementQueue();
  let log = history;
  expect(queue.update(log, 0, 0)).toBe(-1);
  return {
    queue,
    append(now: number, entries: readonly ChatEntry[], unseen = 0) {
      log = [...log, ...entries];
      return queue.update(log, unseen, now);
    },
    again: (now: number, unseen = 0) => queue.update(log, unseen, now),
  };
}

describe('createAnnouncementQueue', () => {
  it('announces nothing of the log it starts with, nor an unchanged log', () => {
    const history = [message('bob', 'a'), message('eve', 'b')];
    const { queue, again } = queueWith(history);
    expect(again(10)).toBe(-1);
    expect(queue.update([...history], 0, 20)).toBe(-1);
  });

  it('says a lone new message at once, without its time', () => {
    const { queue, append } = queueWith();
    expect(append(5000, [message('eve', 'hello there')])).toBe(0);
    expect(say(queue, 5000)).toBe('eve: hello there');
    expect(say(queue, 5001)).toBe('');
  });

  it('says at most one thing a second, and sums up what came meanwhile', () => {
    const { queue, append, again } = queueWith();
    expect(append(1000, [message('bob', 'one')])).toBe(0);
    expect(say(queue, 1000)).toBe('bob: one');
    // 300 ms later: due 700 ms from now, at 2000.
    expect(append(1300, [message('bob', 'two')])).toBe(ANNOUNCE_INTERVAL_MS - 300);
    expect(append(1600, [message('alice', 'three'), message('bob', 'four')])).toBe(ANNOUNCE_INTERVAL_MS - 600);
    expect(append(1900, [message('alice', 'five'), message('eve', 'six')])).toBe(ANNOUNCE_INTERVAL_MS - 900);
    expect(say(queue, 2000)).toBe('5 new messages from bob, alice, and eve');
    // Nothing waits any more; the next one waits for the interval after 2000.
    expect(again(2100)).toBe(-1);
    expect(append(2500, [message('eve', 'seven')])).toBe(500);
    expect(say(queue, 3000)).toBe('eve: seven');
    // A lone message after a quiet second: at once.
    expect(append(4200, [message('bob', 'eight')])).toBe(0);
  });

  it('never announces own messages or notices', () => {
    const { queue, append } = queueWith();
    expect(append(1000, [message('ada', 'mine', true)])).toBe(-1);
    expect(append(1100, [notice('carol')])).toBe(-1);
    // Among others' messages, only those count.
    expect(append(1200, [message('ada', 'mine again', true), message('bob', 'yours'), notice('dan')])).toBe(0);
    expect(say(queue, 1200)).toBe('bob: yours');
  });

  it('announces nothing of a replaced log (a new store)', () => {
    const { queue } = queueWith([message('bob', 'a'), message('bob', 'b')]);
    expect(queue.update([message('bob', 'c'), message('eve', 'd')], 0, 1000)).toBe(-1);
    expect(queue.update([], 0, 1100)).toBe(-1);
    // Emptied: what comes next is new.
    expect(queue.update([message('eve', 'e')], 0, 1200)).toBe(0);
    expect(say(queue, 1200)).toBe('eve: e');
  });

  it('counts only the appended entries when the store drops the oldest', () => {
    const log = [message('bob', 'a'), message('bob', 'b'), message('bob', 'c')];
    const { queue } = queueWith(log);
    expect(queue.update([...log.slice(2), message('eve', 'd'), message('eve', 'e')], 0, 1000)).toBe(0);
    expect(say(queue, 1000)).toBe('2 new messages from eve');
  });

  it('says the new-messages count when the button appears or changes, instead of the texts', () => {
    const { queue, append, again } = queueWith();
    // Scrolled up: the messages raise the button's count (ChatBox passes both in the same update).
    expect(append(1000, [message('bob', 'a'), message('eve', 'b'), message('eve', 'c')], 3)).toBe(0);
    expect(say(queue, 1000)).toBe('3 new messages');
    // A notice changes nothing: the count did not change.
    expect(append(1500, [notice('dan')], 3)).toBe(-1);
    expect(append(1600, [message('bob', 'd')], 4)).toBe(400);
    expect(say(queue, 2000)).toBe('4 new messages');
    // Hidden (back at the bottom): nothing to say; shown again with the same count: said again.
    expect(again(2500)).toBe(-1);
    expect(append(3500, [message('bob', 'e')], 1)).toBe(0);
    expect(say(queue, 3500)).toBe('1 new message');
  });

  it('works in proportion to the change, not to the log', () => {
    const reads = { count: 0 };
    /** A log of `length` entries that counts the entries read from it. */
    const counted = (entries: ChatEntry[]) =>
      new Proxy(entries, {
        get(target, property, receiver) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads.count++;
          return Reflect.get(target, property, receiver);
        },
      });
    const history = Array.from({ length: 100_000 }, (_, i) => message('bob', `m${i}`));
    const { queue } = queueWith(counted(history));
    const next = [...history.slice(10), ...Array.from({ length: 5 }, (_, i) => message('eve', `n${i}`))];
    reads.count = 0;
    expect(queue.update(counted(next), 0, 1000)).toBe(0);
    // The first entries of both logs, the ten dropped ones searched, the five appended.
    expect(reads.count).toBeLessThan(30);
    expect(say(queue, 1000)).toBe('5 new messages from eve');
  });

  it('announces neither a history catch-up nor older pages put before the log, but live messages after them', () => {
    const history = (patch: Partial<ChatHistoryState>): ChatHistoryState => ({
      available: true,
      catchingUp: false,
      caughtUp: 0,
      loadingOlder: false,
      more: true,
      loadOlder: () => false,
      ...patch,
    });
    const queue = createAnnouncementQueue();
    let log: readonly ChatEntry[] = [message('bob', 'before the outage')];
    expect(queue.update(log, 0, 0, history({ available: false, caughtUp: 1 }))).toBe(-1);
    // A reconnect's catch-up, begun and done within one publication: the log gains what was missed.
    log = [...log, message('eve', 'missed 1'), message('eve', 'missed 2')];
    expect(queue.update(log, 0, 5000, history({ caughtUp: 2 }))).toBe(-1);
    // One that spans publications: while catching up, and the one that ends it.
    log = [...log, message('eve', 'missed 3')];
    expect(queue.update(log, 0, 5100, history({ catchingUp: true, caughtUp: 2 }))).toBe(-1);
    log = [...log, message('eve', 'missed 4')];
    expect(queue.update(log, 0, 5200, history({ caughtUp: 3 }))).toBe(-1);
    // One whose connection ended within the same publication: available again false.
    log = [...log, message('eve', 'missed 5')];
    expect(queue.update(log, 0, 5250, history({ available: false, caughtUp: 4 }))).toBe(-1);
    // An older page, put before the log.
    log = [message('ann', 'older'), ...log];
    expect(queue.update(log, 0, 5300, history({ caughtUp: 4 }))).toBe(-1);
    expect(say(queue, 5300)).toBe('');
    log = [...log, message('eve', 'live')];
    expect(queue.update(log, 0, 5400, history({ caughtUp: 4 }))).toBe(0);
    expect(say(queue, 5400)).toBe('eve: live');
  });
});
