// A `ws` chat client that behaves like the kit over the protocol extension, for tests of several
// nodes: on every connection it asks for a catch-up (the recent history first, then `after` its last
// `seq`), holds live packets until the catch-up is done, keeps every room packet in the order it
// arrived (never dropping a repeat: the tests count them), resends its unconfirmed messages after a
// catch-up (same nonce), and reconnects, to the next of its URLs, whenever it is closed.
import { WebSocket } from 'ws';

/** A room packet as received (with its `seq`). */
export type RoomPacket = Record<string, unknown> & { readonly type: string; readonly seq: number };

/** What the log holds: room packets, and where a catch-up said some may be missing, or a new epoch began. */
export type LogEntry =
  | { readonly kind: 'packet'; readonly epoch: string; readonly packet: RoomPacket }
  | { readonly kind: 'gap'; readonly epoch: string; readonly before: number };

const RECONNECT_MS = 50;

export class ResumingClient {
  readonly log: LogEntry[] = [];
  /** Close codes it was closed with, in order. */
  readonly closes: number[] = [];
  /** Connections opened (the first included). */
  connections = 0;
  readonly #urls: readonly string[];
  readonly #name: string;
  #next: number;
  #socket: WebSocket | null = null;
  #epoch: string | undefined;
  #last = 0;
  #catchingUp = false;
  #held: RoomPacket[] = [];
  /** Messages sent and not yet seen back (nonce -> text), resent after each catch-up. */
  readonly #pending = new Map<string, string>();
  #sent = 0;
  #stopped = false;
  readonly #listeners = new Set<() => void>();

  /** Connect to `urls[first]` (the next ones on reconnects) as `name`. */
  constructor(urls: readonly string[], name: string, first = 0) {
    this.#urls = urls;
    this.#name = name;
    this.#next = first;
    this.#open();
  }

  get name(): string {
    return this.#name;
  }

  /** The room packets received, in order. */
  get packets(): RoomPacket[] {
    return this.log.flatMap((entry) => (entry.kind === 'packet' ? [entry.packet] : []));
  }

  /** Its messages not yet seen back. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Whether it is connected, named and done catching up (what it sends now is relayed). */
  get ready(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN && !this.#catchingUp && this.#named;
  }

  #named = false;

  /** Send a message with a new nonce (`NAME-N`); kept until its echo comes, resent after a reconnect. */
  say(text: string): string {
    const nonce = `${this.#name}-${++this.#sent}`;
    this.#pending.set(nonce, text);
    this.#send({ type: 'message', text, nonce, date: Date.now() });
    return nonce;
  }

  /** Resolve once `check` holds (checked after every frame and close); rejects after `ms`. */
  until(check: () => boolean, label: string, ms = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`${this.#name}: timed out waiting for ${label} (${this.packets.length} packets, last ${this.#last})`));
      }, ms);
      const listener = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve();
      };
      this.#listeners.add(listener);
    });
  }

  /** Close for good. */
  stop(): void {
    this.#stopped = true;
    this.#socket?.terminate();
  }

  #send(packet: unknown): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(packet));
  }

  #open(): void {
    const url = this.#urls[this.#next % this.#urls.length] as string;
    this.#next++;
    this.connections++;
    const socket = new WebSocket(url, 'json');
    this.#socket = socket;
    this.#named = false;
    socket.on('message', (data) => {
      this.#receive(JSON.parse(String(data)) as Record<string, unknown>);
      this.#notify();
    });
    socket.on('error', () => {
      // Reported by 'close'.
    });
    socket.on('close', (code) => {
      this.closes.push(code);
      this.#catchingUp = false;
      this.#held = [];
      this.#notify();
      if (!this.#stopped) setTimeout(() => this.#open(), RECONNECT_MS);
    });
  }

  #receive(packet: Record<string, unknown>): void {
    if (packet.type === 'id') {
      const epoch = packet.epoch as string;
      this.#send(this.#epoch === undefined ? { type: 'history' } : { type: 'history', after: this.#last, epoch: this.#epoch });
      this.#send({ type: 'username', name: this.#name, date: Date.now() });
      if (epoch !== this.#epoch) {
        this.#epoch = epoch;
        this.#last = 0;
      }
      this.#catchingUp = true;
      return;
    }
    if (packet.type === 'history') {
      if (typeof packet.gap === 'number') this.log.push({ kind: 'gap', epoch: this.#epoch as string, before: packet.gap });
      for (const inner of packet.packets as RoomPacket[]) this.#keep(inner);
      if (packet.done !== true) return;
      this.#catchingUp = false;
      for (const held of this.#held.splice(0)) this.#keep(held);
      for (const [nonce, text] of this.#pending) this.#send({ type: 'message', text, nonce, date: Date.now() });
      return;
    }
    if (packet.type === 'username' && packet.name === this.#name) this.#named = true;
    if (typeof packet.seq !== 'number') {
      // The echo of a dropped resend (no seq): the message was relayed before.
      if (packet.type === 'message' && typeof packet.nonce === 'string') this.#pending.delete(packet.nonce);
      return;
    }
    if (this.#catchingUp) this.#held.push(packet as RoomPacket);
    else this.#keep(packet as RoomPacket);
  }

  #keep(packet: RoomPacket): void {
    this.log.push({ kind: 'packet', epoch: this.#epoch as string, packet });
    this.#last = Math.max(this.#last, packet.seq);
    if (packet.type === 'message' && packet.name === this.#name && typeof packet.nonce === 'string') this.#pending.delete(packet.nonce);
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
