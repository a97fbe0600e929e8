import { assertValidCloseArguments } from './closeCodes.js';
import { createCloseInfo, type CloseInfo } from './CloseInfo.js';
import { decodeFrame } from './decodeFrame.js';
import { Subscribable, callSafely, type Unsubscribe } from './Subscribable.js';
import type { SharedSnapshot, SharedTabsOptions } from './SharedTabsOptions.js';
import { newTabId, openTabLink, type LeaderMessage, type LinkMessage, type TabLink } from './tabLink.js';
import { TabLeader, type LeaderHost } from './TabLeader.js';
import { TabLock } from './TabLock.js';
import { TabOutbox } from './TabOutbox.js';
import type { IncomingData, OutgoingData, SendResult, SnapshotListener, WebSocketClientEvents, WebSocketClientOptions } from './types.js';
import { createInitialSnapshot, type WebSocketClient } from './WebSocketClient.js';
import { createWebSocketError, describeCause, type WebSocketError } from './WebSocketError.js';

type EventSets<In> = { [K in keyof WebSocketClientEvents<In>]?: Set<WebSocketClientEvents<In>[K]> };
type Ack = Extract<LeaderMessage, { t: 'ack' }>;

/** Whether leader `tab` of `term` came after leader `than` of `thanTerm` (a tie: two tabs stole at once). */
const later = (term: number, tab: string, thanTerm: number, than: string) => term > thanTerm || (term === thanTerm && tab > than);

/** How long a silent leader has to answer a follower's question before the follower takes its place, in ms. */
const PROBE_WINDOW = 500;

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
 * reconnect, heartbeat); `parse` and `validate` are each tab's own. `close()` closes the one
 * connection for every tab; `acquire()` and its release count this tab's use. Made by {@link sharedTabs}.
 */
