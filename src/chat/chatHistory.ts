import type { Unsubscribe } from '../core/index.js';
import { decodeServerPacket } from '../protocol/decodeServerPacket.js';
import type { ChatEntry, ChatHistoryState } from './ChatState.js';
import type { ChatConnection } from './ChatStoreOptions.js';
import { interceptMessages, type MessageListener } from './interceptMessages.js';

/**
 * How a {@link ChatHistory} changes its store: frozen entries put at the end of the log, or before
 * all others (`start`; the log is trimmed to `maxEntries` when published), and the history's state
 * published. `hold`: until a call without it, the store publishes no change of its log (the rest of
 * its state, this history's included, still publishes): a catch-up's rows are published together,
 * at once when the hold ends (not at the next scheduled publication).
 */
export type UpdateStore = (entries: readonly ChatEntry[], start: boolean, state: ChatHistoryState, hold?: boolean) => void;

/**
 * How long (ms) a catch-up may hold the log's changes back (see `UpdateStore`): its rows are
 * published together when it completes, so that the log renders once for a whole catch-up instead
 * of at every publication while its frames come in (each render of a long log slowed the frames'
 * handling: `npm run bench`'s resume scenario); a catch-up that takes longer (a slow link) shows what
 * came so far after this, and then as it comes. Own messages written meanwhile show with it.
 */
export const CATCH_UP_HOLD_MS = 500;

/**
 * The history of the kit's protocol extension for a chat store: the value passed as
 * `ChatStoreOptions.history` (or `<ChatProvider history>`), so that a bundle without it carries
 * none of this code. It only speaks to a server whose `id` announced `history` (never to MDN's sample
 * server, which would relay a request to every user).
 */
export interface ChatHistory {
  /**
   * Start for one store (called once, by its constructor): returns the connection the store reads
   * instead of `client`, which passes it what arrives in the room's order, each packet once.
   * `update` puts entries that are not packets in the log (sign-ins from the history, gaps, older
   * pages) and publishes the history's state.
   */
  attach(client: ChatConnection, update: UpdateStore): ChatConnection;
}

/** Options of {@link chatHistory}. */
export interface ChatHistoryOptions {
  /** How many packets an older page asks for (the server bounds it by its own page size). Default 50. */
  pageSize?: number;
  /** The clock, for the date of gap entries. Default `Date.now`. */
  now?: () => number;
}

/**
 * History for the chat store: on the first join it asks for the room's recent history; after a
 * reconnect, for exactly what it missed (from the last `seq` it showed); it shows every room packet
 * once and in the room's order, whatever arrives twice or early; it puts a gap entry ("some messages
 * may be missing") where the server says it no longer held something; sign-ins from the history are
 * entries marked `history`, not new sign-ins; and `state.history.loadOlder()` prepends older pages.
 * A message the history serves deleted shows as a tombstone with `messageEdits()`; without it, it is
 * left out of the log (it would be an empty row).
 *
 * @example
 * ```tsx
 * <ChatProvider url={url} username="ada" history={chatHistory()}>
 * ```
 */
export function chatHistory(options: ChatHistoryOptions = {}): ChatHistory {
  return {
    attach: (client, update) => new HistorySync(client, update, Math.max(1, options.pageSize ?? 50), options.now ?? Date.now).connection,
  };
}

type Listener = MessageListener;

type Frame = Record<string, unknown>;
type RoomFrame = Frame & { seq: number };

