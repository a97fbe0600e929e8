import type { Authorship, BrokerChange } from '../RoomBroker.js';
import { authorKey, EDIT_DELETED, EDIT_NOT_YOURS, EDIT_SCRIPT, EDIT_STALE } from './editScripts.js';
import type { roomKeys } from './redisScripts.js';
import { type RedisClient, runScript } from './runScript.js';

/** What PUBLISH_SCRIPT takes besides its own for a message `written` (none: nothing to change later). */
export function authorshipOf(keys: ReturnType<typeof roomKeys>, written?: Authorship): { keys: string[]; args: string[] } {
  if (!written) return { keys: [], args: [] };
  return { keys: [authorKey(keys.prefix, written.author, written.nonce)], args: [JSON.stringify(written.name)] };
}

/** What runEdit needs of the backend. */
export interface EditContext {
  readonly client: RedisClient;
  readonly keys: ReturnType<typeof roomKeys>;
  readonly epoch: string;
  /** The Stream's MAXLEN. */
  readonly maxlen: number;
}

/**
 * Run EDIT_SCRIPT for `author`'s `change` (see `RoomBroker.edit`). Rejects when the room's sequence
 * is not `context.epoch` (nothing done: the caller treats it as an outage, as for a publish).
 */
export async function runEdit(
  context: EditContext,
  author: string,
  change: BrokerChange,
  at: number,
  check = false,
): Promise<number | 'not-yours' | 'deleted'> {
  const { client, keys, epoch, maxlen } = context;
  // The packet as the room serializes it (`type`, `id`, `name`, then the rest): the name goes between.
  const { type, id, ...rest } = change;
  const head = `${JSON.stringify({ type, id }).slice(0, -1)},"name":`;
  const tail = `,${JSON.stringify(rest).slice(1)}`;
  const mode = check ? 'check' : type;
  const script = [keys.epoch, keys.seq, keys.log, authorKey(keys.prefix, author, change.nonce), keys.amended];
  const text = change.type === 'edit' ? change.text : '';
  const args = [epoch, head, tail, String(at), String(maxlen), mode, text, String(change.date)];
  const reply = Number(await runScript(client, EDIT_SCRIPT, script, args));
  if (reply === EDIT_STALE) throw new StaleSequenceError();
  if (reply === EDIT_NOT_YOURS) return 'not-yours';
  if (reply === EDIT_DELETED) return 'deleted';
  return reply;
}

/** The room's sequence changed under the node (Redis lost its data): nothing was published. */
export class StaleSequenceError extends Error {
  constructor() {
    super("The room's sequence changed under this node (Redis lost its data): not published");
  }
}
