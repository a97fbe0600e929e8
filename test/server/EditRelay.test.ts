// @vitest-environment node
// The room's record of who may change which message (EditRelay), on its own: first writer of a
// (name, nonce) keeps it, the author key (not the name) decides, bounded by count and age.
import { describe, expect, it } from 'vitest';

import { EditRelay, type Editor, isEditText } from '../../src/server/EditRelay.ts';

const counts = () => ({ editsRelayed: 0, deletesRelayed: 0, editsRefused: 0 });
const member = (id: number, name: string, author: string): Editor => ({ id, name, author, editListener: false });

describe('EditRelay', () => {
  it("lets a message's author change it, under the name it went out with, and nobody else", () => {
    const relay = new EditRelay(60_000, 10, counts());
    const bob = member(1, 'bob', 'A');
    expect(relay.wrote(bob, 'bob', 'n1', 0)).toBe(true);
    const impostor = member(2, 'bob', 'B');
    expect(relay.wrote(impostor, 'BOB', 'n1', 1)).toBe(false);
    expect(relay.change(impostor, { type: 'edit', nonce: 'n1', text: 'x' }, 2)).toEqual({
      refused: { type: 'edit', nonce: 'n1', refused: 'not-yours' },
    });
    const renamed = member(3, 'robert', 'A'); // bob after a rejoin and a rename: same author
    expect(relay.change(renamed, { type: 'edit', nonce: 'n1', text: 'hi' }, 3).relay).toEqual({
      type: 'edit',
      id: 3,
      name: 'bob',
      nonce: 'n1',
      text: 'hi',
      date: 3,
    });
    expect(renamed.editListener).toBe(true);
  });

  it('forgets the oldest beyond its capacity and what is older than its window; unwrote gives a (name, nonce) back', () => {
    const relay = new EditRelay(1000, 2, counts());
    const bob = member(1, 'bob', 'A');
    relay.wrote(bob, 'bob', 'n1', 0);
    relay.wrote(bob, 'bob', 'n2', 10);
    relay.wrote(bob, 'bob', 'n3', 20);
    expect(relay.size).toBe(2);
    expect(relay.change(bob, { type: 'delete', nonce: 'n1' }, 30).refused?.refused).toBe('not-yours');
    expect(relay.change(bob, { type: 'delete', nonce: 'n2' }, 30).relay?.type).toBe('delete');
    expect(relay.change(bob, { type: 'delete', nonce: 'n3' }, 1020).refused?.refused).toBe('not-yours');
    expect(relay.size).toBe(0);
    relay.wrote(bob, 'bob', 'n4', 2000);
    relay.unwrote('bob', 'n4');
    expect(relay.wrote(member(2, 'bob', 'B'), 'bob', 'n4', 2001)).toBe(true);
  });

  it('tells the room packets that go only to the clients that understand edits', () => {
    expect(isEditText(JSON.stringify({ type: 'edit', id: 1, name: 'a', nonce: 'n', text: 't', date: 1, seq: 2 }))).toBe(true);
    expect(isEditText(JSON.stringify({ type: 'delete', id: 1, name: 'a', nonce: 'n', date: 1, seq: 2 }))).toBe(true);
    expect(isEditText(JSON.stringify({ type: 'message', id: 1, name: 'a', text: '{"type":"edit"', date: 1 }))).toBe(false);
  });

  it('amends what a change replaced: the message and earlier edits read as the message reads now, once numbered', () => {
    const relay = new EditRelay(60_000, 10, counts());
    const bob = member(1, 'bob', 'A');
    const message = { type: 'message', id: 1, name: 'bob', text: 'helo', date: 5, nonce: 'n1' } as const;
    relay.wrote(bob, 'bob', 'n1', 10, message);
    expect(relay.numbered(message, 7)).toEqual([]);
    const edit = relay.change(bob, { type: 'edit', nonce: 'n1', text: 'hello' }, 20).relay;
    if (edit?.type !== 'edit') throw new Error('not relayed');
    expect(relay.amendments(edit)).toEqual([{ seq: 7, text: JSON.stringify({ ...message, text: 'hello', edited: 20, seq: 7 }) }]);
    expect(relay.numbered(edit, 9)).toEqual([]);
    // A second edit, numbered only after a delete came (a broker numbers later): the delete replaces all.
    const again = relay.change(bob, { type: 'edit', nonce: 'n1', text: 'hello!' }, 30).relay;
    const deleted = relay.change(bob, { type: 'delete', nonce: 'n1' }, 40).relay;
    if (again?.type !== 'edit' || deleted?.type !== 'delete') throw new Error('not relayed');
    expect(relay.amendments(deleted)).toEqual([
      { seq: 7, text: JSON.stringify({ ...message, text: '', deleted: true, seq: 7 }) },
      { seq: 9, text: JSON.stringify({ type: 'delete', id: 1, name: 'bob', nonce: 'n1', date: 20, seq: 9 }) },
    ]);
    expect(relay.numbered(again, 11)).toEqual([
      { seq: 11, text: JSON.stringify({ type: 'delete', id: 1, name: 'bob', nonce: 'n1', date: 30, seq: 11 }) },
    ]);
    expect(relay.numbered(deleted, 12)).toEqual([]);
    // A message the relay was not given (or forgot) has nothing to amend.
    expect(relay.numbered({ ...message, nonce: 'other' }, 13)).toEqual([]);
  });
});
