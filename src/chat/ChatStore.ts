import { Subscribable, createWebSocketError, type SendResult, type Unsubscribe, type WebSocketClient } from '../core/index.js';
import { createFrameScheduler, type Scheduler } from './createFrameScheduler.js';
import { decodeServerPacket, encodeMessage, encodeUsername, type ClientPacket, type MessagePacket } from '../protocol/index.js';
import { createPacer, type Pacer } from '../protocol/createPacer.js';
import { createPresence, type Presence } from './createPresence.js';
import { matchOwn, rememberNonce, type OwnMessage } from './ownMessages.js';
import { serverFeatures } from './serverFeatures.js';
import type { ChatEntry, ChatMessageEntry, ChatState } from './ChatState.js';
import type { OutboxEntry, OutboxMessage } from './ChatOutbox.js';
import type { ChatConnection, ChatListener, ChatStoreOptions } from './ChatStoreOptions.js';

const DEFAULT_MAX_ENTRIES = 5000;
const DEFAULT_MAX_UNCONFIRMED = 500;

/**
 * The MDN chat over a {@link WebSocketClient}, with no React: on `id` it remembers the id and asks for
 * the user name; it keeps the users and the log; it shows the user's messages at once and sends them
 * when it can, in order, again after a reconnect if they were not echoed, and never shows one twice.
 * Changes are published in batches (one per animation frame by default), so a burst of packets is one
 * update.
 */
export class ChatStore extends Subscribable<ChatListener> {
  #state: ChatState;
  readonly #client: ChatConnection;
  readonly #maxEntries: number;
  readonly #maxUnconfirmed: number;
  readonly #schedule: Scheduler;
  readonly #now: () => number;
  #requestedName: string;
  /** The `session` of the last `id` (protocol extension): sent back after a reconnect to rejoin as the same user. */
  #session: string | undefined;
  /**
   * `clientId` as published next (the draft's): a field, because every incoming message reads it and
   * `#current`'s lookup in the draft cost more than the rest of a message's bookkeeping (profiled).
   */
  #clientId: number | null = null;
  /** Sign-in, name-change and leave notices. */
  readonly #presence: Presence;

  // Working copies, published by `flush`.
  /** Not `#` private: a test checks that it stays bounded while publishing is paused. */
  private entries: ChatEntry[] = [];
  #draft: Partial<Omit<ChatState, 'entries'>> = {};
  #entriesChanged = false;
  #cancelFlush: (() => void) | null = null;
  /** The history holds the log's changes back (`UpdateStore`'s `hold`): the rest of the state still publishes. */
  #held: boolean | undefined;

  /** Own messages the server has not echoed yet, in the order written. */
  readonly #unconfirmed: OwnMessage[] = [];
  /** JSON texts of the store's own packets that the connection queued (see `#sendPacket`). */
  readonly #queued = new Set<string>();
  /** Nonces of echoes already shown: a message resent after a reconnect is not shown twice. */
  readonly #seenNonces = new Set<string>();
  #nextKey = 0;
  readonly #nonceBase = Math.random().toString(36).slice(2, 10);
  /** This connection's frames through the server's rate (announced in `id`), or null: no pacing. */
  #pacer: Pacer | null | undefined;
  /** The durable outbox's sink (`persist`): told of each own message kept (written, restored) or gone (echoed). */
  readonly #keep: ((message: OutboxEntry | OutboxMessage, kept: boolean) => void) | undefined;
  /** The durable outbox's `retry` and `discard`: only it makes a message `failed`. */
  readonly #settle: ((key: string, retry: boolean) => boolean) | undefined;

