import type { ChatConnection } from './ChatStore.js';

/** An own message as a durable outbox keeps it: what is needed to send it again, unchanged. */
export interface OutboxMessage {
  /** The message's key for the server: a resend with it is relayed once (reference server). */
  readonly nonce: string;
  readonly text: string;
  /** When it was written (epoch ms): sent again with it, and shown with it. */
  readonly date: number;
}

/** What a {@link ChatOutbox} may do to its store. */
export interface OutboxHost {
  /** The name the store was made with (`ChatStoreOptions.username`). */
  readonly username: string;
  /** Put these messages (of an earlier page) at the end of the log as own pending ones, in order, and send them. */
  restore(messages: readonly OutboxMessage[]): void;
  /** Mark an own message not echoed yet as `failed`: it waits for `retry` or `discard`. */
  fail(nonce: string): void;
}

/**
 * A durable outbox for a chat store: the value passed as `ChatStoreOptions.persist` (or
 * `<ChatProvider persist>`), `persistentOutbox()`, so that a bundle without it carries none of its
 * code.
 */
export interface ChatOutbox {
  /**
   * Start for one store (called once, by its constructor, with the connection it was given).
   * Returns the connection the store reads instead of `client` (the store listening to its
   * messages is what starts the outbox, and its detaching what stops it; a problem of the storage
   * comes to the store as an `error` event of it, `kind: 'storage'`), and the sink the store
   * tells of every own message kept (`kept` true: written, restored or retried) and gone (`kept`
   * false: echoed by the server, or discarded).
   */
  attach(
    client: ChatConnection,
    host: OutboxHost,
  ): { readonly connection: ChatConnection; readonly keep: (message: OutboxMessage, kept: boolean) => void };
}
