// The kit's own chat client in Node, for the tests of several nodes: a ChatStore with chatHistory()
// over a WebSocketClient with `ws` as its WebSocket and a `url` function (a load balancer's
// rotation), reconnecting and resuming exactly as in a browser (catch-up after its last `seq`, the
// session to keep its name, unconfirmed messages resent with their nonces). A tap on the core's
// messages records which `seq` each message text came with (live or in a catch-up), so a test can
// check that every client shows the room's messages in one order. The store publishes on its default
// schedule (in Node: at most every 50 ms), as in a browser; the tests read it flushed.
import { WebSocket as NodeWebSocket } from 'ws';

import { ChatStore, chatHistory, type ChatState } from '../../src/chat/index.js';
import { WebSocketClient, autoReconnect, type CloseInfo, type WebSocketConstructor } from '../../src/core/index.js';
import type { ClientPacket } from '../../src/protocol/index.js';

type Frame = Record<string, unknown>;

export class KitClient {
  readonly name: string;
  readonly client: WebSocketClient<unknown, ClientPacket>;
  readonly store: ChatStore;
  /**
   * Message text -> the `seq` it came with and on which connection (1, 2, …), every time it came. A
   * packet may come again on a later connection (the kit drops what it held during a catch-up that
   * the connection's end cut short, and asks for it again), never twice on one.
   */
  readonly seqOf = new Map<string, { readonly seq: number; readonly connection: number }[]>();
  /** Close codes, in order. */
  readonly closes: number[] = [];
  #detach: () => void;
  #connection = 0;

  constructor(url: () => string, name: string) {
    this.name = name;
    this.client = new WebSocketClient<unknown, ClientPacket>({
      url,
      protocols: 'json',
      WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
      reconnect: autoReconnect({ initialDelay: 20, maxDelay: 500 }),
    });
    this.store = new ChatStore(this.client, { username: name, history: chatHistory() });
    const detach = this.store.attach();
    const offMessage = this.client.on('message', (packet) => this.#tap(packet as Frame));
    const offClose = this.client.on('close', (close: CloseInfo) => this.closes.push(close.code));
    const offOpen = this.client.on('open', () => this.#connection++);
    this.#detach = () => {
      offMessage();
      offClose();
      offOpen();
      detach();
    };
    this.client.connect();
  }

  /** What the store knows now (published at once: a check right after a close sees it). */
  get state(): ChatState {
    this.store.flush();
    return this.store.getState();
  }

  /** Signed in under its own name, caught up: what it sends now goes out at once. */
  get ready(): boolean {
    const state = this.state;
    return state.signedIn && state.username === this.name && state.history?.catchingUp === false;
  }

  /** The texts of the messages its log shows, in order. */
  texts(): string[] {
    return this.state.entries.flatMap((entry) => (entry.kind === 'message' ? [entry.text] : []));
  }

  /** Its own messages the server has not confirmed. */
  get unconfirmed(): number {
    return this.state.unconfirmed;
  }

  dispose(): void {
    this.#detach();
    this.client.dispose();
  }

  #tap(frame: Frame): void {
    const packets = frame.type === 'history' && Array.isArray(frame.packets) ? (frame.packets as Frame[]) : [frame];
    for (const packet of packets) {
      if (packet.type !== 'message' || typeof packet.seq !== 'number' || typeof packet.text !== 'string') continue;
      this.seqOf.set(packet.text, [...(this.seqOf.get(packet.text) ?? []), { seq: packet.seq, connection: this.#connection }]);
    }
  }
}