  constructor(client: ChatConnection, options: ChatStoreOptions) {
    super();
    const outbox = options.persist?.attach(client, {
      username: options.username,
      restore: (messages) => {
        // One the log already shows (a history's catch-up brought it first) is done with.
        for (const message of messages) {
          if (this.#seenNonces.has(message.nonce)) this.#keep?.(message, false);
          else this.#own(message.text, message.date, message.nonce);
        }
      },
      settle: (nonce, status) => {
        const own = this.#unconfirmed.find((own) => own.nonce === nonce);
        if (own) {
          if (status) {
            this.#update(own, { status });
            if (status === 'pending' && this.#current('signedIn')) this.#transmit(own);
          } else {
            this.#unconfirmed.splice(this.#unconfirmed.indexOf(own), 1);
            this.entries = this.entries.filter((entry) => entry.key !== own.entry.key);
            this.#entriesChanged = true;
          }
          // (A failure leaves the count as it is.)
          this.#set(status === 'failed' ? {} : { unconfirmed: this.#unconfirmed.length });
        }
        return !!own;
      },
    });
    this.#keep = outbox?.keep;
    this.#settle = outbox?.settle;
    const connection = outbox?.connection ?? client;
    // With history, the store reads its connection through it: it orders and completes what arrives;
    // with edits, through them too (after the history: they apply in the room's order).
    const ordered =
      options.history?.attach(connection, (entries, start, history, hold) => {
        if (entries[0]) {
          this.entries[start ? 'unshift' : 'push'](...entries);
          this.#entriesChanged = true;
        }
        const released = this.#held && !hold;
        this.#held = hold;
        this.#set({ history });
        // A catch-up's rows, held until it ended, show now, not a publication interval later.
        if (released) this.flush();
      }) ?? connection;
    this.#client =
      options.edits?.attach(
        ordered,
        (change, edits) => {
          this.entries = this.entries.map(change);
          this.#entriesChanged = true;
          // (Last: a scheduler may publish at once.)
          this.#set({ edits });
          return this.entries;
        },
        outbox,
      ) ?? ordered;
    this.#maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.#maxUnconfirmed = Math.max(1, options.maxUnconfirmed ?? DEFAULT_MAX_UNCONFIRMED);
    this.#schedule = options.schedule ?? createFrameScheduler();
    this.#now = options.now ?? (() => Date.now());
    this.#requestedName = options.username;
    this.#presence = createPresence((notice) => {
      this.#append({ ...notice, key: this.#key() });
      this.#scheduleFlush();
    }, this.#now);
    this.#state = Object.freeze({
      clientId: null,
      username: options.username,
      signedIn: false,
      server: null,
      users: Object.freeze([]),
      entries: Object.freeze([]),
      unconfirmed: 0,
      unknownPackets: 0,
      malformedPackets: 0,
      error: null,
    });
  }

  /**
   * The published state: the same object until a batch is published, so it trails `send()` and
   * incoming packets by up to one publication (see `schedule`). Call {@link ChatStore.flush} first
   * where the very latest matters (a `beforeunload` guard on `unconfirmed`).
   */
  getState = (): ChatState => this.#state;

  /** Follow the connection: returns the function that stops following it. */
  attach(): Unsubscribe {
    const stops = [
      this.#client.on('message', (value) => this.#receive(value)),
      this.#client.on('close', () => this.#disconnected()),
      this.#client.on('error', (error) => this.#set({ error })),
    ];
    return () => {
      for (const stop of stops) stop();
      this.#pacer?.clear();
      this.#presence.clear();
      this.#cancelFlush?.();
      this.#cancelFlush = null;
    };
  }

  /**
   * Write a message. It appears in the log at once, as pending until it is on the wire, and is sent
   * as soon as the server knows the user. Blank text is refused, and so is any text while
   * `maxUnconfirmed` messages still wait for the server (reported as an `'overflow'` error).
   *
   * @returns the new entry, or null when the text was refused.
   */
  send(text: string): ChatMessageEntry | null {
    if (text.trim() === '') return null;
    if (this.#unconfirmed.length >= this.#maxUnconfirmed) {
      this.#set({
        error: createWebSocketError('overflow', `Not sent: ${this.#unconfirmed.length} messages are still waiting for the server.`, {
          data: text,
        }),
      });
      return null;
    }
    return this.#own(text, this.#now(), `${this.#nonceBase}-${this.#nextKey.toString(36)}`);
  }

  /**
   * Send a message that `failed` again (same nonce: a server that got it relays it once), as pending.
   * Only a durable outbox (`persist`) makes a message fail, so the outbox does it (its `settle`).
   *
   * @returns whether `key` was a failed message.
   */
  retry(key: string): boolean {
    return !!this.#settle?.(key, true);
  }

  /**
   * Remove a message that `failed` from the log (and from the durable outbox, which does it: see
   * `retry`). Should the server still echo it, it shows as a message then.
   *
   * @returns whether `key` was a failed message.
   */
  discard(key: string): boolean {
    return !!this.#settle?.(key, false);
  }

  /** Ask for another user name (sent at once when connected, else at the next sign-in). */
  setUsername(name: string): void {
    if (name === this.#requestedName) return;
    this.#requestedName = name;
    this.#set({ username: name });
    const id = this.#clientId;
    if (id !== null && this.#current('signedIn')) this.#pace(() => this.#sendPacket(encodeUsername(name, id, this.#now())));
  }

  /** Publish pending changes now instead of at the next scheduled moment. */
  flush = (): void => {
    this.#cancelFlush?.();
    this.#cancelFlush = null;
    // The log's changes wait while the history holds them (a catch-up on its way).
    const entriesChanged = this.#entriesChanged && !this.#held;
    if (!entriesChanged && Object.keys(this.#draft).length === 0) return;
    if (this.entries.length > this.#maxEntries) this.entries.splice(0, this.entries.length - this.#maxEntries);
    const next: ChatState = Object.freeze({
      ...this.#state,
      ...this.#draft,
      entries: entriesChanged ? Object.freeze(this.entries.slice()) : this.#state.entries,
    });
    this.#draft = {};
    if (entriesChanged) this.#entriesChanged = false;
    this.#state = next;
    this.emit(next);
  };

  // ---- incoming ---------------------------------------------------------------------------------

  #receive(value: unknown): void {
    const result = decodeServerPacket(value);
    if (result.status === 'unknown') {
      this.#set({ unknownPackets: this.#current('unknownPackets') + 1 });
    } else if (result.status === 'malformed') {
      this.#set({
        malformedPackets: this.#current('malformedPackets') + 1,
        error: Object.freeze({ ...createWebSocketError('parse', result.message, { data: value }), kind: 'packet' as const }),
      });
    } else {
      const packet = result.packet;
      switch (packet.type) {
        case 'id': {
          const server = serverFeatures(packet);
          // One token held back: a margin for the two ends' clocks (millisecond rounding, a clock
          // step), at no cost in throughput (the server's bucket starts earlier and refills alike).
          this.#pacer = server?.rate && createPacer(server.rate, this.#now, 1);
          this.#set({ server });
          this.#signIn(packet.id, packet.ext === undefined ? undefined : this.#session);
          this.#session = packet.session;
          break;
        }
        case 'rejectusername':
          this.#append({ kind: 'rename', key: this.#key(), date: this.#now(), name: packet.name, requested: this.#requestedName });
          this.#requestedName = packet.name;
          this.#presence.rejected(packet.name);
          this.#set({ username: packet.name });
          break;
        case 'username':
          this.#presence.username(packet, packet.id === this.#clientId);
          break;
        case 'message':
          this.#message(packet);
          break;
        case 'userlist':
          this.#presence.userlist(packet.users);
          this.#set({ users: packet.users });
          break;
        default:
          // Every type of the decoder table has its case: a new packet type fails to compile here.
          packet satisfies never;
      }
    }
    this.#scheduleFlush();
  }

  /** The MDN flow: remember the id, ask for the name (rejoining with `session`), then send what waits, in order. */
  #signIn(id: number, session: string | undefined): void {
    this.#clientId = id;
    this.#set({ clientId: id, signedIn: true });
    this.#pace(() => this.#sendPacket(encodeUsername(this.#requestedName, id, this.#now(), session)));
    for (const own of this.#unconfirmed) this.#transmit(own);
  }

  /** An own message in the log, pending, sent when signed in (a new one, or one restored by `persist`). */
  #own(text: string, date: number, nonce: string): ChatMessageEntry {
    const entry = this.#append<ChatMessageEntry>({
      kind: 'message',
      key: this.#key(),
      date,
      senderId: null,
      name: this.#current('username'),
      text,
      own: true,
      status: 'pending',
      nonce,
    });
    const own: OwnMessage = { nonce, text, date, entry };
    this.#unconfirmed.push(own);
    this.#keep?.(own, true);
    this.#set({ unconfirmed: this.#unconfirmed.length });
    if (this.#current('signedIn')) this.#transmit(own);
    return entry;
  }

  #message(packet: MessagePacket): void {
    const nonce = packet.nonce;
    // (No undefined is ever in the set.)
    if (this.#seenNonces.has(nonce as string)) return;
    const own = matchOwn(this.#unconfirmed, packet, this.#clientId);
    if (nonce !== undefined) rememberNonce(this.#seenNonces, nonce, this.#maxEntries * 2);
    if (own) {
      this.#unconfirmed.splice(this.#unconfirmed.indexOf(own), 1);
      this.#keep?.(own, false);
      this.#update(own, { status: 'delivered', senderId: packet.id, name: packet.name }, true);
      this.#set({ unconfirmed: this.#unconfirmed.length });
      return;
    }
    this.#append({
      kind: 'message',
      key: this.#key(),
      date: packet.date,
      senderId: packet.id,
      name: packet.name,
      text: packet.text,
      own: packet.id === this.#clientId,
      status: 'delivered',
      nonce,
    });
  }

  /** A closed connection forgets its id; what was sent but not echoed goes back to pending. */
  #disconnected(): void {
    this.#clientId = null;
    this.#set({ clientId: null, signedIn: false });
    this.#presence.disconnected();
    // What waits for the rate goes again after the next sign-in (the new connection has its own).
    this.#pacer?.clear();
    const queued = this.#queued;
    this.#client.discardQueued?.((data) => queued.has(data as string));
    queued.clear();
    for (const own of this.#unconfirmed) {
      if (own.entry.status === 'sent') this.#update(own, { status: 'pending' });
    }
    this.#scheduleFlush();
  }

  // ---- outgoing ---------------------------------------------------------------------------------

  /**
   * Send one of the store's own packets. One the connection queued (held back by a slow link) is
   * remembered by its JSON text, as the outbox holds it: when the connection ends, the store takes
   * back exactly those (it sends them again after the next sign-in) without parsing anything, and
   * leaves the rest of the outbox (your own `send` on the same connection) alone.
   */
  #sendPacket(packet: ClientPacket): SendResult {
    const result = this.#client.sendJson(packet);
    if (result === 'queued') this.#queued.add(JSON.stringify(packet));
    return result;
  }

  #transmit(own: OwnMessage): void {
    this.#pace(() => {
      const id = this.#clientId;
      // Only a pending one: a failed one waits for `retry`, and a frame queued twice goes once.
      if (id === null || own.entry.status !== 'pending') return;
      const result = this.#sendPacket(encodeMessage(own.text, id, own.date, own.nonce));
      // 'queued' (held back by a slow link) stays pending: it is not on the wire yet.
      if (result === 'sent') this.#update(own, { status: 'sent' });
      // (The pacer's timer may run this: publish the change.)
      this.#scheduleFlush();
    });
  }

  /** Send a frame now, or after those before it when the server's rate says wait (it stays pending). */
  #pace(frame: () => void): void {
    if (this.#pacer) this.#pacer.push(frame);
    else frame();
  }

  // ---- state plumbing ---------------------------------------------------------------------------

  #current<K extends keyof Omit<ChatState, 'entries'>>(key: K): ChatState[K] {
    return (key in this.#draft ? this.#draft[key] : this.#state[key]) as ChatState[K];
  }

  #set(patch: Partial<Omit<ChatState, 'entries'>>): void {
    Object.assign(this.#draft, patch);
    this.#scheduleFlush();
  }

  /** Add an entry (frozen) at the end of the log; returns it. */
  #append<E extends ChatEntry>(entry: E): E {
    Object.freeze(entry);
    this.entries.push(entry);
    this.#entriesChanged = true;
    // Publishing may be paused (animation frames stop in a hidden tab): trim here too, in chunks so
    // that a flood does not shift the array on every packet.
    if (this.entries.length >= this.#maxEntries + Math.max(64, this.#maxEntries >> 2)) {
      this.entries.splice(0, this.entries.length - this.#maxEntries);
    }
    return entry;
  }

  /**
   * Change an own message's entry (a new frozen one over the log's: `edits` may have replaced it),
   * keeping its place; or (`confirmed`: its echo came) moving it to where the room has it: after
   * everything received before its echo (a server relays in order), above only the own messages
   * still waiting. Left where it was written, it would read otherwise for its writer than for
   * everyone else: an answer above the question it answers, when others wrote meanwhile or while
   * the link was down.
   */
  #update(own: OwnMessage, changes: Partial<ChatMessageEntry>, confirmed?: boolean): void {
    const key = own.entry.key;
    const entries = this.entries;
    // Own messages are recent: search from the end. (Trimmed from the log, it is only kept in `own`.)
    const index = entries.findLastIndex((entry) => entry.key === key);
    own.entry = Object.freeze({ ...(entries[index] ?? own.entry), ...changes }) as ChatMessageEntry;
    if (index >= 0) {
      entries.splice(index, 1);
      let at = index;
      if (confirmed) for (at = entries.length; isWaiting(entries[at - 1]); ) at--;
      entries.splice(at, 0, own.entry);
      this.#entriesChanged = true;
    }
  }

  /** Decimal, not base 36: `toString(36)` was the costliest call of a catch-up's 10 000 entries (profiled). */
  #key(): string {
    return `e${this.#nextKey++}`;
  }

  #scheduleFlush(): void {
    if (this.#cancelFlush) return;
    let ran = false;
    const cancel = this.#schedule(() => {
      ran = true;
      this.#cancelFlush = null;
      this.flush();
    });
    // A scheduler may run the flush at once (immediateScheduler): then nothing is pending.
    if (!ran) this.#cancelFlush = cancel;
  }
}

/** An own message not yet confirmed: pending, sent or failed. */
function isWaiting(entry: ChatEntry | undefined): boolean {
  return entry?.kind === 'message' && entry.own && entry.status !== 'delivered';
}
