import { SharedWebSocketClient, type SharedTabsOptions, type WebSocketClientOptions } from '../core/index.js';
import type { ClientPacket } from '../protocol/index.js';

type Frame = { readonly type?: unknown; readonly id?: unknown; readonly name?: unknown };

const isFrame = (value: unknown): value is Frame => typeof value === 'object' && value !== null;

/**
 * The chat's connection shared by the tabs of an origin, which are one user: one name, one entry in
 * the user list, one sign-in. Every tab runs its own chat store on the one connection, but only the
 * leader's store speaks the handshake: in a follower, the sign-in's `username` (the connection
 * already has, or is getting, the name) and the catch-up `history` requests are not sent; the
 * leader's requests answer every tab (the replies reach all of them, and each store shows a room
 * packet once). Renames, messages, typing and older pages go out from any tab.
 *
 * A tab that opens while the connection is open gets the connection's `id`, its own `username` and
 * the latest `userlist` from the leader (`replay`), and the log from then on; with `chatHistory()`
 * the older messages are the history's older pages (`loadOlder()`), as for a first join. (Its
 * catch-up is answered here, empty: the server's catch-up of a connection ends where it joined.)
 */
export class ChatTabsClient extends SharedWebSocketClient<unknown, ClientPacket> {
  /** The connection's id and name, as the room said them. */
  #id: unknown = null;
  #name: unknown = null;
  /** Whether this tab saw the current connection open (else its `id` is the leader's replay). */
  #sawOpen = false;
  #replayed = false;

  constructor(options: WebSocketClientOptions<unknown>, share: SharedTabsOptions) {
    super(options, { ...share, replay: (message) => this.#replayKey(message) });
    // Registered before any store's: the store sees each packet after this has.
    this.on('open', () => {
      this.#sawOpen = true;
    });
    this.on('close', () => {
      this.#id = this.#name = null;
      this.#sawOpen = false;
    });
    this.on('message', (message) => this.#watch(message));
    const send = this.sendJson;
    this.sendJson = (packet) => (this.#handshake(packet) ? 'sent' : send(packet));
  }

  #watch(message: unknown): void {
    if (!isFrame(message)) return;
    if (message.type === 'id') {
      this.#id = message.id;
      this.#replayed = !this.#sawOpen;
      this.#sawOpen = false;
    } else if (message.type === 'username' && message.id === this.#id) this.#name = message.name;
  }

  /** The leader keeps the connection's `id`, its own name and the user list for a tab that opens later. */
  #replayKey(message: unknown): string | undefined {
    if (!isFrame(message)) return undefined;
    if (message.type === 'id' || message.type === 'userlist') return message.type;
    return message.type === 'username' && message.id === this.#id ? 'username' : undefined;
  }

  /** Whether `packet` is the handshake of a follower's store, which the leader's speaks instead. */
  #handshake(packet: ClientPacket): boolean {
    if (this.getSnapshot().shared !== 'follower') return false;
    if (packet.type === 'username') return this.#name === null || packet.name === this.#name;
    if (packet.type !== 'history' || packet.before !== undefined) return false;
    // The catch-up after a replayed `id`: no reply will come for this tab; answer it, empty.
    if (this.#replayed) queueMicrotask(() => this.inject({ type: 'history', packets: [], done: true }, ''));
    return true;
  }
}
