import { assertValidCloseArguments } from './closeCodes.js';
import type { CloseInfo } from './CloseInfo.js';
import { decodeFrame } from './decodeFrame.js';
import { Subscribable, callSafely, type Unsubscribe } from './Subscribable.js';
import type { SharedSnapshot, SharedTabsOptions } from './SharedTabsOptions.js';
import { newTabId, openTabLink, type LinkMessage, type TabLink } from './tabLink.js';
import { TabFollower, type TabHost } from './TabFollower.js';
import { TabLeader } from './TabLeader.js';
import { TabLock } from './TabLock.js';
import type { IncomingData, OutgoingData, SendResult, SnapshotListener, WebSocketClientEvents, WebSocketClientOptions } from './types.js';
import { createInitialSnapshot, type WebSocketClient } from './WebSocketClient.js';
import { createWebSocketError, describeCause, type WebSocketError } from './WebSocketError.js';

type EventSets<In> = { [K in keyof WebSocketClientEvents<In>]?: Set<WebSocketClientEvents<In>[K]> };

/** Whether leader `tab` of `term` came after leader `than` of `thanTerm` (a tie: two tabs stole at once). */
const later = (term: number, tab: string, thanTerm: number, than: string) => term > thanTerm || (term === thanTerm && tab > than);

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
  /** What this tab keeps and does while another leads (and keeps while it leads). */
  readonly #following: TabFollower<In>;
  #refs = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #disposed = false;

  /** What the leader, and the follower, do in this tab. */
  readonly #host: TabHost<In> = {
    state: (state, clearError) => this.#update({ ...state, ...(clearError && this.#snapshot.error !== null && { error: null }) }),
    message: (message, raw) => this.#deliver(message, raw),
    error: (error) => this.#report(error),
    open: (info) => this.#emitEvent('open', info),
    close: (info) => this.#emitEvent('close', info),
    refs: () => this.#refs,
    post: (message) => this.#post(message),
    frame: (raw) => this.#decode(raw),
    replayed: (frames) => this.replayed(frames),
    readyState: () => this.#snapshot.readyState,
  };

  constructor(options: WebSocketClientOptions<In>, share: SharedTabsOptions) {
    super();
    this.#options = { ...options };
    this.#share = share;
    this.#following = new TabFollower(this.#tab, this.#host, share);
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
    return this.#following.send(data, this.#options.maxQueue ?? 1000);
  };

  discardQueued = (filter?: (data: OutgoingData) => boolean): OutgoingData[] => {
    if (this.#leading) return this.#leading.client.discardQueued(filter);
    return this.#following.discardQueued(filter);
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
    return this.#following.close(code, reason);
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

  #use(on: boolean): void {
    if (this.#leading) return this.#leading.syncUse();
    this.#following.use(on);
  }

  #call(method: 'connect' | 'reconnect'): void {
    if (this.#disposed) return;
    if (this.#leading) {
      this.#leading.active = true;
      this.#leading.client[method]();
    } else this.#following.call(method);
  }

  // ---- leadership -------------------------------------------------------------------------------

  /** This tab got the leader's lock: it connects, and sends what waited in its outbox. */
  #lead(): void {
    const following = this.#following;
    const waiting = following.drain();
    const leading = new TabLeader<In, Out>(
      this.#tab,
      ++following.term,
      this.#options,
      this.#host,
      (message) => this.#post(message),
      following.active,
      this.#share.replay,
    );
    this.#leading = leading;
    following.led();
    for (const data of waiting) leading.client.send(data);
    leading.start();
    void this.#findTabs(leading);
  }

  /** Stop leading (the lock was taken, or the page freezes): keep what the socket had not sent. */
  #follow(requeue: boolean): void {
    const leading = this.#leading;
    if (!leading) return;
    this.#leading = null;
    this.#following.follow(leading);
    this.#lock?.release();
    if (requeue) this.#lock?.request(false);
  }

  /** A page the browser freezes runs nothing more: it hands the connection over first, and stops waiting in line. */
  #onFreeze = (): void => {
    this.#follow(false);
    this.#lock?.release();
  };

  #onResume = (): void => {
    if (this.#leading) return;
    this.#following.resumed();
    this.#lock?.request(false);
    this.#post({ t: 'hello', tab: this.#tab, fresh: false });
  };

  #tick(): void {
    const leading = this.#leading;
    if (leading) {
      leading.beat();
      if (leading.hasTabs) void this.#findTabs(leading);
    } else if (this.#following.silent()) this.#lock?.request(true);
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
    if (!this.#leading) this.#following.receive(message);
  }
}
