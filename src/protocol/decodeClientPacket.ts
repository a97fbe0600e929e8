import { decodeObject, type FieldKind, type ShapeDecodeResult } from './decodeObject.js';
import type {
  ClientDeletePacket,
  ClientEditPacket,
  ClientHistoryPacket,
  ClientMessagePacket,
  ClientTypingPacket,
  ClientUsernamePacket,
} from './packets.js';

/**
 * A client packet as a server receives it. `id` and `date` are only kept when they are finite
 * numbers (a server takes the identity from the connection and may put its own clock in place of a
 * missing date), so they are optional here; everything else is as in {@link ClientPacket}.
 */
export type DecodedClientPacket =
  | (Omit<ClientUsernamePacket, 'id' | 'date'> & { readonly id?: number; readonly date?: number })
  | (Omit<ClientMessagePacket, 'id' | 'date'> & { readonly id?: number; readonly date?: number })
  | ClientHistoryPacket
  | (Omit<ClientTypingPacket, 'typing'> & { readonly typing?: boolean })
  | ClientEditPacket
  | ClientDeletePacket;

/**
 * The outcome of decoding one object a client sent:
 * - `packet`: a well-formed packet of a known type;
 * - `unknown`: a well-formed object whose `type` the server does not know (ignored, counted);
 *   `type` is cut to 100 characters: it is for counting and logging;
 * - `malformed`: anything else, with what is wrong.
 */
export type ClientDecodeResult = ShapeDecodeResult<DecodedClientPacket>;

// `id` and `date` are 'number~': MDN's sample client always sends them, but the server needs
// neither (identity comes from the connection, a missing date is the server's clock).
const SHAPES = {
  username: { name: 'string', id: 'number~', date: 'number~', session: 'string~', edits: 'boolean~' },
  message: { text: 'string', id: 'number~', date: 'number~', nonce: 'string?' },
  // Extension (history): a position that is not a number is left out (the server checks the rest).
  history: { after: 'number~', epoch: 'string~', before: 'number~', limit: 'number~' },
  // Extension (typing): anything but `true` is a stop.
  typing: { typing: 'boolean~' },
  // Extension (edits): the nonce names the sender's own message.
  edit: { nonce: 'string', text: 'string' },
  delete: { nonce: 'string' },
} satisfies Readonly<Record<DecodedClientPacket['type'], Readonly<Record<string, FieldKind>>>>;

/**
 * Check at run time that `value` (a parsed JSON frame) is a client packet of the MDN chat protocol,
 * and build a clean copy holding only the known fields (never the input object itself, so that
 * `__proto__`, a forged `name` in a message or other stray keys can do nothing downstream).
 */
export function decodeClientPacket(value: unknown): ClientDecodeResult {
  return decodeObject<DecodedClientPacket>(value, SHAPES);
}
