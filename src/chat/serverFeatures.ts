import type { IdPacket } from '../protocol/index.js';
import type { ChatServerFeatures } from './ChatState.js';

/** The extension a server announced in its `id` packet, or null when it announced none. */
export function serverFeatures(packet: IdPacket): ChatServerFeatures | null {
  if (packet.ext === undefined) return null;
  const { rateMessages: messages, rateInterval: interval } = packet;
  const rate =
    messages !== undefined && interval !== undefined && messages >= 1 && interval > 0 ? Object.freeze({ messages, interval }) : null;
  return Object.freeze({ version: packet.ext, rate });
}
