import { connectionState, stateChanged, type ConnectionState, type LeaderMessage, type PostedError, type TabMessage } from './tabLink.js';
import type { IncomingData, OpenInfo, OutgoingData, SendResult, WebSocketClientOptions, WebSocketSnapshot } from './types.js';
import type { SharedRole } from './SharedTabsOptions.js';
import type { Unsubscribe } from './Subscribable.js';
import type { CloseInfo } from './CloseInfo.js';
import { WebSocketClient } from './WebSocketClient.js';
import type { WebSocketError } from './WebSocketError.js';

/** What the leader does in the tab it runs in (the shared client's own state and listeners). */
export interface LeaderHost<In> {
  /** The connection's state changed (or part of it, or this tab's part: `shared`); `clearError`: the error is cleared. */
  state(state: Partial<ConnectionState> & { shared?: SharedRole }, clearError: boolean): void;
  message(message: In, raw: IncomingData): void;
  error(error: WebSocketError): void;
  open(info: OpenInfo): void;
  close(info: CloseInfo): void;
  /** How many users of this tab hold the connection (`acquire`). */
  refs(): number;
}

const toPosted = (error: WebSocketError): PostedError => ({ kind: error.kind, message: error.message, timestamp: error.timestamp });

/**
 * The tab that holds the socket: a real {@link WebSocketClient}, whose state, frames and events it
 * tells its own tab (`host`) and posts to the others (`post`; none when sharing is off), and which
 * it keeps connected while any tab uses it. The sends of other tabs go out only on the open
 * connection they were posted for (`epoch`); otherwise they are answered "wait".
 */
export class TabLeader<In, Out> {
  readonly client: WebSocketClient<In, Out>;
  /** Which leader this is: one more than the last this tab heard of. */
  readonly term: number;
  /** Whether the connection is wanted (connected or used, not closed): posted, so that the next leader knows. */
  active: boolean;
  readonly #tab: string;
  readonly #host: LeaderHost<In>;
  readonly #post: ((message: LeaderMessage) => void) | null;
  readonly #postFrames: ((frames: IncomingData[]) => void) | null;
  /**
   * Frames not posted yet: posted together by a task queued after the first (a busy page has more
   * frames waiting before it, so that the busier it is, the fewer messages it posts), or before
   * any other message.
   */
  #frames: IncomingData[] = [];
  #flusher: MessageChannel | null = null;
  readonly #unwire: Unsubscribe[];
  /** The other tabs that use the connection. */
  readonly #users = new Set<string>();
  /** The other tabs heard of: frames are posted only when there is one (a tab alone pays nothing for them). */
  readonly #tabs = new Set<string>();
  /**
   * Whether `#tabs` holds every tab there is: not until the lock manager said which are alive
   * (`present`). Until then frames are posted: a tab that was there before this one led may be
   * too busy to have said so yet, and must miss nothing.
   */
  #tabsKnown: boolean;
  #releaseClient: Unsubscribe | null = null;
  /** The open connection's name, null while none is open. */
  #epoch: string | null = null;
  #opens = 0;
  /** The other tab's send being handed to the socket, whose errors are that tab's. */
  #routing: { error?: PostedError } | null = null;
  #posted: ConnectionState | null = null;
  /** What a new tab gets first (`replay`). */
  readonly #replay: (() => readonly IncomingData[]) | undefined;

