// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

import { SERVER_PACKET_TYPES, decodeServerPacket, type DecodeResult } from '../../src/protocol/decodeServerPacket.ts';
import type { ServerPacket } from '../../src/protocol/packets.ts';
import { mulberry32 } from '../helpers/random.js';

/** Decode and insist on a packet, returning it. */
function decodePacket(value: unknown): ServerPacket {
  const result = decodeServerPacket(value);
  if (result.status !== 'packet') throw new Error(`expected a packet, got ${JSON.stringify(result)}`);
  return result.packet;
}

/** Decode and insist on `malformed`, returning the message. */
function decodeMalformed(value: unknown): string {
  const result = decodeServerPacket(value);
  if (result.status !== 'malformed') throw new Error(`expected malformed, got ${JSON.stringify(result)}`);
  expect(typeof result.message).toBe('string');
  return result.message;
}

/** An object with an own enumerable property of any name, `__proto__` included, like JSON.parse makes. */
function withOwn<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const NOW = 1_700_000_000_000;

/** One valid packet of each type, exactly as in protocol.md. */
const VALID: ReadonlyArray<readonly [string, ServerPacket]> = [
  ['id', { type: 'id', id: 1 }],
  ['id 0', { type: 'id', id: 0 }],
  ['id with the extension', { type: 'id', id: 4, ext: 1, session: 's3cr3t', rateMessages: 20, rateInterval: 10_000 }],
  ['username rejoining', { type: 'username', id: 3, name: 'alice', date: NOW, rejoin: true }],
  ['username renaming', { type: 'username', id: 3, name: 'alice', date: NOW, previous: 'guest-2596' }],
  ['rejectusername', { type: 'rejectusername', id: 2, name: 'alice1' }],
  ['userlist', { type: 'userlist', users: ['alice', null, 'bob'] }],
  ['userlist all null', { type: 'userlist', users: [null, null] }],
  ['userlist empty', { type: 'userlist', users: [] }],
  ['username', { type: 'username', id: 3, name: 'alice', date: NOW }],
  ['message without nonce', { type: 'message', id: 3, name: 'alice', text: 'hello', date: NOW }],
  ['message with nonce', { type: 'message', id: 3, name: 'alice', text: 'hello', date: NOW, nonce: 'n-1' }],
  ['message with empty strings', { type: 'message', id: -1, name: '', text: '', date: 0, nonce: '' }],
  ['fractional numbers', { type: 'username', id: 1.5, name: 'x', date: 1.25 }],
];

/** The fields each type is made of (the decoder must copy these and nothing else). */
const FIELDS: Readonly<Record<ServerPacket['type'], readonly string[]>> = {
  id: ['type', 'id', 'ext', 'session', 'rateMessages', 'rateInterval'],
  rejectusername: ['type', 'id', 'name'],
  userlist: ['type', 'users'],
  username: ['type', 'id', 'name', 'date', 'rejoin', 'previous'],
  message: ['type', 'id', 'name', 'text', 'date', 'nonce'],
};

describe('decodeServerPacket: the protocol extension', () => {
  it('leaves out extension fields of the wrong type instead of refusing the packet', () => {
    expect(decodePacket({ type: 'id', id: 4, ext: '1', session: 7, rateMessages: 'x', rateInterval: null })).toEqual({ type: 'id', id: 4 });
    expect(decodePacket({ type: 'username', id: 3, name: 'a', date: NOW, rejoin: 'yes', previous: ['b'] })).toEqual({
      type: 'username',
      id: 3,
      name: 'a',
      date: NOW,
    });
  });
});

