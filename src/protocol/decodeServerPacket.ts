import { decodeObject, type FieldKind, type ShapeDecodeResult } from './decodeObject.js';
import type { ServerPacket } from './packets.js';

/**
 * The outcome of decoding one incoming object:
 * - `packet`: a well-formed packet of a known type;
 * - `unknown`: a well-formed object whose `type` the client does not know (ignored, counted);
 *   `type` is cut to 100 characters: it is for counting and logging;
 * - `malformed`: anything else, with what is wrong.
 */
export type DecodeResult = ShapeDecodeResult<ServerPacket>;

const SHAPES = {
  id: { id: 'number', ext: 'number~', session: 'string~', rateMessages: 'number~', rateInterval: 'number~' },
  rejectusername: { id: 'number', name: 'string' },
  userlist: { users: 'users' },
  username: { id: 'number', name: 'string', date: 'number', rejoin: 'boolean~', previous: 'string~' },
  message: { id: 'number', name: 'string', text: 'string', date: 'number', nonce: 'string?' },
} satisfies Readonly<Record<ServerPacket['type'], Readonly<Record<string, FieldKind>>>>;

/**
 * The packet types a client understands: the decoder table's own keys, so that a new packet type is
 * added in one place (its shape above) and the compiler finds every `switch` that must handle it.
 */
export const SERVER_PACKET_TYPES = Object.freeze(Object.keys(SHAPES)) as readonly ServerPacket['type'][];

/**
 * Check at run time that `value` (a parsed JSON frame) is a server packet of the MDN chat protocol,
 * and build a clean copy holding only the known fields (never the input object itself, so that
 * `__proto__` or other stray keys can do nothing downstream).
 */
export function decodeServerPacket(value: unknown): DecodeResult {
  return decodeObject<ServerPacket>(value, SHAPES);
}
