import type { ServerPacket } from './packets.js';

/**
 * The outcome of decoding one incoming object:
 * - `packet`: a well-formed packet of a known type;
 * - `unknown`: a well-formed object whose `type` the client does not know (ignored, counted);
 * - `malformed`: anything else, with what is wrong.
 */
export type DecodeResult =
  | { readonly status: 'packet'; readonly packet: ServerPacket }
  /** `type` is cut to 100 characters: it is for counting and logging. */
  | { readonly status: 'unknown'; readonly type: string }
  | { readonly status: 'malformed'; readonly message: string };

type Field = 'string' | 'number' | 'users' | 'string?';

const SHAPES: Readonly<Record<ServerPacket['type'], Readonly<Record<string, Field>>>> = {
  id: { id: 'number' },
  rejectusername: { id: 'number', name: 'string' },
  userlist: { users: 'users' },
  username: { id: 'number', name: 'string', date: 'number' },
  message: { id: 'number', name: 'string', text: 'string', date: 'number', nonce: 'string?' },
};

/**
 * Check at run time that `value` (a parsed JSON frame) is a server packet of the MDN chat protocol,
 * and build a clean copy holding only the known fields (never the input object itself, so that
 * `__proto__` or other stray keys can do nothing downstream).
 */
export function decodeServerPacket(value: unknown): DecodeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed(`a packet must be a JSON object, not ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  const type = own(record, 'type');
  if (typeof type !== 'string') return malformed(`a packet's "type" must be a string, not ${describe(type)}`);
  if (!Object.hasOwn(SHAPES, type)) return { status: 'unknown', type: clip(type, 100) };
  const shape = SHAPES[type as ServerPacket['type']];
  const packet: Record<string, unknown> = { type };
  for (const [field, kind] of Object.entries(shape)) {
    const fieldValue = own(record, field);
    const problem = check(fieldValue, kind);
    if (problem) return malformed(`"${type}" packet: "${field}" ${problem}`);
    if (fieldValue !== undefined) packet[field] = kind === 'users' ? Object.freeze([...(fieldValue as unknown[])]) : fieldValue;
  }
  return { status: 'packet', packet: Object.freeze(packet) as unknown as ServerPacket };
}

function check(value: unknown, kind: Field): string | null {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? null : `must be a string, not ${describe(value)}`;
    case 'string?':
      return value === undefined || typeof value === 'string' ? null : `must be a string when present, not ${describe(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `must be a finite number, not ${describe(value)}`;
    case 'users':
      if (!Array.isArray(value)) return `must be an array, not ${describe(value)}`;
      for (let i = 0; i < value.length; i++) {
        const user: unknown = value[i];
        if (user !== null && typeof user !== 'string') return `[${i}] must be a string or null, not ${describe(user)}`;
      }
      return null;
  }
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function malformed(message: string): DecodeResult {
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
