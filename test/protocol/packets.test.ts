// @vitest-environment node
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';

import { SERVER_PACKET_TYPES, decodeServerPacket } from '../../src/protocol/decodeServerPacket.ts';
import {
  encodeMessage,
  encodeUsername,
  type ClientMessagePacket,
  type ClientUsernamePacket,
  type ServerPacket,
} from '../../src/protocol/packets.ts';

const NOW = 1_700_000_000_123;

describe('SERVER_PACKET_TYPES', () => {
  it('lists exactly the server -> client types of protocol.md, in its order', () => {
    expect(SERVER_PACKET_TYPES).toEqual(['id', 'rejectusername', 'userlist', 'username', 'message']);
    expectTypeOf<(typeof SERVER_PACKET_TYPES)[number]>().toEqualTypeOf<ServerPacket['type']>();
  });

  it.each(SERVER_PACKET_TYPES)('the decoder knows %j (a bare packet is malformed, not unknown)', (type) => {
    const result = decodeServerPacket({ type });
    expect(result.status).toBe('malformed');
  });
});

describe('encodeUsername', () => {
  it('builds { type, name, id, date } exactly, in the order of protocol.md', () => {
    const packet = encodeUsername('alice', 3, NOW);
    expect(packet).toStrictEqual({ type: 'username', name: 'alice', id: 3, date: NOW });
    expect(Object.keys(packet)).toEqual(['type', 'name', 'id', 'date']);
    expect(JSON.stringify(packet)).toBe(`{"type":"username","name":"alice","id":3,"date":${NOW}}`);
    expectTypeOf(packet).toEqualTypeOf<ClientUsernamePacket>();
  });

  it('keeps an explicit date of 0 (the default applies only when the date is omitted)', () => {
    expect(encodeUsername('bob', 0, 0)).toStrictEqual({ type: 'username', name: 'bob', id: 0, date: 0 });
  });

  it('survives a JSON round trip unchanged, including non-ASCII and quotes', () => {
    const packet = encodeUsername('Zoë "😀" <b>', 42, NOW);
    expect(JSON.parse(JSON.stringify(packet))).toStrictEqual(packet);
  });

  it('is itself a valid server "username" packet (the server relays it as is)', () => {
    const packet = encodeUsername('alice', 3, NOW);
    expect(decodeServerPacket(JSON.parse(JSON.stringify(packet)))).toEqual({ status: 'packet', packet });
  });
});

describe('encodeMessage', () => {
  it('builds { type, text, id, date } exactly, with no nonce key when none is given', () => {
    const packet = encodeMessage('hello', 7, NOW);
    expect(packet).toStrictEqual({ type: 'message', text: 'hello', id: 7, date: NOW });
    expect(Object.keys(packet)).toEqual(['type', 'text', 'id', 'date']);
    expect(Object.hasOwn(packet, 'nonce')).toBe(false);
    expect(JSON.stringify(packet)).toBe(`{"type":"message","text":"hello","id":7,"date":${NOW}}`);
    expectTypeOf(packet).toEqualTypeOf<ClientMessagePacket>();
  });

  it('has no nonce key when the nonce is explicitly undefined', () => {
    const packet = encodeMessage('hello', 7, NOW, undefined);
    expect(Object.keys(packet)).toEqual(['type', 'text', 'id', 'date']);
  });

  it('adds the nonce when given, the empty string included', () => {
    expect(encodeMessage('hello', 7, NOW, 'n-1')).toStrictEqual({ type: 'message', text: 'hello', id: 7, date: NOW, nonce: 'n-1' });
    const empty = encodeMessage('hello', 7, NOW, '');
    expect(Object.hasOwn(empty, 'nonce')).toBe(true);
    expect(empty.nonce).toBe('');
  });

  it('keeps an explicit date of 0 and empty text', () => {
    expect(encodeMessage('', 1, 0)).toStrictEqual({ type: 'message', text: '', id: 1, date: 0 });
  });

  it.each([
    ['without nonce', encodeMessage('line 1\nline 2 \u0000 😀 "q"', 9, NOW)],
    ['with nonce', encodeMessage('hi', 9, NOW, 'abc-123')],
  ])('survives a JSON round trip unchanged (%s)', (_label, packet) => {
    expect(JSON.parse(JSON.stringify(packet))).toStrictEqual(packet);
  });

  it('decodes as a server "message" once the server fills in name, keeping the nonce', () => {
    const sent = encodeMessage('hi', 9, NOW, 'abc-123');
    const echoed: unknown = JSON.parse(JSON.stringify({ ...sent, name: 'alice' }));
    expect(decodeServerPacket(echoed)).toEqual({
      status: 'packet',
      packet: { type: 'message', id: 9, name: 'alice', text: 'hi', date: NOW, nonce: 'abc-123' },
    });
  });
});

describe('default date', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('encodeUsername uses Date.now() when no date is given', () => {
    expect(encodeUsername('alice', 1)).toStrictEqual({ type: 'username', name: 'alice', id: 1, date: NOW });
  });

  it('encodeMessage uses Date.now() when no date (or undefined) is given, with and without nonce', () => {
    expect(encodeMessage('hi', 1)).toStrictEqual({ type: 'message', text: 'hi', id: 1, date: NOW });
    expect(encodeMessage('hi', 1, undefined, 'n')).toStrictEqual({ type: 'message', text: 'hi', id: 1, date: NOW, nonce: 'n' });
  });

  it('reads the clock at each call, not once', () => {
    expect(encodeMessage('a', 1).date).toBe(NOW);
    vi.setSystemTime(NOW + 5_000);
    expect(encodeMessage('b', 1).date).toBe(NOW + 5_000);
    expect(encodeUsername('c', 1).date).toBe(NOW + 5_000);
  });
});
