// The room's edits and deletes of own messages (protocol extension), apart from its names and
// messages: who wrote which message, who may change it, what the change is relayed as, and what the
// history must serve in place of what it replaced.
import { nameKey } from '../protocol/names.js';
import type { DeletePacket, EditPacket, EditRefusal, EditRefusedPacket, MessagePacket } from '../protocol/packets.js';
import type { RoomEdit } from './ChatRoomOptions.js';

/** What the relay reads and keeps on a room member. */
export interface Editor {
  readonly id: number;
  readonly name: string | null;
  /**
   * Who its messages belong to: the `session` of its user's first connection, handed on to each
   * connection that rejoins with the session (server-side only: never sent, never taken from a client).
   */
  author: string;
  /** It said it understands `edit` and `delete` packets (`edits: true` in `username`, or a frame of its own): it gets them live. */
  editListener: boolean;
}

/** The room's edit counters (`RoomCounts`), counted here. */
export interface EditCounts {
  editsRelayed: number;
  deletesRelayed: number;
  editsRefused: number;
}

/** A packet of one message (the message, or a change of it) as relayed, and its `seq` once numbered. */
interface Relayed {
  readonly packet: MessagePacket | EditPacket | DeletePacket;
  seq: number | null;
}

/** Serve history entry `seq` as `text` from now on (`RoomHistory.amend`). */
export interface Amendment {
  readonly seq: number;
  readonly text: string;
}

/** A message that may be edited: whose it is and under which name and nonce it went out. */
interface Written {
  readonly author: string;
  readonly name: string;
  readonly nonce: string;
  /** When it was relayed (the server's clock): what the window counts from. */
  readonly at: number;
  deleted: boolean;
  /** Its text now and when it was last edited (undefined: never). */
  text: string;
  edited: number | undefined;
  /** The message (when the room gave it), then its changes, as relayed: what the history is amended on. */
  readonly relayed: Relayed[];
}

/** The packet to broadcast for an accepted change, or the refusal for its sender alone. */
export type EditOutcome =
  | { readonly relay: EditPacket | DeletePacket; readonly refused?: undefined }
  | { readonly refused: EditRefusedPacket; readonly relay?: undefined };

/**
 * Which messages may be changed, and by whom. A message is its author's to edit and delete: the
 * connection that sent it, or one that rejoined with its session later (a reconnect). It is known by
 * its (name, nonce), unique in the room as long as the dedupe window remembers it (a resend of a
 * (name, nonce) is not relayed), and remembered as long: `windowMs` and `capacity` are the room's
 * `dedupeWindow` and `dedupeCapacity`, never shorter than its history. A message without a nonce
 * (MDN's client sends none) cannot be changed. With each message it keeps the packets relayed for it
 * and their `seq`s: what the history is amended on, so that it never serves a replaced text.
 */
export class EditRelay {
  /** By `nameKey(name)\nnonce`, in the order they were written (the oldest first, for pruning). */
  readonly #byMessage = new Map<string, Written>();
  /** The same, by `author\nnonce`: what an author's `edit` names. */
  readonly #byAuthor = new Map<string, Written>();
  readonly #windowMs: number;
  readonly #capacity: number;
  readonly #counts: EditCounts;

  constructor(windowMs: number, capacity: number, counts: EditCounts) {
    this.#windowMs = windowMs;
    this.#capacity = capacity;
    this.#counts = counts;
  }

  /** How many messages it remembers. */
  get size(): number {
    return this.#byMessage.size;
  }