  constructor(
    tab: string,
    term: number,
    options: WebSocketClientOptions<In>,
    host: LeaderHost<In>,
    post: ((message: LeaderMessage) => void) | null,
    active: boolean,
    replay: (() => readonly IncomingData[]) | undefined,
  ) {
    this.#tab = tab;
    this.term = term;
    this.#host = host;
    // Every message goes after the frames gathered before it: the others see them in order.
    this.#post =
      post &&
      ((message) => {
        this.#flushFrames();
        post(message);
      });
    this.#postFrames = post && ((frames) => post({ t: 'frames', leader: tab, frames }));
    this.active = active;
    this.#replay = replay;
    this.#tabsKnown = !post;
    const client = new WebSocketClient<In, Out>(options);
    this.client = client;
    const leader = tab;
    this.#unwire = [
      client.subscribe((next) => this.#changed(next)),
      client.on('open', (info) => {
        this.#epoch = `${tab}:${++this.#opens}`;
        this.publish(true);
        host.open(info);
        this.#post?.({ t: 'open', leader, info });
      }),
      client.on('message', (message, raw) => {
        host.message(message, raw);
        if ((this.#tabs.size > 0 || !this.#tabsKnown) && this.#frames.push(raw) === 1) this.#scheduleFlush();
      }),
      client.on('error', (error) => {
        if (this.#routing) this.#routing.error = toPosted(error);
        else {
          host.error(error);
          this.#post?.({ t: 'error', leader, error: toPosted(error) });
        }
      }),
      client.on('close', (info) => {
        host.close(info);
        this.#post?.({ t: 'close', leader, info });
      }),
    ];
    // The first state a new leader posts makes the others say again that they use the connection
    // (`use`), and post their unanswered sends again.
    this.#changed(client.getSnapshot());
  }

  /** Connect if it was wanted; hold it while any tab uses it. */
  start(): void {
    if (this.#host.refs() > 0) this.syncUse();
    else if (this.active) this.client.connect();
  }

  /** Hold the client's connection while this tab or another uses it. */
  syncUse(): void {
    const wanted = this.#host.refs() > 0 || this.#users.size > 0;
    if (wanted && !this.#releaseClient) {
      this.active = true;
      this.#releaseClient = this.client.acquire();
    } else if (!wanted && this.#releaseClient) {
      this.#releaseClient();
      this.#releaseClient = null;
      this.active = false;
    }
  }

  /** Tell the others this tab still leads. */
  beat(): void {
    this.#post?.({ t: 'beat', leader: this.#tab, term: this.term });
  }

  /** The tabs alive, as the lock manager says: know of each, and forget the users gone without a word. */
  present(alive: ReadonlySet<string>): void {
    for (const tab of alive) if (tab !== this.#tab) this.#tabs.add(tab);
    for (const tab of this.#tabs) if (!alive.has(tab)) this.#tabs.delete(tab);
    for (const tab of this.#users) if (!alive.has(tab)) this.#users.delete(tab);
    this.#tabsKnown = true;
    this.syncUse();
  }

  /** Whether another tab was heard of (then `present` has something to check). */
  get hasTabs(): boolean {
    return this.#tabs.size > 0;
  }

  /** Post the connection's state when it changed (always, with `force`). */
  publish(force = false): void {
    const state = connectionState(this.client.getSnapshot());
    if (!force && this.#posted && !stateChanged(this.#posted, state)) return;
    this.#posted = state;
    this.#post?.({ t: 'state', leader: this.#tab, term: this.term, epoch: this.#epoch, active: this.active, state });
  }

  /** What another tab asks. */
  receive(message: TabMessage): void {
    if (message.t === 'bye') this.#tabs.delete(message.tab);
    else this.#tabs.add(message.tab);
    switch (message.t) {
      case 'hello':
        this.publish(true);
        // A new tab: what it must see first, after every frame posted before (it waits for this).
        if (message.fresh) this.#post?.({ t: 'replay', leader: this.#tab, to: message.tab, frames: [...(this.#replay?.() ?? [])] });
        return;
      case 'use':
        if (message.on) this.#users.add(message.tab);
        else this.#users.delete(message.tab);
        return this.syncUse();
      case 'bye':
        this.#users.delete(message.tab);
        return this.syncUse();
      case 'call':
        this.active = message.method !== 'close';
        if (message.method === 'close') void this.client.close(message.code, message.reason);
        else this.client[message.method]();
        return;
      case 'send':
        return this.#sendFor(message);
    }
  }

  /** Flush in a task of its own (a message to itself: not throttled in a hidden page, as timers are). */
  #scheduleFlush(): void {
    if (typeof MessageChannel !== 'function') return queueMicrotask(() => this.#flushFrames());
    if (!this.#flusher) {
      this.#flusher = new MessageChannel();
      this.#flusher.port1.onmessage = () => this.#flushFrames();
    }
    this.#flusher.port2.postMessage(null);
  }

  #flushFrames(): void {
    if (this.#frames.length === 0) return;
    const frames = this.#frames;
    this.#frames = [];
    this.#postFrames?.(frames);
  }

  /** Stop: close the socket; returns what its outbox had not sent. */
  dispose(): OutgoingData[] {
    this.#flushFrames();
    this.#flusher?.port1.close();
    for (const stop of this.#unwire) stop();
    const unsent = this.client.discardQueued();
    this.client.dispose();
    return unsent;
  }

  #changed(next: WebSocketSnapshot<In>): void {
    if (next.readyState !== 1) this.#epoch = null;
    this.#host.state(connectionState(next), next.error === null);
    this.publish();
  }

  #sendFor(message: Extract<TabMessage, { t: 'send' }>): void {
    if (message.to !== this.#tab) return;
    let result: SendResult | 'wait' = 'wait';
    let error: PostedError | undefined;
    if (message.epoch === this.#epoch && this.client.getSnapshot().readyState === 1) {
      this.#routing = {};
      result = this.client.send(message.data);
      error = this.#routing.error;
      this.#routing = null;
    }
    this.#post?.({ t: 'ack', leader: this.#tab, to: message.tab, id: message.id, result, ...(error && { error }) });
  }
}
