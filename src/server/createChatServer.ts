// The reference chat server's factory: the HTTP server and the WebSocketServer on it, the origin
// check, each connection's wiring to its named handlers (ChatConnection), the protocol-level ping
// interval, the counters, the readiness endpoint (`/ready`) and the shutdown. The chat itself is the
// room's (ChatRoom).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebSocket, WebSocketServer } from 'ws';

import { ChatConnection } from './ChatConnection.js';
import { ChatRoom } from './ChatRoom.js';
import { normalizeOrigin, resolveOptions, type ChatServerOptions } from './options.js';
import { answerReadiness } from './readiness.js';
import { connectRedisRoom } from './redis/connectRedisRoom.js';
import type { ChatServer, ChatServerStats } from './types.js';

type Counter = Exclude<keyof ChatServerStats, 'connections' | 'closes'>;

/** Every counter at 0, in the order of `ChatServerStats`: a snapshot lists them in that order, whoever counts them. */
const NO_COUNTS: Readonly<Record<Counter, number>> = Object.freeze({
  totalConnections: 0,
  rejectedOrigins: 0,
  messagesRelayed: 0,
  duplicateMessages: 0,
  blankMessages: 0,
  usernames: 0,
  invalidPackets: 0,
  invalidJson: 0,
  binaryFrames: 0,
  malformedPackets: 0,
  unknownTypes: 0,
  textTooLong: 0,
  rateDelayed: 0,
  rateLimited: 0,
  invalidClosed: 0,
  heartbeatTimeouts: 0,
  slowConsumers: 0,
  pongs: 0,
  pingsIgnored: 0,
  rejoins: 0,
  historyRequests: 0,
  typingRelayed: 0,
  typingIgnored: 0,
  editsRelayed: 0,
  deletesRelayed: 0,
  editsRefused: 0,
});

/**
 * Start the reference chat server of the MDN chat protocol (the README's "The reference server" and
 * "The protocol extension" sections say what it speaks), without MDN's sample server's flaws:
 * identity comes from the connection, only packets the server built are relayed, names are unique
 * case-insensitively, and every input is bounded.
 *
 * Resolves once it listens (rejects if it cannot, e.g. the port is taken).
 *
 * Protocol choices:
 * - the sub-protocol `json` is selected when offered; a client offering none is served too;
 * - a connection that writes a message before asking for a name is first given its default name
 *   `user<id>` (announced with `username` and `userlist`, as if it had asked), so every relayed message
 *   has a name, as MDN's clients expect;
 * - a name request is cleaned (control characters, spaces, cut to `maxNameLength`); an empty one keeps
 *   the current name, or gives `user<id>`; a taken one (case-insensitively) gets a number: `ada2`...;
 *   whenever the name given differs from the one asked, the requester gets `rejectusername`;
 * - a message's `nonce` (≤ 64 code units) is relayed, and a message whose (name, nonce) was relayed in
 *   the last `dedupeWindow` is not relayed again: only its sender gets the echo, which confirms it.
 *
 * @example
 * ```ts
 * const server = await createChatServer({ port: 0 });
 * console.log(server.url); // ws://127.0.0.1:49152
 * await server.close();
 * ```
 */
