import type { ChatConnection } from '../../src/chat/index.js';
import type { ClientPacket } from '../../src/protocol/index.js';

type Listener = (...args: never[]) => void;

/**
 * A {@link ChatConnection} the test drives by hand: every packet sent is kept in `sent` (and
 * accepted), and `emit(type, ...args)` calls that event's listeners, as the connection would.
 */
export function handDrivenConnection() {
  const listeners = new Map<string, Set<Listener>>();
  const sent: ClientPacket[] = [];
  const connection: ChatConnection = {
    on: ((type: string, listener: Listener) => {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)?.add(listener);
      return () => listeners.get(type)?.delete(listener);
    }) as ChatConnection['on'],
    sendJson: (packet) => {
      sent.push(packet);
      return 'sent';
    },
  };
  // A copy: a listener may unsubscribe while it is called.
  const emit = (type: string, ...args: unknown[]) => {
    for (const listener of [...(listeners.get(type) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  };
  return { connection, sent, listeners, emit };
}