export class SharedWebSocketClient<In = unknown, Out = unknown>
  extends Subscribable<SnapshotListener<In>>
  implements WebSocketClient<In, Out>
{
  readonly #tab = newTabId();
  readonly #share: SharedTabsOptions;
  readonly #link: TabLink | null;
  readonly #lock: TabLock | null = null;
  #options: WebSocketClientOptions<In>;
  #snapshot: SharedSnapshot<In>;
  #events: EventSets<In> = {};
  /** The real client's holder: this tab leads (or sharing is off). */
  #leading: TabLeader<In, Out> | null = null;
  #refs = 0;
  /** A follower: whether the connection is wanted, as the leader last said (a new leader connects if so). */
  #active = false;
  /** A follower: the leader, the open connection it posts for (null: none open), the leader's queue. */
  #leader: string | null = null;
  #epoch: string | null = null;
  #leaderQueued = 0;
  /** The greatest leader's term this tab heard of. */
  #term = 0;
  /** A follower: its sends the leader has not answered. */
  readonly #outbox = new TabOutbox();
  #lastWord = Date.now();
  /** When this tab last asked a silent leader whether it is there (0: never). */
  #probedAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closeWaiters: ((info: CloseInfo) => void)[] = [];
  /** A follower's `close()` that no leader answered yet: posted again to the next leader. */
  #closing: { code?: number; reason?: string } | null = null;
  #disposed = false;
  #replayAsked = false;
  /** A follower waits for its replay (see `replay`): the frames before it are not passed on. */
  #awaitingReplay = false;

  /** What the leader does in this tab. */
  readonly #host: LeaderHost<In> = {
    state: (state, clearError) => this.#update({ ...state, ...(clearError && this.#snapshot.error !== null && { error: null }) }),
    message: (message, raw) => this.#deliver(message, raw),
    error: (error) => this.#report(error),
    open: (info) => this.#emitEvent('open', info),
    close: (info) => this.#emitEvent('close', info),
    refs: () => this.#refs,
  };

  constructor(options: WebSocketClientOptions<In>, share: SharedTabsOptions) {
    super();
    this.#options = { ...options };
    this.#share = share;
    this.#link = openTabLink(share.name, share);
    this.#snapshot = Object.freeze({ ...createInitialSnapshot<In>(0), shared: this.#link ? 'follower' : 'off' });
    if (!this.#link) {
      this.#leading = new TabLeader(this.#tab, 0, this.#options, this.#host, null, false, undefined);
      return;
    }
    this.#link.channel.onmessage = (event: MessageEvent<LinkMessage>) => this.#receive(event.data);
    this.#lock = new TabLock(this.#link.locks, share.name, this.#tab, { lead: () => this.#lead(), deposed: () => this.#follow(true) });
    this.#lock.request(false);
    this.#post({ t: 'hello', tab: this.#tab, fresh: false });
    this.#timer = setInterval(() => this.#tick(), share.beatInterval ?? 250);
    const doc = (globalThis as { document?: Document }).document;
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
    this.#leading?.client.setOptions(patch);
  };

  setBinaryType = (binaryType: BinaryType): void => this.setOptions({ binaryType });

  connect = (): void => this.#call('connect');

  reconnect = (): void => this.#call('reconnect');

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
    if (this.#leading) return this.#leading.client.send(data);
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
    if (this.#leading) return this.#leading.client.discardQueued(filter);
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
    if (this.#leading) {
      this.#leading.active = false;
      return this.#leading.client.close(code, reason);
    }
    this.#active = false;
    if (this.#snapshot.readyState === 3) return Promise.resolve(createCloseInfo(code ?? 1005, reason, true));
    this.#closing = { code, reason };
    this.#post({ t: 'call', tab: this.#tab, method: 'close', code, reason });
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  };

  /** Leave: a leader closes its socket and another tab takes over; the client is done. */
  dispose = (): void => {
    if (this.#disposed) return;
    this.#disposed = true;
    clearInterval(this.#timer);
    const doc = (globalThis as { document?: Document }).document;
    doc?.removeEventListener('freeze', this.#onFreeze);
    doc?.removeEventListener('resume', this.#onResume);
    if (this.#leading) this.#leading.dispose();
    else this.#post({ t: 'bye', tab: this.#tab });
    this.#leading = null;
    this.#lock?.dispose();
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

  /** A follower: a frame the leader passed on, decoded as this tab's options say. */
  #decode(raw: IncomingData): void {
    const decoded = decodeFrame<In>(raw, this.#options.parse, this.#options.validate);
    if (decoded.ok) this.#deliver(decoded.value, raw);
    else this.#report(decoded.error);
  }

  /**
   * Give this tab's listeners a message as if it had arrived (for a wrapper that answers a request
   * of its tab itself, such as the chat's catch-up a follower does not send).
   */
  protected inject(message: In, raw: IncomingData): void {
    this.#deliver(message, raw);
  }

  /**
   * A follower: the frames the leader gave for this tab to see first (`replay`); each is decoded and
   * passed on. A wrapper that knows what they are may take some of them itself.
   */
  protected replayed(frames: readonly IncomingData[]): void {
    for (const raw of frames) this.#decode(raw);
  }

  #deliver(message: In, raw: IncomingData): void {
    this.#update({ lastMessage: message, messageCount: this.#snapshot.messageCount + 1 });
    this.#emitEvent('message', message, raw);
  }

  /** A follower: the leader's outbox and this tab's sends not answered yet. */
  #updateQueued(): void {
    if (!this.#leading) this.#update({ queued: this.#leaderQueued + this.#outbox.size });
  }

  #use(on: boolean): void {
    if (this.#leading) return this.#leading.syncUse();
    this.#post({ t: 'use', tab: this.#tab, on });
    this.#askReplay();
  }

  /**
   * A follower that starts using the connection gets what a new tab must see first (`replay`):
   * asked once, when used rather than when made, so that the listeners are there.
   */
  #askReplay(): void {
    if (this.#replayAsked || !this.#share.replay) return;
    this.#replayAsked = this.#awaitingReplay = true;
    this.#post({ t: 'hello', tab: this.#tab, fresh: true });
  }

  #call(method: 'connect' | 'reconnect'): void {
    if (this.#disposed) return;
    if (this.#leading) {
      this.#leading.active = true;
      this.#leading.client[method]();
    } else {
      this.#active = true;
      this.#closing = null;
      this.#post({ t: 'call', tab: this.#tab, method });
      this.#askReplay();
    }
  }

  // ---- leadership -------------------------------------------------------------------------------

  /** This tab got the leader's lock: it connects, and sends what waited in its outbox. */
  #lead(): void {
    const waiting = this.#outbox.drain();
    this.#term++;
    const leading = new TabLeader<In, Out>(
      this.#tab,
      this.#term,
      this.#options,
      this.#host,
      (message) => this.#post(message),
      this.#active,
      this.#share.replay,
    );
    this.#leading = leading;
    this.#leader = this.#tab;
    this.#epoch = null;
    // This tab's own connection now: nothing to wait for; a close asked of the last leader is done
    // (its connection went with it; this one is not wanted: `#active` is false).
    this.#awaitingReplay = false;
    this.#closed(createCloseInfo(1006));
    this.#update({ shared: 'leader' });
    for (const data of waiting) leading.client.send(data);
    leading.start();
    void this.#findTabs(leading);
  }

  /** Stop leading (the lock was taken, or the page freezes): keep what the socket had not sent. */
  #follow(requeue: boolean): void {
    const leading = this.#leading;
    if (!leading) return;
    this.#leading = null;
    this.#active = leading.active;
    for (const data of leading.dispose()) this.#outbox.add(data);
    this.#lock?.release();
    this.#leader = null;
    this.#lastWord = Date.now();
    this.#update({ shared: 'follower' });
    this.#updateQueued();
    if (requeue) this.#lock?.request(false);
  }

  /** A page the browser freezes runs nothing more: it hands the connection over first, and stops waiting in line. */
  #onFreeze = (): void => {
    this.#follow(false);
    this.#lock?.release();
  };

  #onResume = (): void => {
    this.#lastWord = Date.now();
    if (this.#leading) return;
    this.#lock?.request(false);
    this.#post({ t: 'hello', tab: this.#tab, fresh: false });
  };

  #tick(): void {
    const leading = this.#leading;
    if (leading) {
      leading.beat();
      if (leading.hasTabs) void this.#findTabs(leading);
    } else if (Date.now() - this.#lastWord > (this.#share.takeoverAfter ?? 1000)) {
      // The leader is silent. A hidden tab's timers may only be throttled (its beats then come once a
      // second, or once a minute in Chrome after minutes hidden) while its messages are not: ask it
      // (a `hello` is answered with its state at once), and take its place only if it does not answer
      // either within PROBE_WINDOW (hung, or frozen without warning).
      if (this.#probedAt <= this.#lastWord) {
        this.#probedAt = Date.now();
        this.#post({ t: 'hello', tab: this.#tab, fresh: false });
      } else if (Date.now() - this.#probedAt > PROBE_WINDOW) {
        // A close it did not answer resolves now (whether or not the lock comes: its connection is
        // as good as lost), and is still asked of the next leader.
        this.#lastWord = Date.now();
        this.#closed(createCloseInfo(1006), false);
        this.#lock?.request(true);
      }
    }
  }

  /** Tell the leader which tabs are alive (their presence lock held): those there before it led, those gone without `bye`. */
  async #findTabs(leading: TabLeader<In, Out>): Promise<void> {
    const present = await this.#lock?.presentTabs();
    if (present && this.#leading === leading) leading.present(present);
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

  #receive(message: LinkMessage): void {
    if (this.#disposed) return;
    if (!('leader' in message)) return this.#leading?.receive(message);
    // A leader that hung while another took its lock hears the new one (a later term) before its
    // lock tells it: it follows at once, and misses nothing the new one posts. A deposed leader
    // that wakes up and talks before it knows has an earlier term: ignored.
    const leading = this.#leading;
    if (leading && 'term' in message && later(message.term, message.leader, leading.term, this.#tab)) this.#follow(true);
    if (!this.#leading) this.#fromLeader(message);
  }

  /** A follower: what the leader says. */
  #fromLeader(message: LeaderMessage): void {
    if (message.leader !== this.#leader) {
      // A new leader (or the first this tab hears): it wants to hear who uses the connection, and
      // gets what the last one did not answer. Its state follows; until then, nothing is posted.
      if (message.t !== 'state' && message.t !== 'beat') return;
      if (this.#leader && message.term < this.#term) return;
      this.#term = Math.max(this.#term, message.term);
      this.#leader = message.leader;
      this.#epoch = null;
      this.#outbox.rewindAll();
      if (this.#refs > 0) this.#post({ t: 'use', tab: this.#tab, on: true });
      // Heard of by the leader (which passes frames on only to tabs it heard of), and its state
      // asked for; the replay too, if the last leader went before giving it.
      this.#post({ t: 'hello', tab: this.#tab, fresh: this.#awaitingReplay });
      // A close the last leader did not answer: this one closes instead.
      if (this.#closing) this.#post({ t: 'call', tab: this.#tab, method: 'close', ...this.#closing });
    }
    this.#lastWord = Date.now();
    switch (message.t) {
      case 'state':
        return this.#followState(message);
      case 'frames':
        // Those before the replay: it stands for them.
        if (!this.#awaitingReplay) for (const raw of message.frames) this.#decode(raw);
        return;
      case 'replay':
        // One only: a tab that asked before it heard of the leader asked again when it did.
        if (message.to !== this.#tab || !this.#awaitingReplay) return;
        this.#awaitingReplay = false;
        return this.replayed(message.frames);
      case 'open':
        return this.#emitEvent('open', message.info);
      case 'close':
        this.#emitEvent('close', message.info);
        return this.#closed(message.info);
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
    this.#postWaiting();
    // Closed with no socket to close (between retries): no close event comes.
    if (state.readyState === 3) this.#closed(state.closeInfo ?? createCloseInfo(1005));
  }

  /** The connection a follower's `close()` was for ended (`info`): its promises resolve; `done`: nothing more to ask. */
  #closed(info: CloseInfo, done = true): void {
    if (done) this.#closing = null;
    for (const resolve of this.#closeWaiters.splice(0)) resolve(info);
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

  #answered(message: Ack): void {
    if (message.result === 'wait') {
      this.#outbox.rewind(message.id);
      // Open again meanwhile: post them for the new connection.
      return this.#postWaiting();
    }
    const item = this.#outbox.settle(message.id);
    this.#updateQueued();
    const { error } = message;
    if (error) this.#report(createWebSocketError(error.kind, error.message, { data: item?.data, timestamp: error.timestamp }));
  }
}
