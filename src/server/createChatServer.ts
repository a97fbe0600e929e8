import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebSocket, WebSocketServer, type RawData } from 'ws';

import { decodeClientPacket, type DecodedClientPacket } from '../protocol/decodeClientPacket.js';
import { PROTOCOL_EXTENSION_VERSION, type IdPacket, type ServerPacket } from '../protocol/packets.js';
import { createPacer, type Pacer } from '../protocol/createPacer.js';
import { ChatRoom, type PeerLink, type RoomMember } from './ChatRoom.js';
import { normalizeOrigin, resolveOptions, type ChatServerOptions } from './options.js';
import type { ChatServer, ChatServerStats, InvalidPacketKind } from './types.js';

/** The longest nonce kept, in UTF-16 code units; a longer one makes the message malformed. */
export const MAX_NONCE_LENGTH = 64;

/**
 * The least time (ms) between two `ping` frames of one connection that are answered; one that comes
 * sooner is ignored (and counted), so that pings cannot make the server write without bound. Below
 * the heartbeat's shortest useful interval: a client pinging every 500 ms or more is always answered.
 */
export const PING_SPACING = 400;

const PING = Buffer.from('ping');

interface Peer {
  readonly id: number;
  readonly socket: WebSocket;
  /** It in the room. */
  readonly member: RoomMember;
  /** Answered (or wrote) since the last ping. */
  alive: boolean;
  /** When its last `ping` frame was answered. */
  pongAt: number;
  invalid: number;
  /** Its frames through the rate limit, or null without one. */
  readonly pacer: Pacer | null;
  /** The code the server closed it with, when the server did. */
  closeCode: number | null;
}

type Counter = Exclude<keyof ChatServerStats, 'connections' | 'closes'>;

