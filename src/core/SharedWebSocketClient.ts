import { assertValidCloseArguments } from './closeCodes.js';
import { createCloseInfo, type CloseInfo } from './CloseInfo.js';
import { decodeFrame } from './decodeFrame.js';
import { Subscribable, callSafely, type Unsubscribe } from './Subscribable.js';
import {
  connectionState,
  newTabId,
  openTabLink,
  stateChanged,
  type ConnectionState,
  type LinkMessage,
  type PostedError,
  type TabLink,
  type TabLinkHosts,
  type TabMessage,
  type LeaderMessage,
} from './tabLink.js';
import { TabOutbox } from './TabOutbox.js';
import type {
  IncomingData,
  OutgoingData,
  SendResult,
  SnapshotListener,
  WebSocketClientEvents,
  WebSocketClientOptions,
  WebSocketSnapshot,
} from './types.js';
import { WebSocketClient, createInitialSnapshot } from './WebSocketClient.js';
import { createWebSocketError, describeCause, type WebSocketError } from './WebSocketError.js';

/**
 * Which part this tab plays: `'leader'` holds the socket, `'follower'` uses the leader's over the
 * channel, `'off'` has its own connection (no Web Locks or no BroadcastChannel here).
 */
export type SharedRole = 'leader' | 'follower' | 'off';

/** The snapshot of a {@link SharedWebSocketClient}: the connection's, and this tab's part in it. */
export interface SharedSnapshot<In = unknown> extends WebSocketSnapshot<In> {
  readonly shared: SharedRole;
}

/** Options of {@link sharedTabs}. */
export interface SharedTabsOptions extends TabLinkHosts {
  /** Tabs of one origin that give the same name share one connection. */
  readonly name: string;
  /** How often the leader tells the others it is alive, in ms. Default 250. */
  readonly beatInterval?: number;
  /**
   * How long the others wait without a word from the leader before one takes its place (a hung or
   * frozen tab keeps its lock: the lock is taken from it), in ms. Default 2500: a hidden tab's
   * timers run once a second. A closed or crashed leader is replaced at once, whatever this is.
   */
  readonly takeoverAfter?: number;
}

type EventSets<In> = { [K in keyof WebSocketClientEvents<In>]?: Set<WebSocketClientEvents<In>[K]> };

const toPosted = (error: WebSocketError): PostedError => ({ kind: error.kind, message: error.message, timestamp: error.timestamp });

/**
 * A {@link WebSocketClient} whose connection the tabs of one origin share: one tab (the leader,
 * chosen with the Web Locks API, for as long as it lives) holds a real `WebSocketClient`; the others
 * follow it over a `BroadcastChannel`: every tab sees the same ready state and status and every
 * message, in order, and a send from any tab goes out once, on the one socket. When the leader's
 * tab closes, crashes, freezes or hangs, another tab takes its place and connects again; the sends
 * of every tab that were not answered go out on the new connection. Where Web Locks or
 * BroadcastChannel are missing, each tab has its own connection (`shared: 'off'`).
 *
 * Every tab should give the same options: the leader's apply to the connection (url, protocols,
 * reconnect, heartbeat); `parse` and `validate` are each tab's own. Made by {@link sharedTabs}.
 */