export async function createChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const checked = resolveOptions(options);
  const redis = await connectRedisRoom(checked);
  const resolved = redis?.options ?? checked;
  const { host, maxPayload, heartbeatInterval, shutdownTimeout, allowedOrigins, log } = resolved;

  /**
   * The server's own counters and its connections' (the room's keys stay 0 here: the room keeps its
   * own, which a snapshot lays over these).
   */
  const counters: Record<Counter, number> = { ...NO_COUNTS };
  const closes: Record<string, number> = {};
  const room = new ChatRoom({ ...resolved, broker: redis?.backend, firstId: redis?.backend.firstId }, await resolved.history?.position());
  /** Open (and closing) connections, in the order they came. */
  const connections = new Set<ChatConnection>();
  const context = { options: resolved, room, counters };
  let closing = false;
  /** Redis (the `redis` option) is out of reach: no connection is served. */
  let unavailable = false;
  redis?.start(room, {
    lost: () => {
      unavailable = true;
      for (const connection of connections) connection.close(1013, 'Redis unavailable, try again later');
    },
    restored: () => {
      unavailable = false;
    },
  });

  const http = createServer((request, response) => {
    const redisState = redis ? (unavailable ? 'lost' : 'connected') : 'none';
    if (answerReadiness(request, response, { closing, redis: redisState })) return;
    response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'Upgrade', Upgrade: 'websocket' });
    response.end('This is a WebSocket chat server (MDN chat protocol): connect with a WebSocket client.\n');
  });

  /** The origin allow-list: an upgrade from any other origin, or from none, is refused with HTTP 403. */
  const verifyClient = (
    info: { origin: string; req: IncomingMessage },
    callback: (result: boolean, code?: number, message?: string) => void,
  ): void => {
    const origin = info.origin as string | undefined;
    if (origin !== undefined && allowedOrigins?.has(normalizeOrigin(origin))) {
      callback(true);
      return;
    }
    counters.rejectedOrigins++;
    log({ type: 'origin-rejected', origin, address: info.req.socket.remoteAddress });
    callback(false, 403, 'Forbidden');
  };

  const wss = new WebSocketServer({
    server: http,
    maxPayload,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('json') ? 'json' : false),
    ...(allowedOrigins && { verifyClient }),
  });

  /** A connection closed: it is counted by its close code, and leaves the room. */
  const onClose = (connection: ChatConnection, received: number, reason: Buffer): void => {
    connections.delete(connection);
    const code = connection.closed(received);
    closes[code] = (closes[code] ?? 0) + 1;
    log({ type: 'close', id: connection.id, code, reason: reason.toString() });
    room.leave(connection.member);
  };

  /** A new connection: it joins the room, its events go to its handlers, and it gets its `id`. */
  const onConnection = (socket: WebSocket, request: IncomingMessage): void => {
    if (closing || unavailable) {
      socket.close(closing ? 1001 : 1013, closing ? 'Server shutting down' : 'Redis unavailable, try again later');
      return;
    }
    const connection = new ChatConnection(socket, context);
    connections.add(connection);
    counters.totalConnections++;
    socket.on('pong', connection.onPong);
    socket.on('message', connection.onMessage);
    socket.on('error', connection.onError);
    socket.on('close', (received, reason) => onClose(connection, received, reason));
    log({
      type: 'connection',
      id: connection.id,
      origin: request.headers.origin,
      address: request.socket.remoteAddress,
      protocol: socket.protocol,
    });
    connection.sendId();
  };

  wss.on('error', (error: Error) => log({ type: 'error', id: null, error }));
  wss.on('connection', onConnection);

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      wss.close();
      void redis?.backend.close();
      reject(error);
    };
    http.once('error', fail);
    http.listen(resolved.port, host, () => {
      http.off('error', fail);
      resolve();
    });
  });

  const port = (http.address() as AddressInfo).port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log({ type: 'listening', url });

  /** The protocol-level heartbeat: a connection that did not answer the last ping is terminated, the others pinged. */
  const beat = (): void => {
    for (const connection of connections) {
      if (!connection.open) continue;
      if (!connection.alive) {
        counters.heartbeatTimeouts++;
        log({ type: 'heartbeat-timeout', id: connection.id });
        connection.terminate();
        continue;
      }
      connection.ping();
    }
  };
  const heartbeat = heartbeatInterval > 0 ? setInterval(beat, heartbeatInterval) : null;
  heartbeat?.unref();

  let closed: Promise<void> | null = null;
  const shutdown = async (): Promise<void> => {
    closing = true;
    room.close();
    if (heartbeat) clearInterval(heartbeat);
    log({ type: 'shutdown' });
    const sockets = [...wss.clients];
    const allClosed = Promise.all(
      sockets.map((socket) =>
        socket.readyState === WebSocket.CLOSED ? undefined : new Promise<void>((resolve) => socket.once('close', () => resolve())),
      ),
    );
    for (const connection of connections) connection.close(1001, 'Server shutting down');
    const force = setTimeout(() => {
      for (const socket of sockets) socket.terminate();
    }, shutdownTimeout);
    await allClosed;
    clearTimeout(force);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
    await redis?.backend.close();
  };

  return {
    url,
    host,
    port,
    get clientCount() {
      return connections.size;
    },
    stats: () => Object.freeze({ ...counters, ...room.counts, connections: connections.size, closes: Object.freeze({ ...closes }) }),
    close: () => (closed ??= shutdown()),
  };
}
