import { describe, expect, it } from 'vitest';

import { TabOutbox } from '../../src/core/TabOutbox.ts';

/** The data of what `post(epoch)` hands out. */
const posted = (outbox: TabOutbox, epoch: string) => outbox.post(epoch).map((item) => item.data);

describe("TabOutbox (a follower tab's sends until the leader answers)", () => {
  it('posts each send once per connection, in order, and forgets what the leader answered', () => {
    const outbox = new TabOutbox();
    const a = outbox.add('a');
    outbox.add('b');
    expect(outbox.waiting).toBe(true);
    expect(posted(outbox, 'e1')).toEqual(['a', 'b']);
    expect(outbox.waiting).toBe(false);
    expect(posted(outbox, 'e1')).toEqual([]);
    expect(outbox.settle(a.id)?.data).toBe('a');
    expect(outbox.settle(a.id)).toBeUndefined();
    expect(outbox.size).toBe(1);
  });

  it('"wait" for one send puts it and every later one of its connection back, so that the order holds', () => {
    const outbox = new TabOutbox();
    outbox.add('a');
    const b = outbox.add('b');
    outbox.add('c');
    posted(outbox, 'e1');
    outbox.add('d');
    outbox.rewind(b.id);
    // 'a' stays in flight on e1; b, c (e1) and d (never posted) go out together on the next connection.
    expect(posted(outbox, 'e2')).toEqual(['b', 'c', 'd']);
  });

  it('another leader gets everything the last one did not answer', () => {
    const outbox = new TabOutbox();
    outbox.add('a');
    outbox.add('b');
    posted(outbox, 'e1');
    outbox.rewindAll();
    expect(posted(outbox, 'e2')).toEqual(['a', 'b']);
  });

  it('discard takes back only what was not posted; drain takes everything, in order', () => {
    const outbox = new TabOutbox();
    outbox.add('in flight');
    posted(outbox, 'e1');
    outbox.add('x1');
    outbox.add('y');
    outbox.add('x2');
    expect(outbox.discard((data) => String(data).startsWith('x'))).toEqual(['x1', 'x2']);
    expect(outbox.drain()).toEqual(['in flight', 'y']);
    expect(outbox.size).toBe(0);
  });
});