/** One store's history: where its log stands in the room's sequence, and what arrived early. */
class HistorySync {
  readonly #client: ChatConnection;
  readonly #update: UpdateStore;
  readonly #pageSize: number;
  /** The store's `message` listeners: what they get is in order, each room packet once. */
  readonly #listeners = new Set<Listener>();
  readonly #now: () => number;
  /** Keys of the entries made here: `h0`, `h1`... (the store's own start with `e`). */
  #nextKey = 0;
  /** The epoch of `#last` and `#first`, once a server announced one. */
  #epoch: string | undefined;
  /** The greatest `seq` shown (0: none): anything at or below it is a duplicate. */
  #last = 0;
  /** The smallest `seq` shown (0: none): older pages come before it. */
  #first = 0;
  /** The current connection's `seq` at joining: where older pages start when nothing is shown yet. */
  #joined = 0;
  /** Live room packets that came while a catch-up is on its way: shown after it, in order. */
  #held: RoomFrame[] = [];
  /** Whether the store holds the log's changes back (a catch-up on its way, for at most `CATCH_UP_HOLD_MS`). */
  #holding = false;
  #holdTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The store said it understands edits (`edits: true` in its `username`: `messageEdits()` adds it),
   * so it shows a message the history serves deleted as a tombstone; without, such a message is left
   * out (it would be an empty row).
   */
  #edits = false;
  #state: ChatHistoryState = {
    available: false,
    catchingUp: false,
    caughtUp: 0,
    loadingOlder: false,
    more: true,
    loadOlder: () => this.#loadOlder(),
  };

  constructor(client: ChatConnection, update: UpdateStore, pageSize: number, now: () => number) {
    this.#client = client;
    this.#update = update;
    this.#pageSize = pageSize;
    this.#now = now;
  }

  /** The connection the store reads: `client`, but for `message`, which comes through here, and `sendJson`, seen here. */
  get connection(): ChatConnection {
    return interceptMessages(
      this.#client,
      (listener) => this.#listen(listener),
      (packet) => {
        // (Sent while the store handles `id`: before any reply to the history request comes.)
        if (packet.type === 'username' && packet.edits) this.#edits = true;
        return this.#client.sendJson(packet);
      },
    );
  }

  /** The store listens: from then on this follows the client's frames and closes. */
  #listen(listener: Listener): Unsubscribe {
    this.#listeners.add(listener);
    this.#update([], false, this.#state);
    const stops = [
      this.#client.on('message', (value) => {
        if (!this.#receive(value)) this.#emit(value);
      }),
      this.#client.on('close', () => this.#closed()),
    ];
    return () => {
      this.#listeners.delete(listener);
      for (const stop of stops) stop();
    };
  }

  /** Pass a packet to the store, as if it had just arrived. */
  #emit(value: unknown): void {
    for (const listener of this.#listeners) listener(value, value as never);
  }

  /** Sees every frame first: true when it took it (a history reply, a live packet held or already shown). */
  #receive(value: unknown): boolean {
    if (!isFrame(value)) return false;
    if (value.type === 'id') {
      this.#joinedAt(value);
      return false;
    }
    if (!this.#state.available) return false;
    if (value.type === 'history') {
      if (isSeq(value.before)) this.#olderPage(value);
      else this.#catchUp(value);
      return true;
    }
    // Not a room packet (rejectusername, the echo of a resend): the store's, as it comes.
    if (!isSeq(value.seq)) return false;
    if (this.#state.catchingUp) {
      this.#held.push(value as RoomFrame);
      return true;
    }
    return !this.#advance(value.seq);
  }

  #closed(): void {
    // What was held never counts as shown: the next catch-up starts before it.
    this.#held = [];
    this.#hold(false);
    this.#set({ available: false, catchingUp: false, loadingOlder: false });
  }

  #loadOlder(): boolean {
    const { available, catchingUp, loadingOlder, more } = this.#state;
    if (!available || catchingUp || loadingOlder || !more) return false;
    this.#client.sendJson({ type: 'history', before: this.#first || this.#joined + 1, limit: this.#pageSize });
    this.#set({ loadingOlder: true });
    return true;
  }

  /** A new connection: ask for the recent history, or for what was missed since the last `seq` shown. */
  #joinedAt(id: Frame): void {
    const { history, seq, epoch } = id;
    if (!(isSeq(history) && isSeq(seq) && typeof epoch === 'string')) {
      this.#set({ available: false });
      return;
    }
    this.#joined = seq;
    this.#held = [];
    this.#client.sendJson(this.#epoch === undefined ? { type: 'history' } : { type: 'history', after: this.#last, epoch: this.#epoch });
    if (epoch !== this.#epoch) {
      // Another sequence (the first, or a restarted server's): positions start again.
      this.#epoch = epoch;
      this.#last = 0;
      this.#first = 0;
    }
    this.#hold(true);
    this.#set({ available: true, catchingUp: true });
  }

  /** A frame of the catch-up: its packets in order (a gap entry first where it says), then, when done, what was held. */
  #catchUp(frame: Frame): void {
    if (isSeq(frame.gap)) {
      this.#insert([Object.freeze({ kind: 'gap', key: this.#key(), date: this.#now(), before: frame.gap })]);
    }
    // (Not `packetsOf`: no array and no callback per packet, a catch-up's 10 000 included.)
    const packets = Array.isArray(frame.packets) ? (frame.packets as unknown[]) : [];
    for (const packet of packets) if (isFrame(packet) && isSeq(packet.seq) && this.#advance(packet.seq)) this.#show(packet as RoomFrame);
    if (frame.done !== true) return;
    this.#set({ catchingUp: false, caughtUp: this.#state.caughtUp + 1 });
    const held = this.#held;
    this.#held = [];
    for (const packet of held) if (this.#advance(packet.seq)) this.#emit(packet);
    // Everything at once: the catch-up, what came live meanwhile, and its end.
    this.#hold(false);
  }

  /** An older page: the packets older than the log's oldest, put before it. */
  #olderPage(frame: Frame): void {
    const first = this.#first || this.#joined + 1;
    const entries: ChatEntry[] = [];
    // Edits and deletes of its messages (`messageEdits()`), for the store once the page is in the log.
    const changes: RoomFrame[] = [];
    let oldest = first;
    let newest = 0;
    for (const packet of packetsOf(frame)) {
      if (packet.seq >= first) continue;
      oldest = Math.min(oldest, packet.seq);
      newest = Math.max(newest, packet.seq);
      const entry = this.#entry(packet);
      if (entry) entries.push(entry);
      else if (packet.type === 'edit' || packet.type === 'delete') changes.push(packet);
    }
    this.#first = oldest;
    // Nothing shown yet (an empty catch-up): the page is what is shown.
    if (this.#last === 0) this.#last = newest;
    this.#insert(entries, true);
    for (const packet of changes) this.#emit(packet);
    this.#set({ loadingOlder: false, more: frame.more !== false });
  }

  /** Whether `seq` is new (greater than any shown): then it is the last shown. */
  #advance(seq: number): boolean {
    if (seq <= this.#last) return false;
    this.#last = seq;
    if (this.#first === 0) this.#first = seq;
    return true;
  }

  /**
   * A packet of the catch-up: a sign-in as a `history` one; a user list not at all (stale by now: the
   * live one that follows counts), nor a deleted message without edits (`#erased`); anything else as
   * the store handles it (a message, its own confirmed by nonce; what does not decode, counted and
   * reported).
   */
  #show(packet: RoomFrame): void {
    if (packet.type === 'userlist' || this.#erased(packet)) return;
    const entry = packet.type === 'username' ? this.#entry(packet) : null;
    if (entry) this.#insert([entry]);
    else if (packet.type !== 'username' || decodeServerPacket(packet).status !== 'packet') this.#emit(packet);
  }

  /**
   * The entry a history packet makes: a message, or a sign-in marked `history`; none for a rejoin, a
   * user list (stale by now), a deleted message without edits (`#erased`) or what does not decode.
   */
  #entry(value: Frame): ChatEntry | null {
    if (this.#erased(value)) return null;
    const result = decodeServerPacket(value);
    if (result.status !== 'packet') return null;
    const packet = result.packet;
    const key = this.#key();
    if (packet.type === 'message') {
      const { id: senderId, name, text, date, nonce } = packet;
      // As the server's history has it now (its edit or delete may be in a newer page, already shown).
      const { deleted, edited } = value;
      const changed = deleted === true ? { deleted } : typeof edited === 'number' ? { edited } : null;
      return Object.freeze({ kind: 'message', key, date, senderId, name, text, own: false, status: 'delivered', nonce, ...changed });
    }
    if (packet.type === 'username' && !packet.rejoin) {
      return Object.freeze({ kind: 'signin', key, date: packet.date, senderId: packet.id, name: packet.name, history: true });
    }
    return null;
  }

  /**
   * A message the history serves deleted (its text erased), for a store without edits: left out of
   * the log, as its live `delete` never reaches such a store (the server relays it only to clients
   * that understand edits). An empty row would look broken, and the kit without edits has no words
   * for a tombstone; left out, it counts nowhere (unread, day separators, grouping, `maxEntries`)
   * and is announced to no one. Its `seq` still counts as shown.
   */
  #erased(packet: Frame): boolean {
    return packet.deleted === true && !this.#edits;
  }

  #key(): string {
    return `h${this.#nextKey++}`;
  }

  #set(patch: Partial<ChatHistoryState>): void {
    this.#state = Object.freeze({ ...this.#state, ...patch });
    this.#update([], false, this.#state, this.#holding);
  }

  #insert(entries: readonly ChatEntry[], start = false): void {
    this.#update(entries, start, this.#state, this.#holding);
  }

  /** Hold the log's changes back (for at most `CATCH_UP_HOLD_MS`), or let them go. */
  #hold(on: boolean): void {
    clearTimeout(this.#holdTimer);
    this.#holding = on;
    if (on) this.#holdTimer = setTimeout(() => this.#hold(false), CATCH_UP_HOLD_MS);
    else this.#update([], false, this.#state);
  }
}

function isFrame(value: unknown): value is Frame {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A reply's room packets (those with a `seq`), oldest first. */
function packetsOf(frame: Frame): RoomFrame[] {
  const packets = Array.isArray(frame.packets) ? (frame.packets as unknown[]) : [];
  return packets.filter((packet): packet is RoomFrame => isFrame(packet) && isSeq(packet.seq));
}
