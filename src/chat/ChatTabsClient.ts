import { SharedWebSocketClient, type IncomingData, type SharedTabsOptions, type WebSocketClientOptions } from '../core/index.js';
import type { ClientPacket } from '../protocol/index.js';

type Frame = { readonly [key: string]: unknown };

const isFrame = (value: unknown): value is Frame => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
/** A copy of `frame` without its `seq`: the connection's state now, not a place in the room's log. */
const unplaced = ({ seq: _, ...frame }: Frame): Frame => frame;

/** Options of a {@link ChatTabsClient} (`sharedChat()`'s). */
export interface ChatShareOptions extends Omit<SharedTabsOptions, 'replay'> {
  /**
   * The most room packets each tab keeps for a tab that opens later (its log so far), oldest
   * dropped first. Give the same as `<ChatProvider maxEntries>`. Default 5000.
   */
  readonly maxEntries?: number;
}

/** A room packet a tab keeps, and whether it was the user's own message. */
interface Kept {
  readonly packet: Frame;
  readonly own: boolean;
}

/**
 * The chat's connection shared by the tabs of an origin, which are one user: one name, one entry in
 * the user list, one sign-in. Every tab runs its own chat store on the one connection, but only the
 * leader's store speaks the handshake: in a follower, the sign-in's `username` (the connection
 * already has, or is getting, the name) and the catch-up `history` requests are not sent; the
 * leader's requests answer every tab (the replies reach all of them, and each store shows a room
 * packet once). Renames, messages, typing and older pages go out from any tab.
 *
 * Every tab keeps the room packets it saw (at most `maxEntries`), so that whichever leads can give
 * them to a tab that opens later (`replay`): the connection's `id`, then the log so far, then its
 * own `username` and the latest `userlist` (as state: they log nothing). A store with
 * `chatHistory()` takes the log as its catch-up, in the room's order (sign-ins from before as
 * history, older messages from the history's older pages, what comes live deduplicated by `seq`);
 * one without takes its messages (and edits) as they came, and no notice from before. The user's own
 * messages are its own in the new tab too.
 */
export class ChatTabsClient extends SharedWebSocketClient<unknown, ClientPacket> {
  /** The connection's id and name, as the room said them. */
  #id: unknown = null;
  #name: unknown = null;
  /** The open connection's `id`, own `username` and latest `userlist`, for a tab that opens later. */
  #idFrame: Frame | null = null;
  #nameFrame: Frame | null = null;
  #users: Frame | null = null;
  /** The room's `epoch` (protocol extension): its `seq`s start again in another. */
  #epoch: unknown;
  /** The room packets seen, oldest first, at most `#max` (and the `seq`s among them: each kept once). */
  #log: Kept[] = [];
  readonly #seqs = new Set<number>();
  readonly #max: number;
  /** Whether this tab's store asked for a catch-up (it has `chatHistory()`): see `replayed`. */
  #catchUpAsked = false;
  /** Whether the connection's catch-up is on its way (asked, not `done`): the log handed over is not complete. */
  #catchingUp = false;

