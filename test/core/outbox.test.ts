// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { bufferedAmountOf, discardQueued, sendQueued, underMark } from '../../src/core/outbox.ts';
import type { OutgoingData } from '../../src/core/types.ts';

/** A socket stand-in whose buffer grows by each message's length (a peer that reads nothing). */
function slowSocket(bufferedAmount = 0) {
  const written: OutgoingData[] = [];
  const socket = {
    bufferedAmount,
    send(data: string) {
      written.push(data);
      socket.bufferedAmount += data.length;
    },
  };
  const sendOne = (ws: WebSocket, data: OutgoingData) => ws.send(data);
  return { socket: socket as unknown as WebSocket, written, sendOne };
}

describe('bufferedAmountOf and underMark', () => {
  it('reads 0 for no socket or a stand-in without a number', () => {
    expect(bufferedAmountOf(null)).toBe(0);
    expect(bufferedAmountOf({ bufferedAmount: undefined } as unknown as WebSocket)).toBe(0);
    expect(bufferedAmountOf({ bufferedAmount: 7 } as unknown as WebSocket)).toBe(7);
  });

  it('takes a message while the buffer is empty or under the mark (1 MiB by default)', () => {
    const at = (bufferedAmount: number) => ({ bufferedAmount }) as unknown as WebSocket;
    expect(underMark(at(0), 0)).toBe(true);
    expect(underMark(at(1), 0)).toBe(false);
    expect(underMark(at(9), 10)).toBe(true);
    expect(underMark(at(10), 10)).toBe(false);
    expect(underMark(at(1024 * 1024 - 1))).toBe(true);
    expect(underMark(at(1024 * 1024))).toBe(false);
  });
});

describe('sendQueued', () => {
  it('sends up to the limit, in order, and keeps the rest', () => {
    const { socket, written, sendOne } = slowSocket();
    const outbox: OutgoingData[] = ['a', 'b', 'c'];
    expect(sendQueued(outbox, socket, 2, Number.POSITIVE_INFINITY, sendOne)).toBe(2);
    expect(written).toEqual(['a', 'b']);
    expect(outbox).toEqual(['c']);
  });

  it('stops at the high-water mark', () => {
    const { socket, written, sendOne } = slowSocket();
    const outbox: OutgoingData[] = ['aaaa', 'bbbb', 'cccc'];
    expect(sendQueued(outbox, socket, outbox.length, 8, sendOne)).toBe(2);
    expect(written).toEqual(['aaaa', 'bbbb']);
    expect(outbox).toEqual(['cccc']);
  });

  it('drops a message whose send fails rather than sending it again', () => {
    const outbox: OutgoingData[] = ['bad', 'good'];
    const sent: OutgoingData[] = [];
    const sendOne = (_ws: WebSocket, data: OutgoingData) => (data === 'bad' ? false : sent.push(data) > 0);
    expect(sendQueued(outbox, slowSocket().socket, 2, undefined, sendOne)).toBe(2);
    expect(sent).toEqual(['good']);
    expect(outbox).toEqual([]);
  });
});

describe('discardQueued', () => {
  it('takes everything without a filter, and no message stays for a pending close', () => {
    const outbox: OutgoingData[] = ['a', 'b'];
    const dropped: OutgoingData[] = [];
    expect(discardQueued(outbox, dropped, 2)).toBe(0);
    expect(dropped).toEqual(['a', 'b']);
    expect(outbox).toEqual([]);
  });

  it('takes what the filter accepts, in order; what stays keeps its order, and the count a close still sends', () => {
    const outbox: OutgoingData[] = ['mine 1', 'other 1', 'mine 2', 'other 2', 'other 3'];
    const dropped: OutgoingData[] = [];
    // The first three were queued before close(): of those, 'other 1' stays and is still sent.
    expect(discardQueued(outbox, dropped, 3, (data) => String(data).startsWith('mine'))).toBe(1);
    expect(dropped).toEqual(['mine 1', 'mine 2']);
    expect(outbox).toEqual(['other 1', 'other 2', 'other 3']);
  });

  it('keeps a message whose filter throws: nothing is dropped by mistake', () => {
    const outbox: OutgoingData[] = ['a', 'b'];
    const dropped: OutgoingData[] = [];
    const filter = (data: OutgoingData) => {
      if (data === 'a') throw new Error('boom');
      return true;
    };
    expect(discardQueued(outbox, dropped, 0, filter)).toBe(0);
    expect(dropped).toEqual(['b']);
    expect(outbox).toEqual(['a']);
  });
});