describe('decodeServerPacket: valid packets', () => {
  it.each(VALID)('%s decodes to a frozen clean copy', (_label, input) => {
    const fromObject = decodeServerPacket(input);
    expect(fromObject).toEqual({ status: 'packet', packet: input });
    const packet = decodePacket(input);
    expect(packet).not.toBe(input);
    expect(Object.isFrozen(packet)).toBe(true);
    expect(Object.getPrototypeOf(packet)).toBe(Object.prototype);
    expect(Object.keys(packet).sort()).toEqual(Object.keys(input).sort());
    // The same packet straight off the wire.
    expect(decodeServerPacket(JSON.parse(JSON.stringify(input)))).toEqual({ status: 'packet', packet: input });
  });

  it('returns a new object for each call', () => {
    const input = { type: 'id', id: 1 };
    expect(decodePacket(input)).not.toBe(decodePacket(input));
  });

  it('has no nonce key for a message without one (nor for an own nonce that is undefined)', () => {
    const base = { type: 'message', id: 3, name: 'alice', text: 'hello', date: NOW };
    expect(Object.hasOwn(decodePacket(base), 'nonce')).toBe(false);
    expect(Object.hasOwn(decodePacket({ ...base, nonce: undefined }), 'nonce')).toBe(false);
  });

  it.each(SERVER_PACKET_TYPES)('drops extra fields from a %j packet', (type) => {
    const valid = VALID.find(([, p]) => p.type === type)![1];
    const input: Record<string, unknown> = {
      ...valid,
      extra: 1,
      html: '<script>alert(1)</script>',
      constructor: 'x',
      toString: 'y',
      hasOwnProperty: 1,
      // Fields of other types must not leak either.
      ...(type === 'userlist' ? { id: 1, name: 'n' } : { users: ['a'] }),
      ...(type === 'message' ? {} : { nonce: 'n', text: 't' }),
    };
    withOwn(input, '__proto__', { polluted: true });
    const packet = decodePacket(input);
    expect(Object.keys(packet).sort()).toEqual(Object.keys(valid).sort());
    expect(Object.keys(packet).every((key) => FIELDS[type].includes(key))).toBe(true);
    expect(packet).toEqual(valid);
    expect(Object.hasOwn(packet, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(packet)).toBe(Object.prototype);
  });

  it('copies and freezes users: later changes to the input do not reach the packet', () => {
    const users: (string | null)[] = ['alice', null];
    const packet = decodePacket({ type: 'userlist', users });
    if (packet.type !== 'userlist') throw new Error('expected a userlist');
    expect(packet.users).not.toBe(users);
    expect(Object.isFrozen(packet.users)).toBe(true);
    expect(Array.isArray(packet.users)).toBe(true);
    users.push('mallory');
    users[0] = 'eve';
    expect(packet.users).toEqual(['alice', null]);
    expect(() => {
      (packet.users as (string | null)[]).push('x');
    }).toThrow(TypeError);
  });

  it('cannot be modified (frozen, throws in strict mode)', () => {
    const packet = decodePacket({ type: 'id', id: 1 });
    expect(() => {
      (packet as { id: number }).id = 2;
    }).toThrow(TypeError);
    expect(packet).toEqual({ type: 'id', id: 1 });
  });

  it('accepts a frozen input and an input without a prototype', () => {
    expect(decodePacket(Object.freeze({ type: 'id', id: 5 }))).toEqual({ type: 'id', id: 5 });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { type: 'rejectusername', id: 2, name: 'a1' });
    const packet = decodePacket(bare);
    expect(packet).toEqual({ type: 'rejectusername', id: 2, name: 'a1' });
    expect(Object.getPrototypeOf(packet)).toBe(Object.prototype);
  });

  it('accepts very long strings unchanged (no length limit in the decoder)', () => {
    const long = 'x'.repeat(1_000_000);
    const packet = decodePacket({ type: 'message', id: 1, name: long, text: long, date: NOW, nonce: long });
    expect(packet).toEqual({ type: 'message', id: 1, name: long, text: long, date: NOW, nonce: long });
    expect(decodePacket({ type: 'userlist', users: [long, null] })).toEqual({ type: 'userlist', users: [long, null] });
  });
});

