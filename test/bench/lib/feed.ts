// The message source of the benchmark: the reference chat server (src/server) on loopback with its
// abuse limits relaxed through its own options, and a raw `ws` client ("the sender") that writes MDN
// `message` packets to it. The server relays each one, as it would any user's, to every connection:
// the measured page and the sender itself. Nothing here is a special path of the server.
import { WebSocket } from 'ws';

import { createChatServer, type ChatServer, type ChatServerOptions } from '../../../src/server/index.ts';

/** The server options the benchmark uses: no rate limit, no dedupe, no slow-consumer cut-off. */
export const BENCH_SERVER_OPTIONS = {
  host: '127.0.0.1',
  port: 0,
  // A flood of 100 000 messages from one client is the point, not abuse.
  rateLimit: false,
  // The measured page reads slower than the server writes: let up to 1 GiB wait in the socket
  // instead of terminating the page as a slow consumer (the default cut-off is 1 MiB).
  maxBufferedAmount: 1024 * 1024 * 1024,
  // No ping in the middle of a measurement.
  heartbeatInterval: 0,
  // Messages carry no nonce, so nothing is deduplicated; keep the memory of nonces small anyway.
  dedupeCapacity: 0,
} as const;

export interface Feed {
  readonly server: ChatServer;
  /** `ws://127.0.0.1:PORT` */
  readonly url: string;
  /** Send `count` messages numbered from `first`, all in one go (one synchronous loop). */
  flood(count: number, first?: number): void;
  /**
   * Send `count` messages at `perSecond`, evenly (in slices every 4 ms, catching up on late ticks).
   * Resolves when the last was written.
   */
  stream(count: number, perSecond: number, first?: number): Promise<void>;
  /**
   * Resolves once the server has relayed `count` messages since the last `resetRelayed()` (its own
   * `stats().messagesRelayed`: the relay broadcasts synchronously, so every frame is then written
   * or queued in the server's sockets).
   */
  relayed(count: number, timeoutMs: number): Promise<void>;
  resetRelayed(): void;
  close(): Promise<void>;
}

/** Text of message `seq`: `#<seq> ` then a sentence, about 90 characters, like a chat line. */
export function messageText(seq: number): string {
  return `#${seq} ${FILLER[seq % FILLER.length]}`;
}

const FILLER = [
  'sounds good, I will push the fix after lunch and ping you when CI is green again',
  'did anyone else see the deploy warning? it looks harmless but I would rather check',
  'ok',
  'the new build is about twenty percent faster on my machine, numbers in the doc',
  'can you review #512 when you have a minute? it is small, mostly renames',
  'lol',
  'meeting moved to 3pm, same room; bring the slides from last week if you have them',
  'thanks!',
];

/** Start the server (the benchmark's options, `overrides` on top) and the sender. */
export async function startFeed(overrides: Partial<ChatServerOptions> = {}): Promise<Feed> {
  const server = await createChatServer({ ...BENCH_SERVER_OPTIONS, ...overrides });
  const sender = new WebSocket(server.url, 'json', { perMessageDeflate: false });
  let id = 0;
  // The sender reads only its `id`; its echoes (the server relays to everyone) are not parsed.
  sender.on('message', (data: Buffer) => {
    if (id === 0 && data.toString().startsWith('{"type":"id"')) id = (JSON.parse(data.toString()) as { id: number }).id;
  });
  await new Promise<void>((resolve, reject) => {
    sender.once('open', resolve);
    sender.once('error', reject);
  });
  sender.send(JSON.stringify({ type: 'username', name: 'bench', id, date: Date.now() }));

  let relayedBase = 0;
  const packet = (seq: number) => JSON.stringify({ type: 'message', text: messageText(seq), id, date: Date.now() });

  return {
    server,
    url: server.url,
    flood(count, first = 0) {
      // Built first, so that the loop below only writes.
      const frames = Array.from({ length: count }, (_, i) => packet(first + i));
      for (const frame of frames) sender.send(frame);
    },
    async stream(count, perSecond, first = 0) {
      const start = performance.now();
      let sent = 0;
      while (sent < count) {
        const due = Math.min(count, Math.floor(((performance.now() - start) * perSecond) / 1000) + 1);
        for (; sent < due; sent++) sender.send(packet(first + sent));
        if (sent < count) await new Promise((resolve) => setTimeout(resolve, 4));
      }
    },
    async relayed(count, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (server.stats().messagesRelayed - relayedBase < count) {
        if (performance.now() > deadline) {
          throw new Error(`the server relayed ${server.stats().messagesRelayed - relayedBase} of ${count} messages in ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    resetRelayed() {
      relayedBase = server.stats().messagesRelayed;
    },
    async close() {
      sender.close();
      await server.close();
    },
  };
}
