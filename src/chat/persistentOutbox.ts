import { createWebSocketError, type Unsubscribe, type WebSocketClient } from '../core/index.js';
import type { ChatOutbox, OutboxChange, OutboxEntry, OutboxHost, OutboxMessage } from './ChatOutbox.js';
import type { ChatConnection } from './ChatStoreOptions.js';
import { indexedDbOutboxStorage, type OutboxRecord, type OutboxStorage } from './indexedDbOutboxStorage.js';

/** Options of {@link persistentOutbox}. */
export interface PersistentOutboxOptions {
  /**
   * How long (ms) an own message may wait for the server's echo, from when it was written (or
   * retried), before it shows as `failed`. Default 5 minutes.
   */
  failAfter?: number;
  /**
   * The room part of the key: messages are kept per room and user name, `${room}\n${username}`.
   * Default: the URL the connection opened (its first open; the key is known from then on).
   */
  room?: string;
  /** Where messages are kept. Default `indexedDbOutboxStorage()`. */
  storage?: OutboxStorage;
  /** Which pages are alive (Web Locks). Default `navigator.locks`; null: restore every other page's messages. */
  locks?: Pick<LockManager, 'request' | 'query'> | null;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

/** Prefix of the Web Lock each page holds while its outbox is in use: its records are not restored elsewhere. */
export const OUTBOX_LOCK_PREFIX = 'react-ws-chat outbox ';

const DEFAULT_FAIL_AFTER = 5 * 60_000;

/**
 * A durable outbox for the chat store (`<ChatProvider persist={persistentOutbox()}>`): own messages
 * the server has not echoed yet are kept in IndexedDB, keyed by room (the chat's URL) and user name;
 * a page that opens the same room as the same user puts those of pages that are gone (reloaded,
 * closed, crashed) back in its log as pending, in order, with their date and nonce, and sends them
 * (the reference server relays a resent nonce once); a message not delivered within `failAfter`
 * shows as `failed` (`retry(key)`, `discard(key)`). Without IndexedDB (or when it fails) the state's
 * error says so (`kind: 'storage'`) and the chat goes on in memory.
 *
 * @example
 * ```tsx
 * <ChatProvider url={url} username="ada" persist={persistentOutbox({ failAfter: 120_000 })}>
 * ```
 */
export function persistentOutbox(options: PersistentOutboxOptions = {}): ChatOutbox {
  return {
    attach: (client, host) => {
      const outbox = new DurableOutbox(client, host, options);
      return { connection: outbox.connection, keep: outbox.keep, settle: outbox.settle, changes: outbox.changes };
    },
  };
}

type Listener = (value: unknown, raw: never) => void;

interface Kept {
  record: OutboxRecord;
  /** The store's message (from its first `keep`): its entry's key is what `retry` and `discard` name. */
  message?: OutboxEntry;
  timer?: ReturnType<typeof setTimeout>;
  failed?: boolean;
}

/** One store's kept messages: in memory always, in the storage once the room is known. */
class DurableOutbox {
  readonly #client: ChatConnection;
  readonly #host: OutboxHost;
  readonly #failAfter: number;
  readonly #now: () => number;
  readonly #locks: PersistentOutboxOptions['locks'];
  #storage: OutboxStorage | null;
  /** The storage key: null until the room is known. */
  #room: string | null = null;
  readonly #owner = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  readonly #kept = new Map<string, Kept>();
  #order = 0;
  #listeners = 0;
  #holding: Promise<void> | undefined;
  #release: (() => void) | undefined;
  #stopWaiting: (() => void) | undefined;
  readonly #errorListeners = new Set<Listener>();
  /** With edits: their `restore`, and the changes kept, by id. */
  #restoreChanges: ((changes: readonly OutboxChange[]) => void) | undefined;
  readonly #changes = new Map<string, OutboxRecord>();
  /** With edits, until the records are restored: the frames held back (the sign-in must wait for the session to rejoin with). */
  #held: (() => void)[] | null = null;
  /** The session of this page's last `id`, and the one of an earlier page to rejoin with (its changes are its author's). */
  #session: string | undefined;
  #rejoin: string | undefined;
  #extension = false;

  constructor(client: ChatConnection, host: OutboxHost, options: PersistentOutboxOptions) {
    this.#client = client;
    this.#host = host;
    this.#failAfter = options.failAfter ?? DEFAULT_FAIL_AFTER;
    this.#now = options.now ?? Date.now;
    this.#locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
    this.#storage = options.storage ?? indexedDbOutboxStorage();
    if (options.room !== undefined) this.#room = `${options.room}\n${host.username}`;
  }

