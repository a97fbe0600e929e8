// @vitest-environment node
// The server's pure parts: the client packet decoder, names, and the limit bookkeeping.
import { describe, expect, it } from 'vitest';

import { decodeClientPacket, type ClientDecodeResult } from '../../src/protocol/index.ts';
import { RecentKeys } from '../../src/server/RecentKeys.ts';
import { cleanName, nameKey, uniqueName } from '../../src/protocol/names.ts';

describe('decodeClientPacket', () => {
  it("decodes what MDN's client sends to frozen clean copies", () => {
    const username = { type: 'username', name: 'ada', id: 1, date: 5 };
    const message = { type: 'message', text: 'hi', id: 1, date: 5, nonce: 'n' };
    for (const packet of [username, message]) {
      const result = decodeClientPacket(packet);
      expect(result).toEqual({ status: 'packet', packet });
      if (result.status === 'packet') {
        expect(result.packet).not.toBe(packet);
        expect(Object.isFrozen(result.packet)).toBe(true);
      }
    }
  });

  it('keeps only known fields; id and date only when finite numbers', () => {
    const input = JSON.parse('{"type":"message","text":"x","id":"2","date":null,"name":"forged","__proto__":{"polluted":1},"extra":1}');
    expect(decodeClientPacket(input)).toEqual({ status: 'packet', packet: { type: 'message', text: 'x' } });
    expect(decodeClientPacket({ type: 'username', name: 'a', id: Infinity, date: Number.NaN })).toEqual({
      status: 'packet',
      packet: { type: 'username', name: 'a' },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['not an object', 'text'],
    ['null', null],
    ['an array', [{ type: 'message', text: 'x' }]],
    ['no type', { text: 'x' }],
    ['a type that is not a string', { type: 1 }],
    ['a message without text', { type: 'message' }],
    ['a message text that is not a string', { type: 'message', text: ['x'] }],
    ['a nonce that is not a string', { type: 'message', text: 'x', nonce: 1 }],
    ['a username without a name', { type: 'username', id: 1 }],
  ])('%s is malformed', (_label, value) => {
    const result = decodeClientPacket(value);
    expect(result.status).toBe('malformed');
    expect((result as Extract<ClientDecodeResult, { status: 'malformed' }>).message).toMatch(/^Malformed packet: /);
  });

  it('server packet types, and any other type, are unknown to the server (type cut to 100)', () => {
    for (const type of ['id', 'userlist', 'rejectusername', 'toString', '__proto__']) {
      expect(decodeClientPacket({ type, id: 1, users: [] })).toEqual({ status: 'unknown', type });
    }
    const long = decodeClientPacket({ type: 'x'.repeat(500) });
    expect(long.status === 'unknown' && Array.from(long.type).length).toBe(101);
  });
});

describe('names', () => {
  it('cleanName trims, turns control characters into spaces, cuts by code points', () => {
    expect(cleanName('  a \t\n b\u0000c  ', 64)).toBe('a b c');
    expect(cleanName('abcdef', 3)).toBe('abc');
    expect(cleanName('ab cd', 3)).toBe('ab');
    expect(cleanName('👩‍💻👩‍💻', 2)).toBe('👩\u200d');
    expect(cleanName('\u0065\u0301', 64)).toBe('\u00e9');
  });

  it('nameKey folds case and compatibility forms', () => {
    expect(nameKey('Ada')).toBe(nameKey('aDA'));
    expect(nameKey('Ａｄａ')).toBe(nameKey('ada'));
    expect(nameKey('ada')).not.toBe(nameKey('adb'));
  });

  it('uniqueName appends the first free number and keeps within the length', () => {
    const taken = new Set(['ada', 'ada2', 'ada3']);
    expect(uniqueName('eve', 64, (k) => taken.has(k))).toBe('eve');
    expect(uniqueName('ADA', 64, (k) => taken.has(k))).toBe('ADA4');
    const full = new Set(['abcde', ...Array.from({ length: 8 }, (_, i) => `abcd${i + 2}`)]);
    expect(uniqueName('abcde', 5, (k) => full.has(k))).toBe('abc10');
  });
});

describe('RecentKeys', () => {
  it('RecentKeys: forgets after the window and beyond the capacity', () => {
    const keys = new RecentKeys(1000, 3);
    keys.add('a', 0);
    expect(keys.has('a', 999)).toBe(true);
    expect(keys.has('a', 1000)).toBe(false);
    for (const key of ['b', 'c', 'd', 'e']) keys.add(key, 2000);
    expect(keys.size).toBe(3);
    expect(keys.has('b', 2000)).toBe(false);
    expect(keys.has('e', 2000)).toBe(true);
  });
});
