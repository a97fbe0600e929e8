import type { Unsubscribe } from '../core/index.js';
import type { ClientPacket, EditRefusal } from '../protocol/index.js';
import type { ChatOutbox, OutboxChange } from './ChatOutbox.js';
import type { ChatEditsState, ChatEntry, ChatMessageEntry } from './ChatState.js';
import type { ChatConnection } from './ChatStoreOptions.js';
import { interceptMessages, type MessageListener } from './interceptMessages.js';

/**
 * How {@link ChatEdits} changes its store: `change` is applied to every entry of the log (the same
 * entry back for those it leaves alone), the edits' state is published, and the log (after the
 * change) is returned.
 */
export type UpdateEntries = (change: (entry: ChatEntry) => ChatEntry, state: ChatEditsState) => readonly ChatEntry[];

/**
 * Editing and deleting own messages over the kit's protocol extension, for a chat store: the value
 * passed as `ChatStoreOptions.edits` (or `<ChatProvider edits>`), so that a bundle without it carries
 * none of this code. It only speaks to a server whose `id` announced `edits` (never to MDN's sample
 * server, which would relay the frames to every user).
 */
export interface ChatEdits {
  /**
   * Start for one store (called once, by its constructor): returns the connection the store reads
   * instead of `client` (without the edit packets, which are applied here). `update` changes the log
   * and publishes `state.edits`. `outbox`, the store's durable outbox when it has one
   * (`persistentOutbox()`), keeps the changes not yet relayed, so that they survive a reload.
   */
  attach(client: ChatConnection, update: UpdateEntries, outbox?: ReturnType<ChatOutbox['attach']>): ChatConnection;
}

/** Options of {@link messageEdits}. */
export interface MessageEditsOptions {
  /** The clock, for the `edited` time of an own edit until the server's comes. Default `Date.now`. */
  now?: () => number;
}

/**
 * Edit and delete own messages: `state.edits` (`edit(key, text)`, `remove(key)`, `retry`, `dismiss`,
 * `startEditing`), entries with `edited`, `deleted` and the own `change` on its way, and the others'
 * edits and deletes applied as they come (live, in catch-ups and in older pages). Against a server
 * that does not announce `edits` (MDN's) it sends nothing and `available` stays false.
 *
 * @example
 * ```tsx
 * <ChatProvider url={url} username="ada" edits={messageEdits()}>
 *   <ChatBox renderText={messageActions()} />
 * </ChatProvider>
 * ```
 */
export function messageEdits(options: MessageEditsOptions = {}): ChatEdits {
  return {
    attach: (client, update, outbox) => {
      const edits = new Edits(client, update, options.now ?? Date.now);
      edits.keepChange = outbox?.changes?.((changes) => edits.restore(changes));
      return edits.connection;
    },
  };
}

type Listener = MessageListener;

/**
 * An own change: queued until it may go, then sent until the server relays (or refuses) it. `id`
 * names it in the durable outbox; `key` is its entry's, or, for a change restored from an earlier
 * page whose message the log does not show (yet), `\n` and the message's nonce (no entry's key).
 */
interface Op extends OutboxChange {
  key: string;
  sent: boolean;
}

let nextOp = 0;

/** What the server has of a message: what a dropped change goes back to. */
type Confirmed = Pick<ChatMessageEntry, 'text' | 'edited' | 'deleted'>;

/** The most messages whose latest change is remembered (older pages replay older changes: those give way). */
const MAX_LATEST = 5000;

