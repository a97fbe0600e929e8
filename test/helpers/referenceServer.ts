// Helpers of the tests against the reference server (test/server, test/protocol): real servers on
// 127.0.0.1:0 and real `ws` clients, all closed after each test. Nothing here sleeps: every wait is on
// an event, with a timeout that reports what came.
import { afterEach } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';

import { createChatServer, type ChatServer, type ChatServerOptions } from '../../src/server/index.ts';

/** A parsed frame the client received. */
export type Packet = Record<string, unknown> & { type?: unknown };

export interface CloseEvent {
  readonly code: number;
  readonly reason: string;
}

/** Below Vitest's 5 s test timeout, so that a missing packet is reported with what did arrive. */
const WAIT_MS = 4000;

const servers = new Set<ChatServer>();
const clients = new Set<TestClient>();

afterEach(async () => {
  for (const client of clients) client.socket.terminate();
  clients.clear();
  await Promise.all([...servers].map((server) => server.close()));
  servers.clear();
});

/** Start a server on a random port with test-friendly defaults (no rate limit, no heartbeat unless asked). */
export async function startServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const server = await createChatServer({ host: '127.0.0.1', port: 0, rateLimit: false, heartbeatInterval: 0, ...options });
  servers.add(server);
  return server;
}

/** A `ws` client that keeps every packet it receives. */
export class TestClient {
  readonly socket: WebSocket;
  /** Every text frame that is JSON, parsed. */
  readonly received: Packet[] = [];
  /** Every text frame that is not JSON (the extension's `pong`), as text. */
  readonly texts: string[] = [];
  /** Settles with the close code and reason (the client's view). */
  readonly closed: Promise<CloseEvent>;
  private readonly listeners = new Set<() => void>();
  private closeEvent: CloseEvent | null = null;

  private constructor(url: string, protocols: string | string[] | undefined, options: ClientOptions) {
    this.socket = protocols === undefined ? new WebSocket(url, options) : new WebSocket(url, protocols, options);
    clients.add(this);
    this.socket.on('message', (data, isBinary) => {
      if (!isBinary) this.keep(String(data));
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        this.closeEvent = { code, reason: reason.toString() };
        resolve(this.closeEvent);
        this.notify();
      });
    });
    this.socket.on('error', () => {
      // Reported through 'close' (or 'unexpected-response' for refused upgrades).
    });
  }

  /** Open a connection (default sub-protocol `json`, like MDN's client) and wait for its `id`. */
  static async connect(
    url: string,
    { protocols = 'json', ...options }: ClientOptions & { protocols?: string | string[] | null } = {},
  ): Promise<TestClient> {
    const client = new TestClient(url, protocols ?? undefined, options);
    await client.waitFor((p) => p.type === 'id', 'id');
    return client;
  }

  /** Open several at once and wait for all of them. */
  static connectMany(url: string, count: number): Promise<TestClient[]> {
    return Promise.all(Array.from({ length: count }, () => TestClient.connect(url)));
  }

  /** Open without waiting for anything, e.g. for a refused upgrade. */
  static raw(url: string, protocols: string | string[] | undefined, options: ClientOptions = {}): TestClient {
    return new TestClient(url, protocols, options);
  }

  /** The id the server gave this connection. */
  get id(): number {
    const packet = this.received.find((p) => p.type === 'id');
    if (!packet || typeof packet.id !== 'number') throw new Error('no id yet');
    return packet.id;
  }

  /** Received packets of one type. */
  ofType(type: string): Packet[] {
    return this.received.filter((p) => p.type === type);
  }

  send(packet: unknown): void {
    this.socket.send(typeof packet === 'string' ? packet : JSON.stringify(packet));
  }

  /** What MDN's client sends once it has its id. */
  sendUsername(name: string, date = Date.now()): void {
    this.send({ type: 'username', name, id: this.id, date });
  }

  /** What MDN's client sends to chat (plus our `nonce` when given). */
  sendMessage(text: string, extra: Record<string, unknown> = {}): void {
    this.send({ type: 'message', text, id: this.id, date: Date.now(), ...extra });
  }

  /** Resolve with the first received packet (past or future, from index `from`) that matches. */
  waitFor(predicate: (packet: Packet) => boolean, label: string, from = 0): Promise<Packet> {
    return this.until(() => this.received.slice(from).find(predicate), label);
  }

  /** Resolve once `count` received packets match. */
  waitForCount(predicate: (packet: Packet) => boolean, count: number, label: string): Promise<Packet[]> {
    return this.until(() => {
      const found = this.received.filter(predicate);
      return found.length >= count ? found : undefined;
    }, label);
  }

  /** Send `username` and wait for its broadcast back; returns the name given. */
  async register(name: string): Promise<string> {
    const from = this.received.length;
    this.sendUsername(name);
    const packet = await this.waitFor((p) => p.type === 'username' && p.id === this.id, `username of ${this.id}`, from);
    await this.waitFor((p) => p.type === 'userlist', `userlist after ${name}`, from);
    return packet.name as string;
  }

  /** Close and wait for the close to complete. */
  async close(code = 1000): Promise<CloseEvent> {
    this.socket.close(code);
    return this.closed;
  }

  private until<T>(check: () => T | undefined, label: string): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(
          new Error(`timed out waiting for ${label}; received ${JSON.stringify(this.received)}; close ${JSON.stringify(this.closeEvent)}`),
        );
      }, WAIT_MS);
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(value);
      };
      this.listeners.add(listener);
    });
  }

  private keep(text: string): void {
    try {
      this.received.push(JSON.parse(text) as Packet);
    } catch {
      this.texts.push(text);
    }
  }

  /** Resolve once `count` non-JSON text frames arrived. */
  waitForTexts(count: number, label: string): Promise<string[]> {
    return this.until(() => (this.texts.length >= count ? this.texts : undefined), label);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

let barriers = 0;

/**
 * Everything the server sent before `sender`'s barrier message has arrived at each of `clients` once
 * they receive the barrier (the server handles a connection's frames in order and TCP keeps order):
 * the way to check that something was NOT received, without sleeping.
 */
export async function barrier(sender: TestClient, clients: readonly TestClient[]): Promise<void> {
  const nonce = `barrier-${++barriers}`;
  sender.sendMessage('barrier', { nonce });
  await Promise.all(clients.map((client) => client.waitFor((p) => p.type === 'message' && p.nonce === nonce, nonce)));
}

/** The packets other than barrier messages. */
export function withoutBarriers(packets: readonly Packet[]): Packet[] {
  return packets.filter((p) => !(p.type === 'message' && typeof p.nonce === 'string' && p.nonce.startsWith('barrier-')));
}

/** A writer's steady traffic, from {@link keepSending}. */
export interface Traffic {
  /** How many messages were sent so far (`w0` … `w{sent - 1}`). */
  readonly sent: number;
  /** Stop after the message being sent; resolves with how many were sent in all. */
  stop(): Promise<number>;
}

/**
 * `writer` sends `w0`, `w1`, … (each its own nonce) without pause, waiting for its own echo every
 * fifth message (at most 5 ahead of the server), until {@link Traffic.stop}.
 */
export function keepSending(writer: TestClient): Traffic {
  let sent = 0;
  let stopped = false;
  const sending = (async () => {
    while (!stopped) {
      const nonce = `w${sent++}`;
      writer.sendMessage(nonce, { nonce });
      if (sent % 5 === 0) await writer.waitFor((p) => p.nonce === nonce, nonce);
    }
  })();
  return {
    get sent() {
      return sent;
    },
    async stop() {
      stopped = true;
      await sending;
      return sent;
    },
  };
}
