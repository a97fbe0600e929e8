import type { MessagePacket } from '../protocol/index.js';
import type { OutboxMessage } from './ChatOutbox.js';
import type { ChatMessageEntry } from './ChatState.js';

// The store's own-message bookkeeping: which incoming message confirms which own one, and which
// is a repeat. Functions over the store's list and set rather than a class: a class's method
// names survive minification, and this runs in the base chat kit (a class cost 90 B gzip more).

/** An own message the server has not echoed yet: what is sent (again, unchanged), and its entry in the log now. */
export interface OwnMessage extends OutboxMessage {
  entry: ChatMessageEntry;
}

/**
 * The own message (of `unconfirmed`, in the order written) this packet echoes: by nonce, or (a
 * server that drops it) by sender, date and text.
 */
export function matchOwn(unconfirmed: readonly OwnMessage[], packet: MessagePacket, clientId: number | null): OwnMessage | undefined {
  if (packet.nonce !== undefined) return unconfirmed.find((own) => own.nonce === packet.nonce);
  if (packet.id !== clientId) return undefined;
  // Any unconfirmed one, pending too: one held back by a slow link went out later without the
  // store being told. (A delivered message has already left `unconfirmed`.)
  return unconfirmed.find((own) => own.text === packet.text && own.date === packet.date);
}

/**
 * Remember the nonce of an echo shown (`seen`, oldest first), so that a resend relayed again (by a
 * server without the kit's dedupe) is not shown twice. At most `max`: only recent resends repeat one.
 */
export function rememberNonce(seen: Set<string>, nonce: string, max: number): void {
  // (Never empty here: its first is the oldest.)
  if (seen.add(nonce).size > max) seen.delete(seen.values().next().value as string);
}
