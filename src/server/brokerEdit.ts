// Edits and deletes when the broker knows who wrote what for every process (the Redis room): the
// rules of EditRelay, whose checks of the author and of a deletion are the broker's one step, so
// that every process gives the same answer (an author back on another process, or after its own
// restarted, changes its messages; a delete anywhere is a delete everywhere).
import type { EditRefusal, EditRefusedPacket, MessagePacket } from '../protocol/packets.js';
import type { ChatRoomOptions, RoomEdit } from './ChatRoomOptions.js';
import type { EditCounts, Editor } from './EditRelay.js';
import type { Authorship, BrokerChange, RoomBroker } from './RoomBroker.js';

/** Whose `message` (relayed for `member`) is, for the broker to keep; none without a nonce (it cannot be changed). */
export function authorship(member: Editor, message: MessagePacket): Authorship | undefined {
  return message.nonce ? { author: member.author, name: message.name, nonce: message.nonce } : undefined;
}

/**
 * `member`'s `request` (`refused`: by its connection's checks) through the room's broker, when it
 * keeps who wrote what (`RoomBroker.edit`; otherwise null: the room's EditRelay decides), counted in
 * `counts` as EditRelay counts. Resolves with the refusal for `member` alone, or null once the change
 * is published (every process delivers it, this one's members included). Never rejects: a broker
 * that failed (Redis out of reach: nothing published, the connection is being closed) is logged.
 */
export function brokerEdit(
  options: Pick<ChatRoomOptions, 'broker' | 'now' | 'log'>,
  member: Editor,
  request: RoomEdit,
  counts: EditCounts,
  refused?: EditRefusal,
): Promise<EditRefusedPacket | null> | null {
  const { broker, now, log } = options;
  if (!broker?.edit) return null;
  member.editListener = true;
  return decide(broker.edit.bind(broker), member, request, now(), counts, refused).catch((error: unknown) => {
    log({ type: 'error', id: member.id, error: error instanceof Error ? error : new Error(String(error)) });
    return null;
  });
}

async function decide(
  edit: NonNullable<RoomBroker['edit']>,
  member: Editor,
  request: RoomEdit,
  now: number,
  counts: EditCounts,
  refused?: EditRefusal,
): Promise<EditRefusedPacket | null> {
  const { type, nonce } = request;
  const change: BrokerChange =
    type === 'edit' ? { type, id: member.id, nonce, text: request.text, date: now } : { type, id: member.id, nonce, date: now };
  // In EditRelay's order: the connection's refusal, whose it is and whether deleted, then a blank text (checked only).
  const blank = type === 'edit' && request.text.trim() === '';
  const outcome = refused ?? (await edit(member.author, change, now, blank));
  const reason = blank && outcome === 0 ? 'blank' : outcome;
  if (typeof reason === 'number') {
    if (type === 'delete') counts.deletesRelayed++;
    else counts.editsRelayed++;
    return null;
  }
  counts.editsRefused++;
  return { type, nonce, refused: reason };
}