describe('decodeServerPacket: unknown types', () => {
  it.each(['ping', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'ID', 'Message', ' id', 'id '])(
    'type %j is unknown, not a packet',
    (type) => {
      expect(decodeServerPacket({ type })).toEqual({ status: 'unknown', type });
      expect(decodeServerPacket({ type, id: 1, name: 'a', text: 't', date: NOW, users: [] })).toEqual({ status: 'unknown', type });
      // Straight off the wire too (JSON.parse makes `__proto__` an own key; here it is the value of `type`).
      expect(decodeServerPacket(JSON.parse(JSON.stringify({ type })))).toEqual({ status: 'unknown', type });
    },
  );

  it('cuts a long unknown type to 100 characters, never splitting an emoji', () => {
    expect(decodeServerPacket({ type: 'y'.repeat(100_000) })).toEqual({ status: 'unknown', type: `${'y'.repeat(100)}…` });
    const emoji = '😀'.repeat(150);
    const result = decodeServerPacket({ type: emoji });
    expect(result).toEqual({ status: 'unknown', type: `${'😀'.repeat(100)}…` });
    expect(decodeServerPacket({ type: 'y'.repeat(100) })).toEqual({ status: 'unknown', type: 'y'.repeat(100) });
  });
});

describe('decodeServerPacket: malformed', () => {
  it.each<[string, unknown, RegExp]>([
    ['null', null, /null/],
    ['undefined', undefined, /missing/],
    ['an empty array', [], /array/],
    ['an array holding a packet', [{ type: 'id', id: 1 }], /array/],
    ['a string', 'id', /"id"/],
    ['the JSON text of a packet', '{"type":"id","id":1}', /string/],
    ['an empty string', '', /string/],
    ['0', 0, /0/],
    ['a number', 42, /42/],
    ['NaN', Number.NaN, /NaN/],
    ['true', true, /true/],
    ['false', false, /false/],
  ])('%s is not a packet object', (_label, value, detail) => {
    const message = decodeMalformed(value);
    expect(message).toMatch(/object/);
    expect(message).toMatch(detail);
  });

  it.each<[string, unknown, RegExp]>([
    ['missing', {}, /missing/],
    ['missing, other fields present', { id: 1, name: 'a' }, /missing/],
    ['undefined', { type: undefined, id: 1 }, /missing/],
    ['a number', { type: 1 }, /1/],
    ['null', { type: null, id: 1 }, /null/],
    ['an object', { type: {}, id: 1 }, /object/],
    ['a String object', { type: new String('id'), id: 1 }, /object/],
    ['an array (even ["id"], which stringifies to "id")', { type: ['id'], id: 1 }, /array/],
    ['a boolean', { type: true }, /true/],
  ])('type %s is malformed and names "type"', (_label, value, detail) => {
    const message = decodeMalformed(value);
    expect(message).toContain('"type"');
    expect(message).toMatch(detail);
  });

  /** Wrong values for each kind of field, with what the message should say about each. */
  const NOT_A_NUMBER: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['missing', undefined, /missing/],
    ['a string', '1', /"1"/],
    ['an empty string', '', /string/],
    ['null', null, /null/],
    ['an object', { value: 1 }, /object/],
    ['an array', [1], /array/],
    ['a boolean', true, /true/],
    ['NaN', Number.NaN, /NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, /Infinity/],
    ['-Infinity', Number.NEGATIVE_INFINITY, /-Infinity/],
    ['a bigint', 1n, /bigint/],
  ];
  const NOT_A_STRING: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['missing', undefined, /missing/],
    ['a number', 1, /1/],
    ['null', null, /null/],
    ['an object', { value: 'a' }, /object/],
    ['an array', ['a'], /array/],
    ['a boolean', false, /false/],
  ];
  const NOT_USERS: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['missing', undefined, /missing/],
    ['a string', 'alice', /"alice"/],
    ['a number', 0, /0/],
    ['null', null, /null/],
    ['an array-like object', { length: 0 }, /object/],
    ['a boolean', true, /true/],
  ];

  const VALID_OF: Record<ServerPacket['type'], Record<string, unknown>> = {
    id: { type: 'id', id: 1 },
    rejectusername: { type: 'rejectusername', id: 2, name: 'alice1' },
    userlist: { type: 'userlist', users: ['alice', null] },
    username: { type: 'username', id: 3, name: 'alice', date: NOW },
    message: { type: 'message', id: 3, name: 'alice', text: 'hi', date: NOW, nonce: 'n' },
  };
  const KIND: Record<string, ReadonlyArray<readonly [string, unknown, RegExp]>> = {
    id: NOT_A_NUMBER,
    date: NOT_A_NUMBER,
    name: NOT_A_STRING,
    text: NOT_A_STRING,
    users: NOT_USERS,
  };
  const cases: Array<[string, string, string, Record<string, unknown>, RegExp]> = [];
  for (const type of SERVER_PACKET_TYPES) {
    for (const field of FIELDS[type]) {
      const wrongs = KIND[field];
      if (!wrongs) continue; // `type` is covered above, `nonce` below
      for (const [label, wrong, detail] of wrongs) {
        const input: Record<string, unknown> = { ...VALID_OF[type] };
        if (wrong === undefined) delete input[field];
        else input[field] = wrong;
        cases.push([type, field, label, input, detail]);
      }
    }
  }

  it('covers every required field of every type', () => {
    const covered = new Set(cases.map(([type, field]) => `${type}.${field}`));
    expect([...covered].sort()).toEqual(
      [
        'id.id',
        'rejectusername.id',
        'rejectusername.name',
        'userlist.users',
        'username.id',
        'username.name',
        'username.date',
        'message.id',
        'message.name',
        'message.text',
        'message.date',
      ].sort(),
    );
  });

  it.each(cases)('"%s" with "%s" %s is malformed, naming the type and the field', (type, field, _label, input, detail) => {
    const message = decodeMalformed(input);
    expect(message).toContain(`"${type}"`);
    expect(message).toContain(`"${field}"`);
    expect(message).toMatch(detail);
  });

  it.each<[string, unknown, RegExp]>([
    ['a number', 1, /1/],
    ['null', null, /null/],
    ['an object', { id: 'n' }, /object/],
    ['an array', ['n'], /array/],
    ['a boolean', true, /true/],
    ['NaN', Number.NaN, /NaN/],
  ])('"message" with nonce %s is malformed, naming "nonce"', (_label, nonce, detail) => {
    const message = decodeMalformed({ ...VALID_OF.message, nonce });
    expect(message).toContain('"message"');
    expect(message).toContain('"nonce"');
    expect(message).toMatch(detail);
  });

  it.each<[string, unknown, string]>([
    ['a number', 1, '[1]'],
    ['an object', { name: 'bob' }, '[1]'],
    ['an array', ['bob'], '[1]'],
    ['a boolean', false, '[1]'],
    ['undefined', undefined, '[1]'],
  ])('users holding %s is malformed, naming "users" and the index', (_label, user, index) => {
    const message = decodeMalformed({ type: 'userlist', users: ['alice', user, 'carol'] });
    expect(message).toContain('"userlist"');
    expect(message).toContain('"users"');
    expect(message).toContain(index);
  });

  it('users with a hole is malformed', () => {
    const users: (string | null)[] = ['alice'];
    users[2] = 'carol';
    expect(decodeMalformed({ type: 'userlist', users })).toContain('[1]');
  });

  it('counts only own fields, never inherited ones', () => {
    expect(decodeMalformed(Object.create({ type: 'id', id: 1 }))).toContain('"type"');
    const inheritedId = Object.assign(Object.create({ id: 1 }) as Record<string, unknown>, { type: 'id' });
    expect(decodeMalformed(inheritedId)).toContain('"id"');
    const inheritedName = Object.assign(Object.create({ name: 'a' }) as Record<string, unknown>, { type: 'rejectusername', id: 1 });
    expect(decodeMalformed(inheritedName)).toContain('"name"');
  });

  it('neither copies nor rejects an inherited nonce', () => {
    const input = Object.assign(Object.create({ nonce: 'inherited' }) as Record<string, unknown>, VALID_OF.message, {});
    delete input.nonce;
    expect(Object.hasOwn(input, 'nonce')).toBe(false);
    expect('nonce' in input).toBe(true);
    const packet = decodePacket(input);
    expect(Object.hasOwn(packet, 'nonce')).toBe(false);
    expect(
      decodePacket(Object.assign(Object.create({ nonce: 5 }) as object, { ...VALID_OF.message, nonce: undefined })),
    ).not.toHaveProperty('nonce');
  });

  it('fields hidden behind a JSON "__proto__" key do not count', () => {
    expect(decodeMalformed(JSON.parse('{"__proto__": {"type": "id", "id": 1}}'))).toContain('"type"');
    expect(decodeMalformed(JSON.parse('{"type": "id", "__proto__": {"id": 1}}'))).toContain('"id"');
  });

  it('keeps the message short for a 1 MB string value', () => {
    const long = 'x'.repeat(1_000_000);
    for (const input of [
      { type: 'id', id: long },
      { ...VALID_OF.username, date: long },
    ]) {
      const message = decodeMalformed(input);
      expect(message.length).toBeLessThan(200);
      expect(message).toContain('xxxxxxxxxx');
    }
  });

  it('keeps the message length independent of the value length, even for characters JSON escapes', () => {
    for (const char of ['"', '\\', '\u0001', '😀']) {
      const short = decodeMalformed({ type: 'id', id: char.repeat(1_000) });
      const long = decodeMalformed({ type: 'id', id: char.repeat(1_000_000) });
      expect(long.length).toBe(short.length);
      expect(long.length).toBeLessThan(400);
    }
  });
});

