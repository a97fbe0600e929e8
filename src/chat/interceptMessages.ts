import type { Unsubscribe } from '../core/index.js';
import type { ChatConnection } from './ChatStoreOptions.js';

/** A `message` listener of a {@link ChatConnection}. */
export type MessageListener = (value: unknown, raw: never) => void;

/**
 * `client` as the store reads it through an opt-in feature (`chatHistory()`, `messageEdits()`): its
 * `message` listeners are given to `listen` (which passes on what it lets through), its sends to
 * `send` (by default the client's own); every other event and `discardQueued` are the client's.
 */
export function interceptMessages(
  client: ChatConnection,
  listen: (listener: MessageListener) => Unsubscribe,
  send?: ChatConnection['sendJson'],
): ChatConnection {
  return {
    on: ((type: string, listener: MessageListener): Unsubscribe =>
      type === 'message' ? listen(listener) : client.on(type as 'close', listener as never)) as ChatConnection['on'],
    sendJson: send ?? ((packet) => client.sendJson(packet)),
    ...(client.discardQueued && { discardQueued: (filter) => client.discardQueued?.(filter) ?? [] }),
  };
}