export class SharedWebSocketClient<In = unknown, Out = unknown>
  extends Subscribable<SnapshotListener<In>>
  implements WebSocketClient<In, Out>
{
  readonly #tab = newTabId();
  readonly #share: SharedTabsOptions;
  readonly #link: TabLink | null;
  #options: WebSocketClientOptions<In>;
  #role: SharedRole;
  #snapshot: SharedSnapshot<In>;
  #events: EventSets<In> = {};
  /** The real client: the leader's, or this tab's own when sharing is off. */
  #inner: WebSocketClient<In, Out> | null = null;
  #unwire: Unsubscribe[] = [];
  /** The leader: the tabs that use the connection (`acquire`). */
  readonly #users = new Set<string>();
  #releaseInner: Unsubscribe | null = null;
  #refs = 0;
  /** Whether the connection is wanted (connected or acquired, not closed): a new leader connects if so. */
  #active = false;
  /** The leader: the open connection's name; a follower: the one it posts for (null: none open). */
  #epoch: string | null = null;
  #opens = 0;
  /** The leader: the follower send being handed to the socket, whose errors are that tab's. */
  #routing: { tab: string; error?: PostedError } | null = null;
  /** The follower's sends the leader has not answered. */
  readonly #outbox = new TabOutbox();
  #leader: string | null = null;
  /** A follower: how many messages wait in the leader's outbox. */
  #leaderQueued = 0;
  #lastWord = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;
  #lockRequest = 0;
  #lockAbort: AbortController | null = null;
  #releaseLock: (() => void) | null = null;
  #releasePresence: (() => void) | null = null;
  #closeWaiters: ((info: CloseInfo) => void)[] = [];
  #disposed = false;

  constructor(options: WebSocketClientOptions<In>, share: SharedTabsOptions) {
    super();
    this.#options = { ...options };
    this.#share = share;
    this.#link = openTabLink(share.name, share);
    this.#role = this.#link ? 'follower' : 'off';
    this.#snapshot = Object.freeze({ ...createInitialSnapshot<In>(0), shared: this.#role });
    if (!this.#link) {
      this.#attachInner();
      return;
    }
    const { channel, locks } = this.#link;
    channel.onmessage = (event: MessageEvent<LinkMessage>) => this.#receive(event.data);
    // A lock of its own for as long as the tab lives: the leader learns from it which tabs are gone.
    void locks
      .request(this.#presenceLock(this.#tab), () => new Promise<void>((release) => (this.#releasePresence = release)))
      .catch(() => {});
    this.#requestLock(false);
    this.#post({ t: 'hello', tab: this.#tab });
    this.#timer = setInterval(() => this.#tick(), share.beatInterval ?? 250);
    const doc = (globalThis as { document?: Document }).document;
    // A page the browser freezes runs nothing more: it hands the connection over first.
    doc?.addEventListener('freeze', this.#onFreeze);
    doc?.addEventListener('resume', this.#onResume);
  }

  getSnapshot = (): SharedSnapshot<In> => this.#snapshot;

  on = <K extends keyof WebSocketClientEvents<In>>(type: K, listener: WebSocketClientEvents<In>[K]): Unsubscribe => {
    const set = (this.#events[type] ?? new Set()) as Set<WebSocketClientEvents<In>[K]>;
    (this.#events as Record<K, Set<WebSocketClientEvents<In>[K]>>)[type] = set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  setOptions = (patch: Partial<WebSocketClientOptions<In>>): void => {
    this.#options = { ...this.#options, ...patch };
    this.#inner?.setOptions(patch);
  };

  setBinaryType = (binaryType: BinaryType): void => this.setOptions({ binaryType });

  connect = (): void => {
    if (this.#disposed) return;
    this.#active = true;
    this.#call('connect');
  };

  acquire = (): Unsubscribe => {
    if (++this.#refs === 1) this.#use(true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // As the core does: StrictMode releases and re-acquires at once; keep the connection then.
      if (--this.#refs === 0) queueMicrotask(() => this.#refs === 0 && !this.#disposed && this.#use(false));
    };
  };

  send = (data: OutgoingData): SendResult => {
    if (this.#inner) return this.#inner.send(data);
    const max = this.#options.maxQueue ?? 1000;
    if (this.#outbox.size >= max) {
      this.#report(createWebSocketError('overflow', `The outbox is full (${max} messages): message rejected.`, { data }));
      return 'rejected';
    }
    // Posted at once while the connection is open and nothing waits before it: the leader sends it.
    const sentNow = this.#epoch !== null && !this.#outbox.waiting;
    this.#outbox.add(data);
    if (sentNow) this.#postWaiting();
    this.#updateQueued();
    return sentNow ? 'sent' : 'queued';
  };

  discardQueued = (filter?: (data: OutgoingData) => boolean): OutgoingData[] => {
    if (this.#inner) return this.#inner.discardQueued(filter);
    const taken = this.#outbox.discard(filter);
    this.#updateQueued();
    return taken;
  };

  sendJson = (value: Out): SendResult => {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (cause) {
      this.#report(createWebSocketError('send', `Could not encode as JSON: ${describeCause(cause)}`, { data: value, cause }));
      return 'rejected';
    }
    if (text !== undefined) return this.send(text);
    this.#report(createWebSocketError('send', 'Could not encode as JSON: it serializes to nothing', { data: value }));
    return 'rejected';
  };

  /** Close the one connection, for every tab, and stop reconnecting (until a tab connects again). */
  close = (code?: number, reason?: string): Promise<CloseInfo> => {
    assertValidCloseArguments(code, reason);
    this.#active = false;
    if (this.#inner) return this.#inner.close(code, reason);
    if (this.#snapshot.readyState === 3) return Promise.resolve(createCloseInfo(code ?? 1005, reason, true));
    this.#post({ t: 'call', tab: this.#tab, method: 'close', code, reason });
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  };

  reconnect = (): void => {
    if (this.#disposed) return;
    this.#active = true;
    this.#call('reconnect');
  };

  /** Leave: a leader closes its socket and lets another tab take over; the client is done. */
  dispose = (): void => {
    if (this.#disposed) return;
    this.#disposed = true;
    clearInterval(this.#timer);
    const doc = (globalThis as { document?: Document }).document;
    doc?.removeEventListener('freeze', this.#onFreeze);
    doc?.removeEventListener('resume', this.#onResume);
    if (this.#role === 'follower') this.#post({ t: 'bye', tab: this.#tab });
    this.#detachInner(true);
    this.#lockAbort?.abort();
    this.#releaseLock?.();
    this.#releasePresence?.();
    this.#link?.channel.close();
    this.listeners.clear();
    this.#events = {};
  };

  // ---- this tab's state -----------------------------------------------------------------------

  #update(patch: Partial<SharedSnapshot<In>>): void {
    const previous = this.#snapshot;
    for (const key in patch) {
      if (!Object.is(previous[key as keyof SharedSnapshot<In>], patch[key as keyof SharedSnapshot<In>])) {
        this.#snapshot = Object.freeze({ ...previous, ...patch });
        return this.emit(this.#snapshot, previous);
      }
    }
  }

  #emitEvent<K extends keyof WebSocketClientEvents<In>>(type: K, ...args: Parameters<WebSocketClientEvents<In>[K]>): void {
    for (const listener of this.#events[type] ?? []) callSafely(listener as (...a: unknown[]) => void, args);
  }

  #report(error: WebSocketError): void {
    this.#update({ error });
    this.#emitEvent('error', error);
  }

  #deliver(message: In, raw: IncomingData): void {
    this.#update({ lastMessage: message, messageCount: this.#snapshot.messageCount + 1 });
    this.#emitEvent('message', message, raw);
  }

  /** A follower: the leader's outbox and this tab's sends not answered yet. */
  #updateQueued(): void {
    if (!this.#inner) this.#update({ queued: this.#leaderQueued + this.#outbox.size });
  }

  // ---- the real client (leader, or off) -------------------------------------------------------

  #attachInner(): WebSocketClient<In, Out> {
    const inner = new WebSocketClient<In, Out>(this.#options);
    this.#inner = inner;
    this.#unwire = [
      inner.subscribe((next) => this.#fromInner(next)),
      inner.on('open', (info) => {
        this.#epoch = `${this.#tab}:${++this.#opens}`;
        this.#publishState(true);
        this.#emitEvent('open', info);
        this.#leaderPost({ t: 'open', leader: this.#tab, info });
      }),
      inner.on('message', (message, raw) => {
        this.#deliver(message, raw);
        this.#leaderPost({ t: 'frame', leader: this.#tab, raw });
      }),
      inner.on('error', (error) => {
        // An error of a follower's send is that tab's: it goes back with the answer.
        if (this.#routing) this.#routing.error = toPosted(error);
        else {
          this.#report(error);
          this.#leaderPost({ t: 'error', leader: this.#tab, error: toPosted(error) });
        }
      }),
      inner.on('close', (info) => {
        this.#emitEvent('close', info);
        this.#leaderPost({ t: 'close', leader: this.#tab, info });
      }),
    ];
    this.#fromInner(inner.getSnapshot());
    return inner;
  }

  #fromInner(next: WebSocketSnapshot<In>): void {
    const state = connectionState(next);
    if (next.readyState !== 1) this.#epoch = null;
    this.#update({ ...state, ...(next.error === null && this.#snapshot.error !== null && { error: null }) });
    this.#publishState();
  }

  #detachInner(close: boolean): OutgoingData[] {
    const inner = this.#inner;
    if (!inner) return [];
    for (const stop of this.#unwire) stop();
    this.#unwire = [];
    this.#inner = null;
    this.#releaseInner = null;
    this.#epoch = null;
    const queued = inner.discardQueued();
    if (close) inner.dispose();
    return queued;
  }

  /** The leader: hold the real client's connection while any tab uses it. */
  #syncUse(): void {
    const inner = this.#inner;
    if (!inner) return;
    const wanted = this.#refs > 0 || this.#users.size > 0;
    if (wanted && !this.#releaseInner) {
      this.#active = true;
      this.#releaseInner = inner.acquire();
    } else if (!wanted && this.#releaseInner) {
      this.#releaseInner();
      this.#releaseInner = null;
      this.#active = false;
    }
  }

  #use(on: boolean): void {
    if (this.#role === 'follower') this.#post({ t: 'use', tab: this.#tab, on });
    else this.#syncUse();
  }

  #call(method: 'connect' | 'reconnect'): void {
    if (this.#inner) this.#inner[method]();
    else this.#post({ t: 'call', tab: this.#tab, method });
  }

  // ---- leadership -------------------------------------------------------------------------------

  #lockName(): string {
    return `rwc-tabs:${this.#share.name}`;
  }

  #presenceLock(tab: string): string {
    return `${this.#lockName()}:tab:${tab}`;
  }

  /** Ask for the leader's lock (wait in line, or take it from a leader that stopped answering). */
  #requestLock(steal: boolean): void {
    const link = this.#link;
    if (!link || this.#disposed) return;
    const request = ++this.#lockRequest;
    this.#lockAbort?.abort();
    const abort = steal ? null : new AbortController();
    this.#lockAbort = abort;
    const held = () =>
      new Promise<void>((release) => {
        if (this.#disposed || request !== this.#lockRequest) return release();
        this.#releaseLock = release;
        this.#lead();
      });
    // `steal` cannot be combined with `signal`.
    void link.locks.request(this.#lockName(), abort ? { signal: abort.signal } : { steal: true }, held).catch(() => {
      // Taken from us (we hung, and another tab stole it), or our wait aborted: follow, and wait in line.
      if (request === this.#lockRequest && this.#role === 'leader') this.#follow(true);
    });
  }

  #lead(): void {
    this.#role = 'leader';
    this.#leader = this.#tab;
    this.#users.clear();
    const waiting = this.#outbox.drain();
    const inner = this.#attachInner();
    this.#update({ shared: 'leader' });
    // Tabs that use the connection say so again (`use`), and post their unanswered sends again.
    this.#leaderPost({ t: 'beat', leader: this.#tab });
    this.#publishState(true);
    for (const data of waiting) inner.send(data);
    if (this.#refs > 0) this.#syncUse();
    else if (this.#active) inner.connect();
  }

  /** Stop leading (the lock was taken, or the page freezes): keep what the socket had not sent. */
  #follow(requeue: boolean): void {
    const unsent = this.#detachInner(true);
    for (const data of unsent) this.#outbox.add(data);
    this.#releaseLock?.();
    this.#releaseLock = null;
    this.#role = 'follower';
    this.#leader = null;
    this.#lastWord = Date.now();
    this.#update({ shared: 'follower' });
    this.#updateQueued();
    if (requeue) this.#requestLock(false);
  }

  #onFreeze = (): void => {
    if (this.#role === 'leader') this.#follow(false);
    else {
      this.#lockAbort?.abort();
      this.#lockRequest++;
    }
  };

  #onResume = (): void => {
    this.#lastWord = Date.now();
    if (this.#role === 'follower') {
      this.#requestLock(false);
      this.#post({ t: 'hello', tab: this.#tab });
    }
  };

  #tick(): void {
    if (this.#role === 'leader') {
      this.#leaderPost({ t: 'beat', leader: this.#tab });
      void this.#pruneUsers();
    } else if (Date.now() - this.#lastWord > (this.#share.takeoverAfter ?? 2500)) {
      // The leader is silent (hung, or frozen without a word): take its place.
      this.#lastWord = Date.now();
      this.#requestLock(true);
    }
  }

  /** Forget the users whose tab is gone (its presence lock released) without saying `bye`. */
  async #pruneUsers(): Promise<void> {
    const link = this.#link;
    if (!link || this.#users.size === 0) return;
    const { held = [] } = await link.locks.query();
    const alive = new Set(held.map((lock) => lock.name));
    for (const tab of this.#users) if (!alive.has(this.#presenceLock(tab))) this.#users.delete(tab);
    this.#syncUse();
  }

  // ---- the channel --------------------------------------------------------------------------------

  #post(message: LinkMessage): void {
    try {
      this.#link?.channel.postMessage(message);
    } catch (cause) {
      // Data that cannot cross (not structured-cloneable): said where it was sent.
      this.#report(createWebSocketError('send', `Could not pass to the other tabs: ${describeCause(cause)}`, { cause }));
    }
  }

  #leaderPost(message: LeaderMessage): void {
    if (this.#role === 'leader') this.#post(message);
  }

  #lastPosted: ConnectionState | null = null;

  /** The leader: post the connection's state when it changed (or always, with `force`). */
  #publishState(force = false): void {
    if (this.#role !== 'leader' || !this.#inner) return;
    const state = connectionState(this.#inner.getSnapshot());
    if (!force && this.#lastPosted && !stateChanged(this.#lastPosted, state)) return;
    this.#lastPosted = state;
    this.#post({ t: 'state', leader: this.#tab, epoch: this.#epoch, active: this.#active, state });
  }

  #receive(message: LinkMessage): void {
    if (this.#disposed) return;
    if ('leader' in message) this.#fromLeader(message);
    else if (this.#role === 'leader') this.#fromTab(message);
  }

  /** The leader: what a follower asks. */
  #fromTab(message: TabMessage): void {
    const inner = this.#inner as WebSocketClient<In, Out>;
    switch (message.t) {
      case 'hello':
        return this.#publishState(true);
      case 'use':
        if (message.on) this.#users.add(message.tab);
        else this.#users.delete(message.tab);
        return this.#syncUse();
      case 'bye':
        this.#users.delete(message.tab);
        return this.#syncUse();
      case 'call':
        if (message.method === 'close') {
          this.#active = false;
          void inner.close(message.code, message.reason);
        } else {
          this.#active = true;
          inner[message.method]();
        }
        return;
      case 'send':
        return this.#sendFor(message);
    }
  }

  /** The leader: a follower's send goes out on the connection it was posted for, else waits for the next. */
  #sendFor(message: Extract<TabMessage, { t: 'send' }>): void {
    if (message.to !== this.#tab) return;
    const inner = this.#inner as WebSocketClient<In, Out>;
    let result: SendResult | 'wait' = 'wait';
    let error: PostedError | undefined;
    if (message.epoch === this.#epoch && inner.getSnapshot().readyState === 1) {
      this.#routing = { tab: message.tab };
      result = inner.send(message.data);
      error = this.#routing.error;
      this.#routing = null;
    }
    this.#post({ t: 'ack', leader: this.#tab, to: message.tab, id: message.id, result, ...(error && { error }) });
  }

  /** A follower: what the leader says. A leader that hears another one was replaced, and follows. */
  #fromLeader(message: LeaderMessage): void {
    // A leader learns that it was replaced from its lock (taken from it), not from a message: a
    // deposed leader that wakes up may still talk for a moment before it knows.
    if (this.#role !== 'follower') return;
    if (message.leader !== this.#leader) {
      // A new leader (or the first this tab hears): it wants to hear who uses the connection, and
      // gets what the last one did not answer. Its state follows; until then, nothing is posted.
      if (message.t !== 'state' && message.t !== 'beat') return;
      this.#leader = message.leader;
      this.#epoch = null;
      this.#outbox.rewindAll();
      if (this.#refs > 0) this.#post({ t: 'use', tab: this.#tab, on: true });
      if (message.t === 'beat') this.#post({ t: 'hello', tab: this.#tab });
    }
    this.#lastWord = Date.now();
    switch (message.t) {
      case 'state':
        return this.#followState(message);
      case 'frame': {
        const decoded = decodeFrame<In>(message.raw, this.#options.parse, this.#options.validate);
        return decoded.ok ? this.#deliver(decoded.value, message.raw) : this.#report(decoded.error);
      }
      case 'open':
        return this.#emitEvent('open', message.info);
      case 'close':
        this.#emitEvent('close', message.info);
        for (const resolve of this.#closeWaiters.splice(0)) resolve(message.info);
        return;
      case 'error':
        return this.#report(createWebSocketError(message.error.kind, message.error.message, { timestamp: message.error.timestamp }));
      case 'ack':
        if (message.to === this.#tab) this.#answered(message);
        return;
    }
  }

  #followState(message: Extract<LeaderMessage, { t: 'state' }>): void {
    const { state } = message;
    this.#active = message.active;
    this.#leaderQueued = state.queued;
    // Open clears the error, as the core's snapshot does.
    const cleared = state.readyState === 1 && this.#snapshot.readyState !== 1;
    this.#update({ ...state, queued: state.queued + this.#outbox.size, ...(cleared && { error: null }) });
    this.#epoch = state.readyState === 1 ? message.epoch : null;
    if (this.#epoch) this.#postWaiting();
    if (state.readyState === 3) for (const resolve of this.#closeWaiters.splice(0)) resolve(state.closeInfo ?? createCloseInfo(1005));
  }

  /** Post the sends that wait, for the open connection. */
  #postWaiting(): void {
    const epoch = this.#epoch;
    const leader = this.#leader;
    if (!epoch || !leader) return;
    for (const item of this.#outbox.post(epoch)) {
      this.#post({ t: 'send', tab: this.#tab, to: leader, id: item.id, epoch, data: item.data });
    }
  }

  #answered(message: Extract<LeaderMessage, { t: 'ack' }>): void {
    if (message.result === 'wait') {
      this.#outbox.rewind(message.id);
      // Open again meanwhile: post them for the new connection.
      this.#postWaiting();
      return;
    }
    const item = this.#outbox.settle(message.id);
    this.#updateQueued();
    const { error } = message;
    if (error) this.#report(createWebSocketError(error.kind, error.message, { data: item?.data, timestamp: error.timestamp }));
  }
}