describe('decodeServerPacket: prototype pollution', () => {
  it('a JSON "__proto__" key yields a clean packet and pollutes nothing', () => {
    const input: unknown = JSON.parse('{"__proto__": {"polluted": true}, "type": "id", "id": 1}');
    expect(Object.hasOwn(input as object, '__proto__')).toBe(true); // the input really carries the key
    const packet = decodePacket(input);
    expect(packet).toEqual({ type: 'id', id: 1 });
    expect(Object.hasOwn(packet, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(packet)).toBe(Object.prototype);
    expect((packet as unknown as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it('"constructor"/"prototype" keys pollute nothing either', () => {
    const input: unknown = JSON.parse(
      '{"type": "userlist", "users": ["a"], "constructor": {"prototype": {"polluted": true}}, "__proto__": {"users": 1}}',
    );
    const packet = decodePacket(input);
    expect(packet).toEqual({ type: 'userlist', users: ['a'] });
    expect(Object.keys(packet)).toEqual(['type', 'users']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Seeded property-style test.

const KEYS = ['type', 'id', 'name', 'text', 'date', 'nonce', 'users', '__proto__', 'constructor', 'toString', 'extra'];
const TYPES = [...SERVER_PACKET_TYPES, 'ping', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];

function makeGenerator(random: () => number) {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

  const number = (): number =>
    pick([
      0,
      -0,
      1,
      -1,
      42,
      1.5,
      NOW,
      Number.MAX_SAFE_INTEGER,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      random() * 1e6 - 5e5,
    ]);
  const string = (): string =>
    random() < 0.5
      ? pick([...TYPES, 'alice', 'x'.repeat(100), '😀', '\u0000'])
      : random()
          .toString(36)
          .slice(2, 2 + int(10));

  const value = (depth: number): unknown => {
    switch (int(depth > 2 ? 5 : 7)) {
      case 0:
        return null;
      case 1:
        return random() < 0.5;
      case 2:
        return number();
      case 3:
        return string();
      case 4:
        return random() < 0.1 ? undefined : string();
      case 5:
        return Array.from({ length: int(4) }, () => (random() < 0.3 ? pick([null, string()]) : value(depth + 1)));
      default:
        return object(depth + 1);
    }
  };

  const object = (depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    if (random() < 0.4) result.type = pick(TYPES);
    for (let i = int(5); i > 0; i--) withOwn(result, pick(KEYS), value(depth));
    return result;
  };

  const fieldValue = (field: string): unknown => {
    switch (field) {
      case 'type':
        return pick(TYPES);
      case 'id':
      case 'date':
        return random() < 0.8 ? pick([0, 1, 42, NOW, -3, 2.5]) : value(2);
      case 'users':
        return random() < 0.8 ? Array.from({ length: int(4) }, () => pick(['alice', 'bob', null, ''])) : value(2);
      default:
        return random() < 0.8 ? string() : value(2);
    }
  };

  /** A random object with a random valid type, its fields mostly right, sometimes wrong, missing or extra. */
  const nearPacket = (): Record<string, unknown> => {
    const type = pick(SERVER_PACKET_TYPES);
    const result: Record<string, unknown> = { type };
    for (const field of FIELDS[type].slice(1)) {
      if (field === 'nonce' && random() < 0.5) continue;
      if (random() < 0.05) continue; // missing
      withOwn(result, field, random() < 0.9 ? fieldValue(field) : value(2));
    }
    if (random() < 0.3) withOwn(result, pick(KEYS), value(2));
    return result;
  };

  return (): unknown => {
    const roll = random();
    if (roll < 0.5) return nearPacket();
    if (roll < 0.8) return object(0);
    return value(0);
  };
}

/** An independent statement of the rules, to check the decoder's verdict against. */
function expectedStatus(value: unknown): DecodeResult['status'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'malformed';
  const get = (key: string): unknown => (Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  const type = get('type');
  if (typeof type !== 'string') return 'malformed';
  if (!(SERVER_PACKET_TYPES as readonly string[]).includes(type)) return 'unknown';
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const isString = (v: unknown) => typeof v === 'string';
  const ok: Record<string, boolean> = {
    id: isNumber(get('id')),
    name: isString(get('name')),
    text: isString(get('text')),
    date: isNumber(get('date')),
    nonce: get('nonce') === undefined || isString(get('nonce')),
    users: Array.isArray(get('users')) && Array.from(get('users') as unknown[]).every((u) => u === null || typeof u === 'string'),
    // The extension's fields never make a packet malformed: a wrong one is left out.
    ext: true,
    session: true,
    rateMessages: true,
    rateInterval: true,
    rejoin: true,
    previous: true,
  };
  return FIELDS[type as ServerPacket['type']].slice(1).every((field) => ok[field]) ? 'packet' : 'malformed';
}

describe('decodeServerPacket: seeded random values', () => {
  it('never throws, agrees with the rules, and every packet re-validates', () => {
    const SEED = 0x5eed_c4a7;
    const next = makeGenerator(mulberry32(SEED));
    const counts = { packet: 0, unknown: 0, malformed: 0 };
    for (let i = 0; i < 2000; i++) {
      const input = next();
      const where = `seed ${SEED}, case ${i}`;
      let result: DecodeResult;
      try {
        result = decodeServerPacket(input);
      } catch (error) {
        throw new Error(`${where}: decodeServerPacket threw ${String(error)}`);
      }
      expect(['packet', 'unknown', 'malformed'], where).toContain(result.status);
      expect(result.status, where).toBe(expectedStatus(input));
      counts[result.status]++;
      if (result.status === 'packet') {
        const { packet } = result;
        expect(packet, where).not.toBe(input);
        expect(Object.isFrozen(packet), where).toBe(true);
        expect(
          Object.keys(packet).every((key) => FIELDS[packet.type].includes(key)),
          where,
        ).toBe(true);
        expect(decodeServerPacket(packet), where).toEqual({ status: 'packet', packet });
        // Off the wire as well (JSON turns -0 into 0, hence comparing with the parsed copy).
        const wire: unknown = JSON.parse(JSON.stringify(packet));
        expect(decodeServerPacket(wire), where).toEqual({ status: 'packet', packet: wire });
      } else if (result.status === 'unknown') {
        expect(result.type, where).toBe((input as { type: unknown }).type);
      } else {
        expect(result.message, where).toMatch(/^Malformed packet: /);
      }
    }
    // The generator must reach every outcome often enough for the test to mean something.
    expect(counts.packet).toBeGreaterThan(200);
    expect(counts.unknown).toBeGreaterThan(100);
    expect(counts.malformed).toBeGreaterThan(200);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe("cost per packet (a catch-up decodes 10 000 in a row: the bench's resume scenario)", () => {
  it('builds no array of [field, kind] pairs per packet: a cold decoder took about twice as long with them', () => {
    const entries = vi.spyOn(Object, 'entries');
    try {
      for (let seq = 1; seq <= 3; seq++) decodePacket({ type: 'message', id: 1, name: 'bob', text: `#${seq}`, date: 1, seq });
      decodePacket({ type: 'id', id: 1, ext: 1, session: 's' });
      expect(entries).not.toHaveBeenCalled();
    } finally {
      entries.mockRestore();
    }
  });
});