  /**
   * `member` wrote a message relayed as `name` with `nonce`: its author may change it. The first
   * writer of a (name, nonce) keeps it (a resend, or someone else's copy of the nonce under a name
   * taken later, gets nothing). Returns whether it was new.
   */
  wrote(member: Editor, name: string, nonce: string, now: number, message?: MessagePacket): boolean {
    this.#prune(now);
    const key = `${nameKey(name)}\n${nonce}`;
    if (this.#byMessage.has(key)) return false;
    const relayed = message ? [{ packet: message, seq: null }] : [];
    const written: Written = {
      author: member.author,
      name,
      nonce,
      at: now,
      deleted: false,
      text: message?.text ?? '',
      edited: undefined,
      relayed,
    };
    this.#byMessage.set(key, written);
    this.#byAuthor.set(`${member.author}\n${nonce}`, written);
    while (this.#byMessage.size > this.#capacity) this.#forgetOldest();
    return true;
  }

  /** Undo {@link wrote} (a message the broker found to be a resend after all). */
  unwrote(name: string, nonce: string): void {
    const written = this.#byMessage.get(`${nameKey(name)}\n${nonce}`);
    if (written) this.#forget(written);
  }

  /**
   * An `edit` or `delete` from `member` (`refused`: the connection's own checks refused it, e.g. a
   * text too long): the packet to relay to the room, or the refusal for `member` alone.
   */
  change(member: Editor, request: RoomEdit, now: number, refused?: EditRefusal): EditOutcome {
    member.editListener = true;
    this.#prune(now);
    const written = this.#byAuthor.get(`${member.author}\n${request.nonce}`);
    const reason =
      refused ??
      (!written ? 'not-yours' : written.deleted ? 'deleted' : request.type === 'edit' && request.text.trim() === '' ? 'blank' : null);
    if (reason || !written) {
      this.#counts.editsRefused++;
      return { refused: { type: request.type, nonce: request.nonce, refused: reason ?? 'not-yours' } };
    }
    const { name, nonce } = written;
    let relay: EditPacket | DeletePacket;
    if (request.type === 'delete') {
      written.deleted = true;
      written.text = '';
      this.#counts.deletesRelayed++;
      relay = { type: 'delete', id: member.id, name, nonce, date: now };
    } else {
      written.text = request.text;
      written.edited = now;
      this.#counts.editsRelayed++;
      relay = { type: 'edit', id: member.id, name, nonce, text: request.text, date: now };
    }
    written.relayed.push({ packet: relay, seq: null });
    return { relay };
  }

  /**
   * The room gave `packet` (a message it told {@link wrote} of, or a change {@link change} made) the
   * `seq` it was kept under. Returns the amendment it needs already (changed before it was numbered:
   * a broker numbers later), if any.
   */
  numbered(packet: MessagePacket | EditPacket | DeletePacket, seq: number): Amendment[] {
    const written = this.#byMessage.get(`${nameKey(packet.name)}\n${packet.nonce}`);
    const relayed = written?.relayed.find((r) => r.packet === packet);
    if (!written || !relayed) return [];
    relayed.seq = seq;
    const amendment = amend(written, relayed);
    return amendment ? [amendment] : [];
  }

  /**
   * What the history must serve in place of what `packet` (a change from {@link change}) replaced:
   * each packet of its message numbered so far, as it reads now (the message with its text now, or
   * empty and `deleted: true`; an earlier edit with the text now, or as a `delete`). So that no
   * catch-up or older page serves a text edited away or deleted (the changes keep their place in the
   * sequence: resuming clients need them, and `seq`s stay gap-free).
   */
  amendments(packet: EditPacket | DeletePacket): Amendment[] {
    const written = this.#byMessage.get(`${nameKey(packet.name)}\n${packet.nonce}`);
    const amendments: Amendment[] = [];
    for (const relayed of written?.relayed ?? []) {
      if (relayed.packet === packet) break;
      const amendment = written && amend(written, relayed);
      if (amendment) amendments.push(amendment);
    }
    return amendments;
  }

  #prune(now: number): void {
    for (const written of this.#byMessage.values()) {
      if (now - written.at < this.#windowMs) break;
      this.#forget(written);
    }
  }

  #forgetOldest(): void {
    const oldest = this.#byMessage.values().next();
    if (!oldest.done) this.#forget(oldest.value);
  }

  #forget(written: Written): void {
    this.#byMessage.delete(`${nameKey(written.name)}\n${written.nonce}`);
    const byAuthor = `${written.author}\n${written.nonce}`;
    // (One author may have reused a nonce under another name: that one keeps its key.)
    if (this.#byAuthor.get(byAuthor) === written) this.#byAuthor.delete(byAuthor);
  }
}

/** `relayed` as its message reads now (none: not numbered yet, or it reads so already). */
function amend(written: Written, relayed: Relayed): Amendment | null {
  const { packet, seq } = relayed;
  if (seq === null || packet.type === 'delete') return null;
  const { text, edited, deleted } = written;
  if (packet.type === 'message') {
    if (edited === undefined && !deleted) return null;
    return { seq, text: JSON.stringify(deleted ? { ...packet, text, deleted, seq } : { ...packet, text, edited, seq }) };
  }
  if (deleted) {
    const { id, name, nonce, date } = packet;
    return { seq, text: JSON.stringify({ type: 'delete', id, name, nonce, date, seq }) };
  }
  return packet.text === text ? null : { seq, text: JSON.stringify({ ...packet, text, seq }) };
}

/**
 * Whether a room packet's JSON is an `edit` or a `delete` (as the room serializes them, `type`
 * first): relayed live only to the members that understand them, never to MDN's client.
 */
export function isEditText(text: string): boolean {
  return text.startsWith('{"type":"edit"') || text.startsWith('{"type":"delete"');
}