  constructor(options: WebSocketClientOptions<unknown>, share: ChatShareOptions) {
    super(options, { ...share, replay: () => this.#replay() });
    this.#max = Math.max(1, share.maxEntries ?? 5000);
    // Registered before any store's: the store sees each packet after this has.
    this.on('close', () => {
      this.#id = this.#name = this.#idFrame = this.#nameFrame = this.#users = null;
      this.#catchingUp = false;
    });
    this.on('message', (message) => this.#watch(message));
    const send = this.sendJson;
    this.sendJson = (packet) => (this.#handshake(packet) ? 'sent' : send(packet));
  }

  /**
   * A tab that opens later: the `id` first (its store then asks for a catch-up if it has
   * `chatHistory()`), then the log, as that store takes it, then the name and the user list.
   */
  protected override replayed(frames: readonly IncomingData[]): void {
    const [id, log, ...state] = frames;
    if (id === undefined || typeof log !== 'string') return super.replayed(frames);
    this.#catchUpAsked = false;
    super.replayed([id]);
    const { packets, done } = JSON.parse(log) as { packets: Frame[]; done: boolean };
    if (this.#catchUpAsked) {
      // Not `done` while the leader's catch-up is on its way: the rest of it reaches this tab too,
      // and what comes live meanwhile waits for it (the history holds it).
      // Those after the connection's join came live (greater than any the catch-up has): they follow it.
      const placed = packets.filter((packet) => isSeq(packet.seq)).sort((a, b) => (a.seq as number) - (b.seq as number));
      const joined = this.#idFrame?.seq as number;
      const cut = done ? -1 : placed.findIndex((packet) => (packet.seq as number) > joined);
      const later = cut < 0 ? [] : placed.splice(cut);
      this.inject({ type: 'history', packets: placed, done }, log);
      for (const packet of later) this.inject(packet, '');
    } else {
      // As they came; sign-ins from before are not news (a store without history shows none from before it joined).
      for (const packet of packets) if (packet.type !== 'username') this.inject(packet, '');
    }
    super.replayed(state);
  }

  #watch(message: unknown): void {
    if (!isFrame(message)) return;
    switch (message.type) {
      case 'id':
        this.#id = message.id;
        this.#idFrame = message;
        this.#nameFrame = this.#users = null;
        if (message.epoch !== this.#epoch) this.#forget();
        this.#epoch = message.epoch;
        return;
      case 'userlist':
        this.#users = message;
        return;
      case 'username':
        if (message.id === this.#id) {
          this.#name = message.name;
          this.#nameFrame = message;
        }
        return this.#keep(message, false);
      case 'history':
        if (!isSeq(message.before) && message.done === true) this.#catchingUp = false;
        return this.#keepAll(message);
      case 'message':
        return this.#keep(message, message.id === this.#id);
      case 'edit':
      case 'delete':
        return this.#keep(message, false);
    }
  }

  /** A catch-up's packets after the log, an older page's before it. */
  #keepAll(frame: Frame): void {
    const packets = Array.isArray(frame.packets) ? (frame.packets as unknown[]).filter(isFrame) : [];
    const older = isSeq(frame.before);
    const kept = this.#log;
    if (older) this.#log = [];
    for (const packet of packets) this.#keep(packet, false);
    if (older) this.#log.push(...kept);
  }

  /** Keep a room packet (a sign-in, an edit, a refusal only when it has a `seq`: else not the room's). */
  #keep(packet: Frame, own: boolean): void {
    const seq = packet.seq;
    if (isSeq(seq)) {
      if (this.#seqs.has(seq)) return;
      this.#seqs.add(seq);
    } else if (packet.type !== 'message') return;
    // Trimmed in chunks, not at every packet of a flood.
    if (this.#log.push({ packet, own }) > this.#max + 64) {
      for (const { packet } of this.#log.splice(0, this.#log.length - this.#max)) this.#seqs.delete(packet.seq as number);
    }
  }

  #forget(): void {
    this.#log = [];
    this.#seqs.clear();
  }

  /**
   * What a tab that opens later gets (see `replayed`), while the connection is open: the `id`, the
   * log (own messages under this connection's id: the new tab shows them as its own), the name and
   * the user list, as JSON texts.
   */
  #replay(): IncomingData[] {
    if (!this.#idFrame || this.getSnapshot().readyState !== 1) return [];
    const id = this.#id;
    const packets = this.#log.map(({ packet, own }) => (own ? { ...packet, id } : packet));
    // Its own name as the connection's state: `previous`, the same name, makes it no sign-in.
    const name = this.#nameFrame && { ...unplaced(this.#nameFrame), previous: this.#name };
    const frames = [this.#idFrame, { packets, done: !this.#catchingUp }, name, this.#users && unplaced(this.#users)];
    return frames.flatMap((frame) => (frame ? [JSON.stringify(frame)] : []));
  }

  /** Whether `packet` is the handshake of a follower's store, which the leader's speaks instead. */
  #handshake(packet: ClientPacket): boolean {
    const catchUp = packet.type === 'history' && packet.before === undefined;
    // (Asked by every tab's store with the history, sent by the leader's.)
    if (catchUp) this.#catchingUp = true;
    if (this.getSnapshot().shared !== 'follower') return false;
    if (packet.type === 'username') return this.#name === null || packet.name === this.#name;
    // The leader's catch-up answers every tab; a tab that opens later has the log (see `replayed`).
    if (catchUp) this.#catchUpAsked = true;
    return catchUp;
  }
}