const INVALID_COUNTERS: Readonly<Record<InvalidPacketKind, Counter>> = {
  json: 'invalidJson',
  binary: 'binaryFrames',
  malformed: 'malformedPackets',
  'unknown-type': 'unknownTypes',
  'text-too-long': 'textTooLong',
};

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
  const {
    host,
    port: requestedPort,
    maxPayload,
    maxTextLength,
    maxNameLength,
    maxInvalidPackets,
    heartbeatInterval,
    rejoinWindow,
    dedupeWindow,
    dedupeCapacity,
    maxBufferedAmount,
    shutdownTimeout,
    rateLimit,
    allowedOrigins,
    log,
    now,
  } = resolveOptions(options);

  const counters: Record<Counter, number> = {
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
  };
  const closes: Record<string, number> = {};
  /** Open (and closing) connections, in the order they came. */
  const peers = new Map<number, Peer>();
  const room = new ChatRoom({ maxNameLength, rejoinWindow, dedupeWindow, dedupeCapacity, now, log });
  let closing = false;

  // ---- sending ----------------------------------------------------------------------------------

  const sendText = (peer: Peer, text: string): void => {
    const socket = peer.socket;
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > maxBufferedAmount) {
      counters.slowConsumers++;
      log({ type: 'slow-consumer', id: peer.id, bufferedAmount: socket.bufferedAmount });
      socket.terminate();
      return;
    }
    socket.send(text);
  };
  const send = (peer: Peer, packet: ServerPacket): void => sendText(peer, JSON.stringify(packet));
  /** `id`, with the protocol extension's fields (MDN's client reads `id` alone). */
  const idPacket = (peer: Peer): IdPacket => ({
    type: 'id',
    id: peer.id,
    ext: PROTOCOL_EXTENSION_VERSION,
    session: peer.member.session,
    ...(rateLimit && { rateMessages: rateLimit.messages, rateInterval: rateLimit.interval }),
  });
  // ---- the protocol -----------------------------------------------------------------------------

  /** A message within its bounds goes to the room; a text or nonce too long is invalid. */
  const relay = (peer: Peer, packet: Extract<DecodedClientPacket, { type: 'message' }>): void => {
    const { text, nonce } = packet;
    if (text.length > maxTextLength) {
      invalid(peer, 'text-too-long', `text of ${text.length} code units, the most is ${maxTextLength}`);
      return;
    }
    if (nonce !== undefined && nonce.length > MAX_NONCE_LENGTH) {
      invalid(peer, 'malformed', `nonce of ${nonce.length} code units, the most is ${MAX_NONCE_LENGTH}`);
      return;
    }
    room.relay(peer.member, packet);
  };

  const closePeer = (peer: Peer, code: number, reason: string): void => {
    peer.closeCode ??= code;
    peer.socket.close(code, reason);
  };

  const invalid = (peer: Peer, kind: InvalidPacketKind, detail: string): void => {
    peer.invalid++;
    counters.invalidPackets++;
    counters[INVALID_COUNTERS[kind]]++;
    log({ type: 'invalid', id: peer.id, kind, detail, count: peer.invalid });
    if (peer.invalid > maxInvalidPackets) {
      counters.invalidClosed++;
      closePeer(peer, 1007, 'Too many invalid packets');
    }
  };

  /**
   * The extension's keep-alive, before any other check: the text frame `ping` gets `pong`, to this
   * connection alone; it is not JSON, never relayed, never invalid, and costs no rate token. At most
   * one per {@link PING_SPACING} ms is answered. Returns whether the frame was a ping.
   */
  const answerPing = (peer: Peer, data: RawData, isBinary: boolean): boolean => {
    if (isBinary || !Buffer.isBuffer(data) || !data.equals(PING)) return false;
    const time = now();
    if (time - peer.pongAt < PING_SPACING) {
      counters.pingsIgnored++;
    } else {
      peer.pongAt = time;
      counters.pongs++;
      sendText(peer, 'pong');
    }
    return true;
  };

  const receive = (peer: Peer, data: RawData, isBinary: boolean): void => {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    peer.alive = true;
    if (answerPing(peer, data, isBinary)) return;
    const frame = () => handle(peer, data, isBinary);
    if (peer.pacer) paced(peer, peer.pacer.push(frame));
    else frame();
  };

  /** After a frame went through the rate limit: handled (0 waiting), delayed, or, a flood, cut with 1008. */
  const paced = (peer: Peer, waiting: number): void => {
    if (rateLimit && waiting > rateLimit.maxBacklog) {
      counters.rateLimited++;
      log({ type: 'rate-limited', id: peer.id });
      closePeer(peer, 1008, 'Rate limit exceeded');
    } else if (waiting > 0) {
      counters.rateDelayed++;
      if (waiting === 1) log({ type: 'rate-delayed', id: peer.id });
    }
  };

  /** One frame the rate let through (a delayed one may find its connection closing: then dropped). */
  const handle = (peer: Peer, data: RawData, isBinary: boolean): void => {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    if (isBinary) {
      invalid(peer, 'binary', 'binary frames are not part of the protocol');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(rawToString(data));
    } catch {
      invalid(peer, 'json', 'the frame is not JSON');
      return;
    }
    const result = decodeClientPacket(value);
    if (result.status === 'unknown') {
      invalid(peer, 'unknown-type', `unknown packet type ${JSON.stringify(result.type)}`);
    } else if (result.status === 'malformed') {
      invalid(peer, 'malformed', result.message);
    } else if (result.packet.type === 'username') {
      room.rename(peer.member, result.packet);
    } else {
      relay(peer, result.packet);
    }
  };

  // ---- the servers ------------------------------------------------------------------------------

  const http = createServer((_request, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'Upgrade', Upgrade: 'websocket' });
    response.end('This is a WebSocket chat server (MDN chat protocol): connect with a WebSocket client.\n');
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('json') ? 'json' : false),
    ...(allowedOrigins && {
      verifyClient: (
        info: { origin: string; req: IncomingMessage },
        callback: (result: boolean, code?: number, message?: string) => void,
      ) => {
        const origin = info.origin as string | undefined;
        if (origin !== undefined && allowedOrigins.has(normalizeOrigin(origin))) {
          callback(true);
          return;
        }
        counters.rejectedOrigins++;
        log({ type: 'origin-rejected', origin, address: info.req.socket.remoteAddress });
        callback(false, 403, 'Forbidden');
      },
    }),
  });
  wss.on('error', (error: Error) => log({ type: 'error', id: null, error }));

  wss.on('connection', (socket, request) => {
    if (closing) {
      socket.close(1001, 'Server shutting down');
      return;
    }
    const link: PeerLink = {
      get open() {
        return socket.readyState === WebSocket.OPEN;
      },
      send: (text) => sendText(peer, text),
      close: (code, reason) => closePeer(peer, code, reason),
    };
    const member = room.join(link);
    const id = member.id;
    const peer: Peer = {
      id,
      socket,
      member,
      alive: true,
      pongAt: Number.NEGATIVE_INFINITY,
      invalid: 0,
      pacer: rateLimit ? createPacer(rateLimit, now) : null,
      closeCode: null,
    };
    peers.set(id, peer);
    counters.totalConnections++;
    socket.on('pong', () => {
      peer.alive = true;
    });
    socket.on('message', (data, isBinary) => receive(peer, data, isBinary));
    socket.on('error', (error) => {
      // ws closes the connection itself on a protocol error (a frame over maxPayload: 1009...).
      peer.closeCode ??= closeCodeOf(error);
      log({ type: 'error', id, error });
    });
    socket.on('close', (received, reason) => {
      peers.delete(id);
      peer.pacer?.clear();
      const code = peer.closeCode ?? received;
      closes[code] = (closes[code] ?? 0) + 1;
      log({ type: 'close', id, code, reason: reason.toString() });
      room.leave(member);
    });
    log({ type: 'connection', id, origin: request.headers.origin, address: request.socket.remoteAddress, protocol: socket.protocol });
    send(peer, idPacket(peer));
  });

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      wss.close();
      reject(error);
    };
    http.once('error', fail);
    http.listen(requestedPort, host, () => {
      http.off('error', fail);
      resolve();
    });
  });

  const port = (http.address() as AddressInfo).port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log({ type: 'listening', url });

  const heartbeat =
    heartbeatInterval > 0
      ? setInterval(() => {
          for (const peer of peers.values()) {
            if (peer.socket.readyState !== WebSocket.OPEN) continue;
            if (!peer.alive) {
              counters.heartbeatTimeouts++;
              log({ type: 'heartbeat-timeout', id: peer.id });
              peer.socket.terminate();
              continue;
            }
            peer.alive = false;
            peer.socket.ping();
          }
        }, heartbeatInterval)
      : null;
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
    for (const peer of peers.values()) peer.closeCode ??= 1001;
    for (const socket of sockets) socket.close(1001, 'Server shutting down');
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
  };

  return {
    url,
    host,
    port,
    get clientCount() {
      return peers.size;
    },
    stats: () => Object.freeze({ ...counters, ...room.counts, connections: peers.size, closes: Object.freeze({ ...closes }) }),
    close: () => (closed ??= shutdown()),
  };
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The close code `ws` sends for one of its protocol errors (the error codes of ws/lib/receiver.js). */
function closeCodeOf(error: Error): number {
  const code = (error as { code?: unknown }).code;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH') return 1009;
  if (code === 'WS_ERR_INVALID_UTF8') return 1007;
  if (code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS') return 1008;
  return 1002;
}
