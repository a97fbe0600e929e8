// One server of the fan-out benchmark, in its own process (forked by lib/fanout.ts with an IPC
// channel), so that the clients' work and the server's are on separate event loops and its CPU time
// is its own. `kind`:
// - `bare`: the limit, `ws`'s own broadcast loop as its README shows it: every frame received is sent
//   as it came (the same Buffer) to every open client, the sender included. No protocol at all.
// - `memory`: the reference server (`createChatServer`) with the benchmark's options (no rate limit,
//   no slow-consumer cut-off, no heartbeat), its room in memory.
// - `redis`: the same, its room on the Redis at `--redis` (one of several nodes).
// - `mdn`: the in-repo stand-in for MDN's sample server (test/helpers/mdnSampleServer.ts): parses
//   every frame, sets `name` on messages, serializes once, sends to every connection.
// Tells its parent `{ url }` when listening; closes and exits on `'stop'`. On `'profile-start'` and
// `'profile-stop'` it profiles itself (V8's sampling profiler through `node:inspector`, so that the
// profile covers the measured window only, not the start-up) and sends `{ profile }`.
import { Session } from 'node:inspector/promises';

import { WebSocket, WebSocketServer } from 'ws';

import { createChatServer } from '../../../src/server/index.ts';
import { startMdnSampleServer } from '../../helpers/mdnSampleServer.ts';
import { BENCH_SERVER_OPTIONS } from '../lib/feed.ts';

export type FanoutServerKind = 'bare' | 'memory' | 'redis' | 'mdn';

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

async function startBare(): Promise<Running> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    });
  });
  const address = wss.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    url: `ws://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

async function start(kind: FanoutServerKind, redis: string | undefined): Promise<Running> {
  switch (kind) {
    case 'bare':
      return startBare();
    case 'memory':
      return createChatServer({ ...BENCH_SERVER_OPTIONS, port: 0 });
    case 'redis':
      if (!redis) throw new Error('--redis URL is needed');
      return createChatServer({ ...BENCH_SERVER_OPTIONS, port: 0, redis });
    case 'mdn':
      return startMdnSampleServer();
  }
}

async function startProfile(session: Session): Promise<void> {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
}

async function stopProfile(session: Session): Promise<unknown> {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return profile;
}

const [kind, redis] = process.argv.slice(2) as [FanoutServerKind, string | undefined];
start(kind, redis).then(
  (server) => {
    process.send?.({ url: server.url });
    const session = new Session();
    process.on('message', (message) => {
      if (message === 'stop') void server.close().finally(() => process.exit(0));
      else if (message === 'profile-start') void startProfile(session);
      else if (message === 'profile-stop') void stopProfile(session).then((profile) => process.send?.({ profile }));
    });
  },
  (error: unknown) => {
    process.send?.({ error: String(error instanceof Error ? error.stack : error) });
    process.exit(1);
  },
);
