import type { OutboxMessage } from './ChatOutbox.js';

/** One kept message as the storage holds it. */
export interface OutboxRecord extends OutboxMessage {
  /** The outbox it belongs to: the chat's URL and the user name (see `persistentOutbox`). */
  readonly room: string;
  /** Its place among the room's records: they are restored in this order. */
  readonly order: number;
  /** The page (tab) that keeps it: a page restores only the records of pages that are gone. */
  readonly owner: string;
  /**
   * Absent for a message. With `messageEdits()`: `'edit'` or `'delete'`, an own change (`nonce`
   * names the change, `target` its message, `name` the name the message went out with); `'session'`,
   * the `session` (`text`) of the page's last `id`, which its changes need to be the author's.
   */
  readonly kind?: 'edit' | 'delete' | 'session';
  readonly target?: string;
  readonly name?: string;
}

/**
 * Where `persistentOutbox()` keeps messages: IndexedDB in a browser (`indexedDbOutboxStorage()`),
 * or any other implementation (tests, another store). A rejected promise is reported as a
 * `storage` error; the outbox then goes on in memory.
 */
export interface OutboxStorage {
  /** The records of `room`, in any order. */
  load(room: string): Promise<readonly OutboxRecord[]>;
  /** Add or replace the record of (`room`, `nonce`). */
  put(record: OutboxRecord): Promise<void>;
  /** Remove the record of (`room`, `nonce`), if there is one. */
  delete(room: string, nonce: string): Promise<void>;
}

const STORE = 'outbox';

/**
 * An {@link OutboxStorage} on IndexedDB: the database `name` (default `'react-ws-chat'`), one
 * object store `outbox` keyed by `[room, nonce]` with an index on `room`, so each room and user is
 * its own set of records. Opened at the first use; a failure to open (no IndexedDB, private mode, a
 * blocked upgrade) rejects every call.
 */
export function indexedDbOutboxStorage(name = 'react-ws-chat'): OutboxStorage {
  let db: Promise<IDBDatabase> | undefined;
  const database = () => {
    db ??= open(name, () => {
      db = undefined;
    });
    return db;
  };
  const run = <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest | undefined): Promise<T> =>
    database().then(
      (database) =>
        new Promise<T>((resolve, reject) => {
          const transaction = database.transaction(STORE, mode);
          const request = work(transaction.objectStore(STORE));
          // Resolved once the transaction committed: the record is on disk for the next page.
          transaction.oncomplete = () => resolve(request?.result as T);
          transaction.onerror = transaction.onabort = () => reject(transaction.error ?? request?.error);
        }),
    );
  return {
    load: (room) => run('readonly', (store) => store.index('room').getAll(room)),
    put: (record) => run('readwrite', (store) => store.put(record)),
    delete: (room, nonce) => run('readwrite', (store) => store.delete([room, nonce])),
  };
}

function open(name: string, closed: () => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    // Throws where IndexedDB is missing (or forbidden, as in some private modes): a rejection.
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: ['room', 'nonce'] }).createIndex('room', 'room');
    };
    request.onsuccess = () => {
      // Another page upgrading the database: let it (this page's next call opens it again).
      request.result.onversionchange = () => {
        request.result.close();
        closed();
      };
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another page'));
  });
}
