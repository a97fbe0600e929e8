// fast-check generators of hostile input: frames as they arrive off a socket (random text and bytes,
// truncated and deeply nested JSON, wrong field types, huge strings, `__proto__`/`constructor` keys,
// binary where text is expected) and parsed values shaped like almost-valid chat packets.
import fc from 'fast-check';

const PACKET_TYPES = ['id', 'rejectusername', 'userlist', 'username', 'message'] as const;
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'] as const;

/** Huge strings, built once (fast-check shrinks and repeats them by reference). */
const HUGE_TEXT = 'x'.repeat(1 << 20);
const HUGE_JSON_STRING = JSON.stringify({ type: 'message', id: 1, name: 'n', text: 'y'.repeat(1 << 20), date: 1 });
const HUGE_NAME_USERLIST = JSON.stringify({ type: 'userlist', users: Array.from({ length: 20_000 }, (_, i) => `user${i}`) });

/** A value of a wrong type for any field. */
export const wrongTypeValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 1e308),
  fc.string({ maxLength: 20 }),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** A field value: mostly of the right type, sometimes not. */
const fieldValue = (right: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: wrongTypeValue });

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('<img src=x onerror=alert(1)>', '{{constructor.constructor("alert(1)")()}}', '\u0000\uFFFF\uD800', ''),
);

/** Objects shaped like server packets: the right type with fields right, wrong, missing or extra. */
export const nearPacket: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PACKET_TYPES) }, { weight: 1, arbitrary: wrongTypeValue }),
      id: fieldValue(fc.integer()),
      name: fieldValue(text),
      text: fieldValue(text),
      date: fieldValue(fc.integer({ min: 0, max: 2 ** 42 })),
      nonce: fieldValue(fc.string({ maxLength: 70 })),
      users: fieldValue(fc.array(fc.oneof(text, fc.constant(null)), { maxLength: 6 })),
      extra: fc.dictionary(fc.constantFrom(...POLLUTING_KEYS, 'polluted', 'isAdmin'), wrongTypeValue, { maxKeys: 3 }),
    },
    { requiredKeys: ['type'] },
  )
  .map(({ extra, ...fields }) => ({ ...fields, ...(extra ?? {}) }));

/** JSON text with `__proto__` / `constructor` / `prototype` keys that try to pollute on merge or parse. */
export const pollutingJson = fc
  .tuple(fc.constantFrom(...PACKET_TYPES, 'x'), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean())
  .map(([type, key, nested]) =>
    nested
      ? `{"type":"${type}","${key}":{"prototype":{"polluted":true},"polluted":true,"isAdmin":true},"users":["a"],"id":1,"name":"n","text":"t","date":1}`
      : `{"${key}":{"polluted":true,"isAdmin":true},"type":"${type}","id":1,"name":"n","text":"t","date":1,"users":null}`,
  );

/** Deeply nested JSON (arrays or objects), complete or cut short. */
export const deepJson = fc
  .tuple(
    fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 100, max: 5_000 }) }, { weight: 1, arbitrary: fc.constant(100_000) }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([depth, objects, complete]) => {
    const open = objects ? '{"a":' : '[';
    const close = objects ? '}' : ']';
    return `${open.repeat(depth)}1${complete ? close.repeat(depth) : close.repeat(depth >> 1)}`;
  });

/** Valid packet JSON cut at a random point. */
export const truncatedJson = fc.tuple(nearPacket, fc.double({ min: 0, max: 1, noNaN: true })).map(([packet, at]) => {
  const json = JSON.stringify(packet) ?? '';
  return json.slice(0, Math.floor(json.length * at));
});

/** Any text frame. */
export const textFrame: fc.Arbitrary<string> = fc.oneof(
  { weight: 40, arbitrary: nearPacket.map((p) => JSON.stringify(p) ?? 'null') },
  { weight: 20, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 20, arbitrary: truncatedJson },
  { weight: 10, arbitrary: pollutingJson },
  { weight: 10, arbitrary: deepJson },
  { weight: 10, arbitrary: fc.constantFrom('', ' ', 'null', '1', '"s"', '[]', 'true', '{}', '{"type":null}') },
  // Huge frames are costly to parse (a few ms each): rare, but present in every run of ~50 frames.
  { weight: 1, arbitrary: fc.constantFrom(HUGE_TEXT, HUGE_JSON_STRING, HUGE_NAME_USERLIST) },
);

/** A binary frame, where the kit expects text. */
export const binaryFrame: fc.Arbitrary<ArrayBuffer | Blob> = fc
  .tuple(fc.uint8Array({ maxLength: 64 }), fc.boolean())
  .map(([bytes, blob]) => (blob ? new Blob([bytes]) : bytes.slice().buffer));

/** Something a broken socket implementation could hand over: not even a frame type. */
export const junkFrame: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, 0, true, Symbol('frame')),
  fc.dictionary(fc.constantFrom(...POLLUTING_KEYS, 'type'), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  fc.uint8Array({ maxLength: 16 }),
);

export type Frame =
  | { readonly kind: 'text'; readonly data: string }
  | { readonly kind: 'binary'; readonly data: ArrayBuffer | Blob }
  | { readonly kind: 'junk'; readonly data: unknown };

export const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 8, arbitrary: textFrame.map((data) => ({ kind: 'text' as const, data })) },
  { weight: 1, arbitrary: binaryFrame.map((data) => ({ kind: 'binary' as const, data })) },
  { weight: 1, arbitrary: junkFrame.map((data) => ({ kind: 'junk' as const, data })) },
);

/** A parsed value as a decoder receives it: mostly packet-shaped, sometimes anything at all. */
export const parsedValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nearPacket },
  { weight: 2, arbitrary: textFrame.map(safeParse) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }) },
  { weight: 1, arbitrary: wrongTypeValue },
);

export function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