/** One store's edits. */
class Edits {
  readonly #client: ChatConnection;
  readonly #update: UpdateEntries;
  readonly #now: () => number;
  /** Own changes in the order written. */
  #ops: Op[] = [];
  /** Own changes the server refused, by entry key, until retried or dismissed. */
  readonly #failed = new Map<string, Op>();
  /** The server's view of own messages with changes on their way or failed, by entry key. */
  readonly #confirmed = new Map<string, Confirmed>();
  /**
   * The latest change relayed of each message (its `seq` and what it made of it), by `name\nnonce`:
   * an older one that comes later (in an older page) gives way to it.
   */
  readonly #latest = new Map<string, { readonly seq: number; readonly server: Confirmed }>();
  /** The store's username went out on this connection: changes may follow. */
  #signedIn = false;
  #entries: readonly ChatEntry[] = [];
  /** The durable outbox's sink for own changes (`persistentOutbox()`), if the store has one. */
  keepChange: ((change: OutboxChange, kept: boolean) => void) | undefined;
  #state: ChatEditsState = {
    available: false,
    editing: null,
    edit: (key, text) => this.#change(key, 'edit', text),
    remove: (key) => this.#change(key, 'delete', ''),
    retry: (key) => this.#retry(key),
    dismiss: (key) => this.#dismiss(key),
    startEditing: (key) => this.#startEditing(key),
  };

  constructor(client: ChatConnection, update: UpdateEntries, now: () => number) {
    this.#client = client;
    this.#update = update;
    this.#now = now;
  }

  /** The connection the store reads: `client`, but for `message`, which comes through here, and `sendJson`. */
  get connection(): ChatConnection {
    return interceptMessages(
      this.#client,
      (listener) => this.#listen(listener),
      (packet) => this.#send(packet),
    );
  }

  #listen(listener: Listener): Unsubscribe {
    this.#publish();
    const stops = [
      this.#client.on('message', (value) => {
        if (this.#receive(value)) return;
        listener(value, value as never);
        // After the store signed in (its username and waiting messages went first), or the echo of
        // a message a change waits for (checked by nonce: a stream of others' messages costs nothing).
        const { type, nonce } = (value ?? {}) as { type?: unknown; nonce?: unknown };
        if (type === 'id' || this.#ops.some((op) => !op.sent && op.nonce === nonce)) this.#flush();
      }),
      this.#client.on('close', () => {
        this.#signedIn = false;
        // What was sent but not relayed goes again after the next sign-in.
        for (const op of this.#ops) op.sent = false;
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** The store's frames: its name request says (to a server that announced edits) that this client understands them. */
  #send(packet: ClientPacket): ReturnType<ChatConnection['sendJson']> {
    const username = packet.type === 'username' && this.#state.available;
    // In place: the store recognises its queued frames by their JSON, made after this.
    if (username) (packet as { edits?: boolean }).edits = true;
    const result = this.#client.sendJson(packet);
    if (username) {
      this.#signedIn = true;
      // After what the store sends with it (the messages waiting for the sign-in go first).
      queueMicrotask(() => this.#flush());
    }
    return result;
  }

  /** Handle a frame first: true when it was an edit packet (not for the store). */
  #receive(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const packet = value as Partial<Record<string, unknown>>;
    if (packet.type === 'id') {
      this.#signedIn = false;
      this.#set({ available: packet.edits === true });
      return false;
    }
    if ((packet.type !== 'edit' && packet.type !== 'delete') || !this.#state.available || typeof packet.nonce !== 'string') return false;
    if (typeof packet.refused === 'string') {
      this.#refused(packet.type, packet.nonce, packet.refused as EditRefusal);
      return true;
    }
    // (A malformed one goes to the store, which counts it as unknown.)
    const { name, date, text } = packet;
    if (typeof name !== 'string' || typeof date !== 'number' || (packet.type === 'edit' && typeof text !== 'string')) return false;
    this.#relayed(name, packet.nonce, packet.type === 'delete' ? null : (text as string), date, packet.seq);
    return true;
  }

  /** A change of `name`'s message `nonce` (null text: a delete), the user's own confirmed, or another user's. */
  #relayed(name: string, nonce: string, text: string | null, date: number, seq: unknown): void {
    const id = `${name}\n${nonce}`;
    let server: Confirmed = text === null ? { text: '', edited: undefined, deleted: true } : { text, edited: date, deleted: undefined };
    if (typeof seq === 'number') {
      const latest = this.#latest.get(id);
      if (latest && latest.seq >= seq) server = latest.server;
      else {
        this.#latest.set(id, { seq, server });
        if (this.#latest.size > MAX_LATEST) this.#latest.delete(this.#latest.keys().next().value as string);
      }
    }
    // Only its author changes a message: a relay for an own message with a change sent is that change
    // (also one restored from an earlier page, whose message the log may not show).
    const mine = this.#ops.findIndex((op) => op.sent && op.nonce === nonce && op.name === name);
    if (mine >= 0) this.#drop(this.#ops.splice(mine, 1));
    const entry = this.#find((e) => e.nonce === nonce && e.name === name);
    if (!entry) return;
    if (this.#confirmed.has(entry.key)) {
      this.#confirmed.set(entry.key, server);
      if (!this.#ops.some((op) => op.key === entry.key) && !this.#failed.has(entry.key)) this.#settle(entry.key);
      return;
    }
    this.#apply(entry.key, { ...server, change: undefined });
  }

  /** The server refused the first change sent of `nonce`: it fails, with every later one of that message. */
  #refused(kind: 'edit' | 'delete', nonce: string, reason: EditRefusal): void {
    const op = this.#ops.find((o) => o.sent && o.nonce === nonce && o.kind === kind);
    if (!op) return;
    // A restored change whose message the log shows by now (the history brought it) fails on it.
    if (op.key.startsWith('\n')) this.#bind(op.key, op);
    this.#drop(this.#ops.filter((o) => o.key === op.key));
    this.#ops = this.#ops.filter((o) => o.key !== op.key);
    // A delete sent again after a reconnect that finds it deleted did what it was for.
    if (kind === 'delete' && reason === 'deleted') {
      this.#confirmed.set(op.key, { text: '', edited: undefined, deleted: true });
      this.#settle(op.key);
      return;
    }
    this.#failed.set(op.key, op);
    const confirmed = this.#confirmed.get(op.key);
    const failed = { kind, status: 'failed', reason } as const;
    this.#apply(op.key, kind === 'edit' ? { text: op.text, change: failed } : { ...confirmed, change: failed });
  }

  /** The user edits or deletes an own message. */
  #change(key: string, kind: 'edit' | 'delete', text: string): boolean {
    const entry = this.#editable(key);
    if (!entry?.nonce || (kind === 'edit' && text.trim() === '')) return false;
    if (kind === 'edit' && text === entry.text) return true;
    if (!this.#confirmed.has(key)) this.#confirmed.set(key, { text: entry.text, edited: entry.edited, deleted: entry.deleted });
    // A delete makes the changes still to go pointless.
    if (kind === 'delete') {
      this.#drop(this.#ops.filter((op) => op.key === key && !op.sent));
      this.#ops = this.#ops.filter((op) => op.key !== key || op.sent);
    }
    this.#push({ key, nonce: entry.nonce, name: entry.name, kind, text });
    this.#show(key, kind, text);
    if (this.#state.editing === key) this.#set({ editing: null });
    this.#flush();
    return true;
  }

  #retry(key: string): boolean {
    const op = this.#failed.get(key);
    if (!op) return false;
    this.#failed.delete(key);
    this.#push(op);
    this.#show(key, op.kind, op.text);
    this.#flush();
    return true;
  }

  #dismiss(key: string): boolean {
    if (!this.#failed.delete(key)) return false;
    this.#settle(key);
    return true;
  }

  #startEditing(key: string | null): boolean {
    if (key !== null && !this.#editable(key)) return false;
    this.#set({ editing: key });
    return true;
  }

  /** Send the changes that may go: signed in, their message delivered, in the order written. */
  #flush(): void {
    if (!this.#signedIn || !this.#ops.some((op) => !op.sent)) return;
    for (const op of this.#ops) {
      if (op.sent) continue;
      const entry = this.#find((e) => e.key === op.key);
      if (!entry && !op.key.startsWith('\n')) {
        // Gone from the log (trimmed, or a failed message discarded): nothing to change.
        this.#drop(this.#ops.filter((o) => o.key === op.key));
        this.#ops = this.#ops.filter((o) => o.key !== op.key);
        this.#confirmed.delete(op.key);
        continue;
      }
      // (A restored change of a message the log does not show goes all the same: the server knows it.)
      if (entry && entry.status !== 'delivered') continue;
      const sent = this.#client.sendJson(
        op.kind === 'edit' ? { type: 'edit', nonce: op.nonce, text: op.text } : { type: 'delete', nonce: op.nonce },
      );
      op.sent = sent !== 'rejected';
    }
  }

  /** Queue a new change (written, or retried), kept by the durable outbox until relayed or refused. */
  #push(change: Omit<Op, 'id' | 'sent'>): void {
    const op: Op = { ...change, id: `${Date.now().toString(36)}.${nextOp++}.${Math.random().toString(36).slice(2, 8)}`, sent: false };
    this.#ops.push(op);
    this.keepChange?.(op, true);
  }

  /** Changes done with (relayed, refused, pointless): the durable outbox forgets them. */
  #drop(ops: readonly Op[]): void {
    for (const op of ops) this.keepChange?.(op, false);
  }

  /**
   * The durable outbox's changes of an earlier page (reloaded, crashed), before this page signs in:
   * shown pending on their message when the log has it, and sent once signed in either way.
   */
  restore(changes: readonly OutboxChange[]): void {
    for (const change of changes) {
      const op = { ...change, key: `\n${change.nonce}`, sent: false };
      this.#ops.push(op);
      if (this.#bind(op.key, op)) this.#show(op.key, op.kind, op.text);
    }
    this.#flush();
  }

  /** Give the restored changes of `message` (under `key`, a stand-in) its entry's key, if the log shows it: true then. */
  #bind(key: string, message: Pick<Op, 'nonce' | 'name'>): boolean {
    const entry = this.#find((e) => e.nonce === message.nonce && e.name === message.name);
    if (!entry || entry.deleted) return false;
    for (const op of this.#ops) if (op.key === key) op.key = entry.key;
    if (!this.#confirmed.has(entry.key)) this.#confirmed.set(entry.key, { text: entry.text, edited: entry.edited, deleted: entry.deleted });
    return true;
  }

  /** An own message that can be changed now, or undefined. */
  #editable(key: string): ChatMessageEntry | undefined {
    const entry = this.#find((e) => e.key === key);
    return this.#state.available && entry?.own && entry.nonce && !entry.deleted && entry.status !== 'failed' ? entry : undefined;
  }

  /** Show an own change on its way. */
  #show(key: string, kind: 'edit' | 'delete', text: string): void {
    const change = { kind, status: 'pending' } as const;
    this.#apply(key, kind === 'edit' ? { text, edited: this.#now(), deleted: undefined, change } : { text: '', deleted: true, change });
  }

  /** Show a message as the server has it: nothing of the user's is on its way or failed. */
  #settle(key: string): void {
    const confirmed = this.#confirmed.get(key);
    this.#confirmed.delete(key);
    this.#failed.delete(key);
    if (confirmed) this.#apply(key, { ...confirmed, change: undefined });
  }

  #find(predicate: (entry: ChatMessageEntry) => boolean): ChatMessageEntry | undefined {
    this.#entries = this.#update((entry) => entry, this.#state);
    return this.#entries.findLast((entry): entry is ChatMessageEntry => entry.kind === 'message' && predicate(entry));
  }

  /** Change the entry `key` (a new frozen one, undefined fields left out). */
  #apply(key: string, changes: Partial<ChatMessageEntry>): void {
    this.#entries = this.#update((entry) => {
      if (entry.key !== key) return entry;
      const next: Record<string, unknown> = { ...entry, ...changes };
      for (const field of ['edited', 'deleted', 'change']) if (next[field] === undefined) delete next[field];
      return Object.freeze(next) as unknown as ChatEntry;
    }, this.#state);
  }

  #set(patch: Partial<ChatEditsState>): void {
    this.#state = Object.freeze({ ...this.#state, ...patch });
    this.#publish();
  }

  #publish(): void {
    this.#entries = this.#update((entry) => entry, this.#state);
  }
}
