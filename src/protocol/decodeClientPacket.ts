import type { ClientMessagePacket, ClientUsernamePacket } from './packets.js';

/**
 * A client packet as a server receives it. `id` and `date` are only kept when they are finite
 * numbers (a server takes the identity from the connection and may put its own clock in place of a
 * missing date), so they are optional here; everything else is as in {@link ClientPacket}.
 */
export type DecodedClientPacket =
  | (Omit<ClientUsernamePacket, 'id' | 'date'> & { readonly id?: number; readonly date?: number })
  | (Omit<ClientMessagePacket, 'id' | 'date'> & { readonly id?: number; readonly date?: number });

/**
 * The outcome of decoding one object a client sent:
 * - `packet`: a well-formed packet of a known type;
 * - `unknown`: a well-formed object whose `type` the server does not know (ignored, counted);
 * - `malformed`: anything else, with what is wrong.
 */
export type ClientDecodeResult =
  | { readonly status: 'packet'; readonly packet: DecodedClientPacket }
  /** `type` is cut to 100 characters: it is for counting and logging. */
  | { readonly status: 'unknown'; readonly type: string }
  | { readonly status: 'malformed'; readonly message: string };

/**
 * - `string`: required string;
 * - `string?`: a string when present;
 * - `number~`: kept when it is a finite number, otherwise left out (never an error: MDN's sample
 *   client always sends `id` and `date`, but the server does not need them).
 */
type Field = 'string' | 'string?' | 'number~';

const SHAPES: Readonly<Record<DecodedClientPacket['type'], Readonly<Record<string, Field>>>> = {
  username: { name: 'string', id: 'number~', date: 'number~' },
  message: { text: 'string', id: 'number~', date: 'number~', nonce: 'string?' },
};

/**
 * Check at run time that `value` (a parsed JSON frame) is a client packet of the MDN chat protocol,
 * and build a clean copy holding only the known fields (never the input object itself, so that
 * `__proto__`, a forged `name` in a message or other stray keys can do nothing downstream).
 */
export function decodeClientPacket(value: unknown): ClientDecodeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed(`a packet must be a JSON object, not ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  const type = own(record, 'type');
  if (typeof type !== 'string') return malformed(`a packet's "type" must be a string, not ${describe(type)}`);
  if (!Object.hasOwn(SHAPES, type)) return { status: 'unknown', type: clip(type, 100) };
  const shape = SHAPES[type as DecodedClientPacket['type']];
  const packet: Record<string, unknown> = { type };
  for (const [field, kind] of Object.entries(shape)) {
    const fieldValue = own(record, field);
    if (kind === 'number~') {
      if (typeof fieldValue === 'number' && Number.isFinite(fieldValue)) packet[field] = fieldValue;
      continue;
    }
    const problem = check(fieldValue, kind);
    if (problem) return malformed(`"${type}" packet: "${field}" ${problem}`);
    if (fieldValue !== undefined) packet[field] = fieldValue;
  }
  return { status: 'packet', packet: Object.freeze(packet) as unknown as DecodedClientPacket };
}

function check(value: unknown, kind: Exclude<Field, 'number~'>): string | null {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? null : `must be a string, not ${describe(value)}`;
    case 'string?':
      return value === undefined || typeof value === 'string' ? null : `must be a string when present, not ${describe(value)}`;
  }
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function malformed(message: string): ClientDecodeResult {
  return { status: 'malformed', message: `Malformed packet: ${message}.` };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${clip(JSON.stringify(clip(value, 40)), 80)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** At most `max` code points of `text` (never half an emoji), with an ellipsis when cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max).join('')}…`;
}
