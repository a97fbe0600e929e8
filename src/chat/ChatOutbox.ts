import type { ChatMessageEntry } from './ChatState.js';
import type { ChatConnection } from './ChatStoreOptions.js';

/** An own message as a durable outbox keeps it: what is needed to send it again, unchanged. */
export interface OutboxMessage {
  /** The message's key for the server: a resend with it is relayed once (reference server). */
  readonly nonce: string;
  readonly text: string;
  /** When it was written (epoch ms): sent again with it, and shown with it. */
  readonly date: number;
}

/** An own message as the store tells its outbox of it: the same object while it waits, with its entry in the log now. */
export interface OutboxEntry extends OutboxMessage {
  readonly entry: ChatMessageEntry;
}

/** An own edit or delete (`messageEdits()`) not relayed yet, as a durable outbox keeps it. */
export interface OutboxChange {
  /** Names the change (unique): what the outbox keeps it by. */
  readonly id: string;
  /** The message's nonce, and the name it went out with: what the server knows it by. */
  readonly nonce: string;
  readonly name: string;
  readonly kind: 'edit' | 'delete';
  /** The new text (an edit), or '' (a delete). */
  readonly text: string;
}

/** What a {@link ChatOutbox} may do to its store. */
export interface OutboxHost {
  /** The name the store was made with (`ChatStoreOptions.username`). */
  readonly username: string;
  /** Put these messages (of an earlier page) at the end of the log as own pending ones, in order, and send them. */
  restore(messages: readonly OutboxMessage[]): void;
  /**
   * Change an own message not echoed yet: `'failed'` (it waits for `retry` or `discard`),
   * `'pending'` (sent again, same nonce, once signed in) or null (removed from the log: discarded).
   *
   * @returns whether `nonce` was an own message not echoed yet.
   */
  settle(nonce: string, status: 'failed' | 'pending' | null): boolean;
}

/**
 * A durable outbox for a chat store: the value passed as `ChatStoreOptions.persist` (or
 * `<ChatProvider persist>`), `persistentOutbox()`, so that a bundle without it carries none of its
 * code.
 */
export interface ChatOutbox {
  /**
   * Start for one store (called once, by its constructor, with the connection it was given).
   * Returns:
   * - `connection`: what the store reads instead of `client` (the store listening to its messages
   *   is what starts the outbox, and its detaching what stops it; a problem of the storage comes
   *   to the store as an `error` event of it, `kind: 'storage'`);
   * - `keep`: the sink the store tells of every own message kept (`kept` true: written or
   *   restored, an {@link OutboxEntry}) and gone (`kept` false: echoed by the server, or restored
   *   when the log already shows it);
   * - `settle`: what `ChatStore.retry(key)` (`retry` true) and `discard(key)` (false) do. Only an
   *   outbox makes a message `failed`, so it is the one that settles it (with `host.settle`);
   *   returns whether `key` was a failed message.
   */
  attach(
    client: ChatConnection,
    host: OutboxHost,
  ): {
    readonly connection: ChatConnection;
    readonly keep: (message: OutboxEntry | OutboxMessage, kept: boolean) => void;
    readonly settle: (key: string, retry: boolean) => boolean;
    /**
     * With `messageEdits()`: the edits hand over `restore` (given, once, the changes of an earlier
     * page, before this page signs in) and get the sink they tell of every own change kept (`kept`
     * true: written, retried) and gone (false: relayed, refused, dropped).
     */
    readonly changes?: (restore: (changes: readonly OutboxChange[]) => void) => (change: OutboxChange, kept: boolean) => void;
  };
}
