import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import type { WebSocketConstructor } from '../core/index.js';
import type { ClientPacket, ServerPacket } from '../protocol/index.js';
import { DEFAULT_MAX_NAME_LENGTH, cleanName, nameKey, uniqueName } from '../protocol/names.js';

/** A client connected to a {@link MockChatServer}. */
export interface MockChatConnection {
  readonly id: number;
  /** The name the server gave it, or null before it asked for one. */
  name: string | null;
  readonly socket: Client;
}

/**
 * What a client sent that is not a packet: not JSON, or JSON but not an object with a string `type`.
 * `raw` is the data as it came. Its `type` is always undefined, so that `packet.type === 'username'`
 * can be asked of every received packet (and narrows it to a `ClientUsernamePacket`).
 */
export interface RawPacket {
  readonly type?: undefined;
  readonly raw: unknown;
}

/** What a client sent: a packet of the protocol (as sent: its fields are not checked), or a {@link RawPacket}. */
export type ReceivedData = ClientPacket | RawPacket;

/** A packet a client sent, with who sent it. */
export interface ReceivedPacket<P extends ReceivedData = ReceivedData> {
  readonly from: MockChatConnection;
  readonly packet: P;
}

/** A test on what a client sent; a type guard narrows what {@link MockChatServer.waitForPacket} resolves with. */
export type PacketPredicate = (packet: ReceivedData, from: MockChatConnection) => boolean;

/** Options of {@link createMockChatServer}. */
export interface MockChatServerOptions {
  /** The URL to listen on. Default: a fresh `ws://mock-chat.test:<n>/`. */
  url?: string;
  /**
   * The sub-protocol the server selects from those offered. Default: `'json'` when offered, else
   * none. Return `''` to select none.
   */
  selectProtocol?: (offered: string[]) => string;
  /** Answer the protocol automatically (ids, names, relaying). Default true. */
  autoRespond?: boolean;
}

/** A mock chat server speaking the MDN chat protocol, on mock-socket: for testing chat UIs. */
export interface MockChatServer {
  readonly url: string;
  /** mock-socket's WebSocket: pass it as the `WebSocket` prop/option. */
  readonly WebSocket: WebSocketConstructor;
  /** The mock-socket server itself, for what this API does not cover. */
  readonly server: Server;
  /** Connections, in the order they came; closed ones stay. */
  readonly connections: readonly MockChatConnection[];
  /** Every packet the clients sent, in order. */
  readonly received: readonly ReceivedPacket[];
  /** Send a packet (or any raw text) to one connection, or to every open one. */
  send(packet: ServerPacket | Record<string, unknown> | string, to?: MockChatConnection): void;
  /**
   * Resolve with the first received packet (past or future) that satisfies `predicate`. A predicate
   * that narrows (`(packet) => packet.type === 'username'`, a type predicate TypeScript infers)
   * narrows the result: its `packet` is then a `ClientUsernamePacket`.
   */
  waitForPacket<P extends ReceivedData>(
    predicate: (packet: ReceivedData, from: MockChatConnection) => packet is P,
  ): Promise<ReceivedPacket<P>>;
  waitForPacket(predicate: PacketPredicate): Promise<ReceivedPacket>;
  /** Close every connection with `code` (default 1006, abnormal) and stop listening. */
  close(options?: { code?: number; reason?: string; wasClean?: boolean }): void;
  /** Stop listening (connections stay as they are). */
  stop(): void;
}

let nextPort = 30000;

/**
 * Start a mock chat server. By default it behaves like the reference server: it gives each
 * connection an id, registers names (case-insensitively unique; a taken name gets a number and a
 * `rejectusername`), relays messages with the sender's name, and sends the user list after every
 * change. It never replaces the global `WebSocket`.
 *
 * @example
 * ```tsx
 * const chat = createMockChatServer();
 * render(<ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket}>...</ChatProvider>);
 * const { packet } = await chat.waitForPacket((packet) => packet.type === 'username');
 * expect(packet.name).toBe('ada');
 * ```
 */
