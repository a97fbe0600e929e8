// The reference chat server in a process of its own, so that a test can kill it (SIGKILL: no close
// frames, no goodbye) and start it again on the same port. Prints one JSON line per event on stdout:
// `{"type":"listening","url":...}`, then every server event with the number of open connections.
// Usage: node --import tsx chatServerChild.ts PORT [MODE [OPTIONS]]   (PORT 0 picks a free one; OPTIONS:
// more ChatServerOptions as JSON, e.g. `{"redis":{"url":…,"key":…,"lease":…}}` for a node of a Redis room)
import { createChatServer, type ChatServer, type ChatServerEvent } from '../../../../src/server/index.ts';

let server: ChatServer | null = null;
const write = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const log = (event: ChatServerEvent) => {
  if (event.type === 'error') write({ type: 'error', id: event.id, message: event.error.message });
  else write({ ...event, open: server?.clientCount ?? 0 });
};

// `soak`: limits raised for a flood (no heartbeat, a large send buffer) and only lifecycle events logged.
const soak = process.argv[3] === 'soak';
const more = JSON.parse(process.argv[4] ?? '{}') as Record<string, unknown>;
server = await createChatServer({
  host: '127.0.0.1',
  port: Number(process.argv[2] ?? 0),
  rateLimit: false,
  ...(soak && { heartbeatInterval: 0, maxBufferedAmount: 256 * 1024 * 1024 }),
  ...more,
  log,
});
// On request (a line "stats" on stdin), print the server's counters.
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('stats')) write({ type: 'stats', stats: server?.stats() });
});
