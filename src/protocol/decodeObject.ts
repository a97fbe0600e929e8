/**
 * How a field is checked:
 * - `string`: a string, required;
 * - `string?`: a string when present;
 * - `number`: a finite number, required;
 * - `number~`: kept when it is a finite number, otherwise left out (never an error);
 * - `string~`, `boolean~`: likewise, for the fields of a protocol extension, which a peer that does
 *   not speak it may leave out or fill with anything;
 * - `users`: an array of strings and nulls (copied and frozen).
 */
export type FieldKind = 'string' | 'string?' | 'number' | 'number~' | 'string~' | 'boolean~' | 'users';

/** The fields of each packet type. */
export type PacketShapes = Readonly<Record<string, Readonly<Record<string, FieldKind>>>>;

/**
 * The outcome of decoding one object: a well-formed packet of a known type; an object whose
 * `type` is unknown (ignored and counted by the caller; `type` cut to 100 characters, it is for
 * logs); or anything else, with what is wrong.
 */
export type ShapeDecodeResult<P> =
  | { readonly status: 'packet'; readonly packet: P }
  | { readonly status: 'unknown'; readonly type: string }
  | { readonly status: 'malformed'; readonly message: string };

/**
 * Check `value` (a parsed JSON frame) against `shapes` and build a frozen clean copy holding only
 * the known fields, never the input object itself: `__proto__`, forged fields and other stray keys
 * can do nothing downstream. Only own properties count; prototype names are not types.
 */
export function decodeObject<P>(value: unknown, shapes: PacketShapes): ShapeDecodeResult<P> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed(`a packet must be a JSON object, not ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  const type = own(record, 'type');
  if (typeof type !== 'string') return malformed(`a packet's "type" must be a string, not ${describe(type)}`);
  if (!Object.hasOwn(shapes, type)) return { status: 'unknown', type: clip(type, 100) };
  const packet: Record<string, unknown> = { type };
  const shape = shapes[type] as Readonly<Record<string, FieldKind>>;
  // `for…in` over the shape (a plain literal: its own keys only) allocates nothing per packet,
  // where `Object.entries` made an array of pairs for every packet (a catch-up decodes thousands).
  for (const field in shape) {
    const kind = shape[field]!;
    const fieldValue = own(record, field);
    if (kind === 'number~' || kind === 'string~' || kind === 'boolean~') {
      if (kind === 'number~' ? isFiniteNumber(fieldValue) : typeof fieldValue === kind.slice(0, -1)) packet[field] = fieldValue;
      continue;
    }
    const problem = check(fieldValue, kind);
    if (problem) return malformed(`"${type}" packet: "${field}" ${problem}`);
    if (fieldValue !== undefined) packet[field] = kind === 'users' ? Object.freeze([...(fieldValue as unknown[])]) : fieldValue;
  }
  return { status: 'packet', packet: Object.freeze(packet) as P };
}

function check(value: unknown, kind: Exclude<FieldKind, `${string}~`>): string | null {
  if (kind === 'string?' && value === undefined) return null;
  switch (kind) {
    case 'string':
    case 'string?':
      return typeof value === 'string' ? null : `must be a string, not ${describe(value)}`;
    case 'number':
      return isFiniteNumber(value) ? null : `must be a finite number, not ${describe(value)}`;
    case 'users':
      if (!Array.isArray(value)) return `must be an array, not ${describe(value)}`;
      for (let i = 0; i < value.length; i++) {
        const user: unknown = value[i];
        if (user !== null && typeof user !== 'string') return `[${i}] must be a string or null, not ${describe(user)}`;
      }
      return null;
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function malformed(message: string): { readonly status: 'malformed'; readonly message: string } {
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