export function createMockChatServer(options: MockChatServerOptions = {}): MockChatServer {
  const url = options.url ?? `ws://mock-chat.test:${nextPort++}/`;
  const selectProtocol = options.selectProtocol ?? ((offered: string[]) => (offered.includes('json') ? 'json' : ''));
  const server = new Server(url, { mock: false, selectProtocol });
  const connections: MockChatConnection[] = [];
  const received: ReceivedPacket[] = [];
  const waiters: { predicate: PacketPredicate; resolve: (r: ReceivedPacket) => void }[] = [];
  const autoRespond = options.autoRespond ?? true;
  let nextId = 1;

  const open = () => connections.filter((c) => c.socket.readyState === 1);
  const send = (packet: unknown, to?: MockChatConnection) => {
    const text = typeof packet === 'string' ? packet : JSON.stringify(packet);
    for (const connection of to ? [to] : open()) if (connection.socket.readyState === 1) connection.socket.send(text);
  };
  const userlist = () => send({ type: 'userlist', users: open().map((c) => c.name) });

  server.on('connection', (socket) => {
    const connection: MockChatConnection = { id: nextId++, name: null, socket };
    connections.push(connection);
    if (autoRespond) send({ type: 'id', id: connection.id }, connection);
    socket.on('message', (data) => {
      const packet = parseReceived(data);
      const entry = { from: connection, packet };
      received.push(entry);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(packet, connection)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      }
      if (autoRespond && packet.type !== undefined) respond(connection, packet);
    });
    socket.on('close', () => {
      if (autoRespond) userlist();
    });
  });

  function respond(connection: MockChatConnection, packet: ClientPacket) {
    if (packet.type === 'username' && typeof packet.name === 'string') {
      // The reference server's rules (src/protocol/names.ts): cleaned, unique case-insensitively (NFKC).
      const taken = new Set(
        connections.filter((c) => c !== connection && c.socket.readyState === 1 && c.name !== null).map((c) => nameKey(c.name as string)),
      );
      const base = cleanName(packet.name, DEFAULT_MAX_NAME_LENGTH) || connection.name || `user${connection.id}`;
      const name = uniqueName(base, DEFAULT_MAX_NAME_LENGTH, (key) => taken.has(key));
      if (name !== packet.name) send({ type: 'rejectusername', id: connection.id, name }, connection);
      connection.name = name;
      send({ type: 'username', id: connection.id, name, date: packet.date });
      userlist();
    } else if (packet.type === 'message' && typeof packet.text === 'string') {
      const relay: Record<string, unknown> = {
        type: 'message',
        id: connection.id,
        name: connection.name ?? '',
        text: packet.text,
        date: packet.date,
      };
      if (typeof packet.nonce === 'string') relay.nonce = packet.nonce;
      send(relay);
    }
  }

  function waitForPacket<P extends ReceivedData>(
    predicate: (packet: ReceivedData, from: MockChatConnection) => packet is P,
  ): Promise<ReceivedPacket<P>>;
  function waitForPacket(predicate: PacketPredicate): Promise<ReceivedPacket>;
  function waitForPacket(predicate: PacketPredicate): Promise<ReceivedPacket> {
    const found = received.find((r) => predicate(r.packet, r.from));
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => waiters.push({ predicate, resolve }));
  }

  return {
    url,
    WebSocket: MockWebSocket as unknown as WebSocketConstructor,
    server,
    connections,
    received,
    send,
    waitForPacket,
    close({ code = 1006, reason = '', wasClean = code !== 1006 } = {}) {
      server.close({ code, reason, wasClean });
    },
    stop() {
      server.stop();
    },
  };
}

/** A JSON object with a string `type` is a packet (kept as sent); anything else is a {@link RawPacket}. */
function parseReceived(data: unknown): ReceivedData {
  try {
    const value: unknown = JSON.parse(String(data));
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') return value as ClientPacket;
  } catch {
    // Not JSON: raw.
  }
  return { raw: data };
}