  /** The connection the store reads: `client`; the store listening to messages is what starts (and stops) this. */
  get connection(): ChatConnection {
    const client = this.#client;
    return {
      on: ((type: string, listener: Listener): Unsubscribe => {
        // With edits, messages pass here: the session is noted, and they wait for the restore (see `changes`).
        let live = true;
        const through: Listener =
          type === 'message' && this.#restoreChanges
            ? (value, raw) => {
                this.#noteSession(value);
                // (A listener gone meanwhile gets none of what was held for it.)
                if (this.#held) this.#held.push(() => live && listener(value, raw));
                else listener(value, raw);
              }
            : listener;
        const unsubscribe = client.on(type as 'message', through as never);
        const stop = () => {
          live = false;
          unsubscribe();
        };
        if (type === 'error') {
          // The store shows the storage's problems as it shows the connection's.
          this.#errorListeners.add(listener);
          return () => {
            stop();
            this.#errorListeners.delete(listener);
          };
        }
        if (type !== 'message') return stop;
        if (this.#listeners++ === 0) this.#activate();
        return () => {
          stop();
          if (--this.#listeners === 0) this.#deactivate();
        };
      }) as ChatConnection['on'],
      sendJson: (packet) => {
        if (packet.type === 'username' && this.#rejoin && this.#extension) {
          // In place, as the edits do: the store recognises its queued frames by their JSON, made after this.
          (packet as { session?: string }).session ??= this.#rejoin;
          this.#rejoin = undefined;
        }
        return client.sendJson(packet);
      },
      ...(client.discardQueued && { discardQueued: (filter) => client.discardQueued?.(filter) ?? [] }),
    };
  }

  /** The store's sink: a message kept (written, restored, retried) or gone (echoed, discarded). */
  keep = (message: OutboxEntry | OutboxMessage, kept: boolean): void => {
    const found = this.#kept.get(message.nonce);
    if (!kept) {
      if (!found) return;
      clearTimeout(found.timer);
      this.#kept.delete(message.nonce);
      this.#write((storage, room) => storage.delete(room, message.nonce));
      return;
    }
    // A retry counts from now; a new or restored message from when it was written.
    const since = found?.failed ? this.#now() : message.date;
    const entry: Kept = found ?? { record: this.#record(message) };
    if ('entry' in message) entry.message = message;
    entry.failed = false;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(
      () => {
        entry.failed = true;
        this.#host.settle(message.nonce, 'failed');
      },
      Math.max(0, since + this.#failAfter - this.#now()),
    );
    if (!found) {
      this.#kept.set(message.nonce, entry);
      this.#write((storage) => storage.put(entry.record));
    }
  };

  /** `ChatStore.retry` (`retry` true: pending again, `failAfter` from now) and `discard` (false: gone) of the failed message `key`. */
  settle = (key: string, retry: boolean): boolean => {
    for (const { message } of this.#kept.values()) {
      if (message?.entry.key === key && message.entry.status === 'failed') {
        this.keep(message, retry);
        return this.#host.settle(message.nonce, retry ? 'pending' : null);
      }
    }
    return false;
  };

  /** The edits' channel (see `ChatOutbox`): from now on the frames wait for the records to be restored. */
  changes = (restore: (changes: readonly OutboxChange[]) => void) => {
    this.#restoreChanges = restore;
    this.#held ??= [];
    return this.#keepChange;
  };

  #keepChange = (change: OutboxChange, kept: boolean): void => {
    if (!kept) {
      if (this.#changes.delete(change.id)) this.#write((storage, room) => storage.delete(room, change.id));
      return;
    }
    const { id, nonce, name, kind, text } = change;
    const record = { ...this.#record({ nonce: id, text, date: this.#now() }), kind, target: nonce, name };
    this.#changes.set(id, record);
    this.#write((storage) => storage.put(record));
  };

  /** Keep the session of each `id` (a server with the extension) for the next page, which rejoins with it if it restores this page's changes. */
  #noteSession(value: unknown): void {
    const { type, ext, session } = (value ?? {}) as { type?: unknown; ext?: unknown; session?: unknown };
    if (type !== 'id') return;
    // (Only a server with the extension gets a session back, as from the store.)
    this.#extension = ext !== undefined;
    if (!this.#extension || typeof session !== 'string' || session === this.#session) return;
    this.#session = session;
    const record: OutboxRecord = { ...this.#record({ nonce: `\n${this.#owner}`, text: session, date: this.#now() }), kind: 'session' };
    this.#changes.set(record.nonce, record);
    this.#write((storage) => storage.put(record));
  }

  /** Let the frames held back go, in order. */
  #letGo(): void {
    const held = this.#held;
    this.#held = null;
    for (const deliver of held ?? []) deliver();
  }

  #record({ nonce, text, date }: OutboxMessage): OutboxRecord {
    // Increasing across pages too (a clock reading), so that restored messages keep their order.
    this.#order = Math.max(this.#now(), this.#order + 1);
    return { room: this.#room ?? '', nonce, text, date, order: this.#order, owner: this.#owner };
  }

  /** Start once the room is known: given, or the URL of the connection's first attempt (its snapshot's, or its first `open`). */
  #activate(): void {
    if (this.#room !== null) {
      void this.#start();
      return;
    }
    const client = this.#client as Partial<Pick<WebSocketClient, 'getSnapshot' | 'subscribe'>>;
    const found = (url: string | null | undefined) => {
      if (!url || this.#room !== null) return;
      this.#room = `${url}\n${this.#host.username}`;
      this.#stopWaiting?.();
      void this.#start();
    };
    const stops = [this.#client.on('open', (info) => found(info.url)), client.subscribe?.(() => found(client.getSnapshot?.().url))];
    this.#stopWaiting = () => {
      for (const stop of stops) stop?.();
    };
    found(client.getSnapshot?.().url);
  }

  #deactivate(): void {
    this.#stopWaiting?.();
    this.#release?.();
  }

  /**
   * Hold this page's lock while the store is attached: meanwhile no other page restores its
   * records. One request at a time; granted after a detach, it is given back at once.
   */
  #hold(locks: NonNullable<PersistentOutboxOptions['locks']>): Promise<void> {
    this.#holding ??= new Promise<void>((granted) => {
      void locks.request(
        OUTBOX_LOCK_PREFIX + this.#owner,
        () =>
          new Promise<void>((release) => {
            this.#release = () => {
              this.#holding = this.#release = undefined;
              release();
            };
            granted();
            if (this.#listeners === 0) this.#release();
          }),
      );
    });
    return this.#holding;
  }

  #started = false;

  /** Hold this page's lock, write what was kept before the room was known, restore the messages of pages that are gone. */
  async #start(): Promise<void> {
    const room = this.#room as string;
    const locks = this.#locks;
    if (locks) await this.#hold(locks);
    // (Detached meanwhile: started again by the next attach.)
    if (this.#started || this.#listeners === 0) return;
    this.#started = true;
    for (const entry of this.#kept.values()) {
      entry.record = { ...entry.record, room };
      this.#write((storage) => storage.put(entry.record));
    }
    for (const [id, record] of this.#changes) {
      this.#changes.set(id, { ...record, room });
      this.#write((storage) => storage.put({ ...record, room }));
    }
    const restore = async () => {
      const alive = locks ? new Set((await locks.query()).held?.map((lock) => lock.name)) : new Set<string>();
      const storage = this.#storage;
      if (!storage) return [];
      // (Without edits, their records are left to a page that has them.)
      const records = (await storage.load(room)).filter(
        (record) =>
          record.owner !== this.#owner && !alive.has(OUTBOX_LOCK_PREFIX + record.owner) && (!record.kind || !!this.#restoreChanges),
      );
      // Claimed: this page keeps them now.
      const claimed = records.map((record) => ({ ...record, owner: this.#owner })).sort((a, b) => a.order - b.order);
      await Promise.all(claimed.map((record) => storage.put(record)));
      return claimed;
    };
    try {
      // One page at a time claims a room's records: two pages opened together never both take them.
      const claimed = locks ? await locks.request(`${OUTBOX_LOCK_PREFIX}claim ${room}`, restore) : await restore();
      const messages = [];
      const changes: OutboxChange[] = [];
      let session: string | undefined;
      for (const record of claimed) {
        this.#order = Math.max(this.#order, record.order);
        if (!record.kind) {
          this.#kept.set(record.nonce, { record });
          messages.push(record);
        } else if (record.kind === 'session') {
          // Used once, by this page's sign-in (the latest, in order), when changes came with it.
          session = record.text;
          this.#write((storage) => storage.delete(room, record.nonce));
        } else {
          this.#changes.set(record.nonce, record);
          changes.push({ id: record.nonce, nonce: record.target ?? '', name: record.name ?? '', kind: record.kind, text: record.text });
        }
      }
      if (changes[0]) this.#rejoin = session;
      this.#host.restore(messages);
      this.#restoreChanges?.(changes);
    } catch (cause) {
      this.#fail(cause);
    } finally {
      this.#letGo();
    }
  }

  /** Run a change on the storage once the room is known; a failure is reported, the message stays in memory. */
  #write(change: (storage: OutboxStorage, room: string) => Promise<void>): void {
    const storage = this.#storage;
    if (!storage || !this.#started || this.#room === null) return;
    change(storage, this.#room).catch((cause: unknown) => this.#error(cause));
  }

  /** The storage cannot be used (no IndexedDB, blocked, broken): reported once, memory only from now on. */
  #fail(cause: unknown): void {
    this.#storage = null;
    this.#error(cause);
  }

  #error(cause: unknown): void {
    const error = storageError(cause);
    for (const listener of this.#errorListeners) listener(error, error as never);
  }
}

function storageError(cause: unknown) {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return Object.freeze({
    ...createWebSocketError('send', `Messages not yet sent are kept in this page only: ${reason}`, { cause }),
    kind: 'storage' as const,
  });
}
