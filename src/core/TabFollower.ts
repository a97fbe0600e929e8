import { createCloseInfo, type CloseInfo } from './CloseInfo.js';
import type { SharedTabsOptions } from './SharedTabsOptions.js';
import type { LeaderMessage, LinkMessage } from './tabLink.js';
import type { LeaderHost, TabLeader } from './TabLeader.js';
import { TabOutbox } from './TabOutbox.js';
import type { IncomingData, OutgoingData, SendResult } from './types.js';
import { createWebSocketError } from './WebSocketError.js';

/** How long a silent leader has to answer a follower's question before the follower takes its place, in ms. */
const PROBE_WINDOW = 500;

/** What a follower does in the tab it runs in: what a leader does there, and more. */
export interface TabHost<In> extends LeaderHost<In> {
  /** Post to the other tabs. */
  post(message: LinkMessage): void;
  /** A frame the leader passed on: decoded as this tab's options say, and passed on. */
  frame(raw: IncomingData): void;
  /** The frames the leader gave for this tab to see first (`replay`). */
  replayed(frames: readonly IncomingData[]): void;
  /** This tab's ready state, as its snapshot says. */
  readyState(): number;
}

/**
 * The follower's side of a tab of a shared connection: it hears the leader (its state, frames and
 * events, told to this tab through `host`), posts this tab's sends for the open connection and keeps
 * them until the leader answers, asks the next leader what the last did not answer, and tells when
 * the leader went silent. One for the tab's life: it keeps its state while this tab leads.
 */
export class TabFollower<In> {
  /** Whether the connection is wanted, as the leader last said (a new leader connects if so). */
  active = false;
  /** The greatest leader's term this tab heard of. */
  term = 0;
  readonly #tab: string;
  readonly #host: TabHost<In>;
  readonly #share: SharedTabsOptions;
  /** The leader, the open connection it posts for (null: none open), the leader's queue. */
  #leader: string | null = null;
  #epoch: string | null = null;
  #leaderQueued = 0;
  /** This tab's sends the leader has not answered. */
  readonly #outbox = new TabOutbox();
  #lastWord = Date.now();
  /** When this tab last asked a silent leader whether it is there (0: never). */
  #probedAt = 0;
  #closeWaiters: ((info: CloseInfo) => void)[] = [];
  /** A `close()` that no leader answered yet: posted again to the next leader. */
  #closing: { code?: number; reason?: string } | null = null;
  #replayAsked = false;
  /** Waiting for the replay (see `replay`): the frames before it are not passed on. */
  #awaitingReplay = false;

  constructor(tab: string, host: TabHost<In>, share: SharedTabsOptions) {
    this.#tab = tab;
    this.#host = host;
    this.#share = share;
  }

  /** Send `data` through the leader: posted at once for the open connection, else kept until one opens. */
  send(data: OutgoingData, max: number): SendResult {
    if (this.#outbox.size >= max) {
      this.#host.error(createWebSocketError('overflow', `The outbox is full (${max} messages): message rejected.`, { data }));
      return 'rejected';
    }
    // Posted at once while the connection is open and nothing waits before it: the leader sends it.
    const sentNow = this.#epoch !== null && !this.#outbox.waiting;
    this.#outbox.add(data);
    if (sentNow) this.#postWaiting();
    this.#updateQueued();
    return sentNow ? 'sent' : 'queued';
  }

  discardQueued(filter?: (data: OutgoingData) => boolean): OutgoingData[] {
    const taken = this.#outbox.discard(filter);
    this.#updateQueued();
    return taken;
  }

  /** Ask the leader to close the one connection; resolves when it closed (or no leader answers). */
  close(code?: number, reason?: string): Promise<CloseInfo> {
    this.active = false;
    if (this.#host.readyState() === 3) return Promise.resolve(createCloseInfo(code ?? 1005, reason, true));
    this.#closing = { code, reason };
    this.#host.post({ t: 'call', tab: this.#tab, method: 'close', code, reason });
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  call(method: 'connect' | 'reconnect'): void {
    this.active = true;
    this.#closing = null;
    this.#host.post({ t: 'call', tab: this.#tab, method });
    this.#askReplay();
  }

  /** This tab starts (`on`) or stops using the connection. */
  use(on: boolean): void {
    this.#host.post({ t: 'use', tab: this.#tab, on });
    this.#askReplay();
  }

  /** This tab takes the lead: everything it kept to send, which it now sends itself. */
  drain(): OutgoingData[] {
    return this.#outbox.drain();
  }

  /**
   * This tab leads (its own connection now): nothing to wait for; a close asked of the last leader
   * is done (its connection went with it; this one is not wanted: `active` is false).
   */
  led(): void {
    this.#leader = this.#tab;
    this.#epoch = null;
    this.#awaitingReplay = false;
    this.#closed(createCloseInfo(1006));
    this.#host.state({ shared: 'leader' }, false);
  }

  /** This tab stops leading: it keeps what the socket had not sent, and waits to hear the next leader. */
  follow(leading: Pick<TabLeader<In, unknown>, 'active' | 'dispose'>): void {
    this.active = leading.active;
    for (const data of leading.dispose()) this.#outbox.add(data);
    this.#leader = null;
    this.#lastWord = Date.now();
    this.#host.state({ shared: 'follower' }, false);
    this.#updateQueued();
  }

  /** The page runs again (its timers were frozen): the leader's silence is counted from now. */
  resumed(): void {
    this.#lastWord = Date.now();
  }

  /** The leader's outbox and this tab's sends not answered yet. */
  #updateQueued(): void {
    this.#host.state({ queued: this.#leaderQueued + this.#outbox.size }, false);
  }

  /**
   * Whether to take the leader's place: silent for `takeoverAfter` ms, and it did not answer when asked.
   * A hidden tab's timers may only be throttled (its beats then come once a second, or once a
   * minute in Chrome after minutes hidden) while its messages are not: it is asked (a `hello` is
   * answered with its state at once), and replaced only if it does not answer either within
   * PROBE_WINDOW (hung, or frozen without warning).
   */
  silent(): boolean {
    if (Date.now() - this.#lastWord > (this.#share.takeoverAfter ?? 1000)) {
      if (this.#probedAt <= this.#lastWord) {
        this.#probedAt = Date.now();
        this.#host.post({ t: 'hello', tab: this.#tab, fresh: false });
      } else if (Date.now() - this.#probedAt > PROBE_WINDOW) {
        // A close it did not answer resolves now (whether or not the lock comes: its connection is
        // as good as lost), and is still asked of the next leader.
        this.#lastWord = Date.now();
        this.#closed(createCloseInfo(1006), false);
        return true;
      }
    }
    return false;
  }

  /** What the leader says. */
  receive(message: LeaderMessage): void {
    if (message.leader !== this.#leader) {
      // A new leader (or the first this tab hears): it wants to hear who uses the connection, and
      // gets what the last one did not answer. Its state follows; until then, nothing is posted.
      if (message.t !== 'state' && message.t !== 'beat') return;
      if (this.#leader && message.term < this.term) return;
      this.term = Math.max(this.term, message.term);
      this.#leader = message.leader;
      this.#epoch = null;
      this.#outbox.rewindAll();
      if (this.#host.refs() > 0) this.#host.post({ t: 'use', tab: this.#tab, on: true });
      // Heard of by the leader (which passes frames on only to tabs it heard of), and its state
      // asked for; the replay too, if the last leader went before giving it.
      this.#host.post({ t: 'hello', tab: this.#tab, fresh: this.#awaitingReplay });
      // A close the last leader did not answer: this one closes instead.
      if (this.#closing) this.#host.post({ t: 'call', tab: this.#tab, method: 'close', ...this.#closing });
    }
    this.#lastWord = Date.now();
    switch (message.t) {
      case 'state':
        return this.#followState(message);
      case 'frames':
        // Those before the replay: it stands for them.
        if (!this.#awaitingReplay) for (const raw of message.frames) this.#host.frame(raw);
        return;
      case 'replay':
        // One only: a tab that asked before it heard of the leader asked again when it did.
        if (message.to !== this.#tab || !this.#awaitingReplay) return;
        this.#awaitingReplay = false;
        return this.#host.replayed(message.frames);
      case 'open':
        return this.#host.open(message.info);
      case 'close':
        this.#host.close(message.info);
        return this.#closed(message.info);
      case 'error':
        return this.#host.error(createWebSocketError(message.error.kind, message.error.message, { timestamp: message.error.timestamp }));
      case 'ack':
        if (message.to === this.#tab) this.#answered(message);
        return;
    }
  }

  /**
   * A tab that starts using the connection gets what a new tab must see first (`replay`): asked
   * once, when used rather than when made, so that the listeners are there.
   */
  #askReplay(): void {
    if (this.#replayAsked || !this.#share.replay) return;
    this.#replayAsked = this.#awaitingReplay = true;
    this.#host.post({ t: 'hello', tab: this.#tab, fresh: true });
  }

  #followState(message: Extract<LeaderMessage, { t: 'state' }>): void {
    const { state } = message;
    this.active = message.active;
    this.#leaderQueued = state.queued;
    // Open clears the error, as the core's snapshot does.
    const opened = state.readyState === 1 && this.#host.readyState() !== 1;
    this.#host.state({ ...state, queued: state.queued + this.#outbox.size }, opened);
    this.#epoch = state.readyState === 1 ? message.epoch : null;
    this.#postWaiting();
    // Closed with no socket to close (between retries): no close event comes.
    if (state.readyState === 3) this.#closed(state.closeInfo ?? createCloseInfo(1005));
  }

  /** The connection a `close()` was for ended (`info`): its promises resolve; `done`: nothing more to ask. */
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
      this.#host.post({ t: 'send', tab: this.#tab, to: leader, id: item.id, epoch, data: item.data });
    }
  }

  #answered(message: Extract<LeaderMessage, { t: 'ack' }>): void {
    if (message.result === 'wait') {
      this.#outbox.rewind(message.id);
      // Open again meanwhile: post them for the new connection.
      return this.#postWaiting();
    }
    const item = this.#outbox.settle(message.id);
    this.#updateQueued();
    const { error } = message;
    if (error) this.#host.error(createWebSocketError(error.kind, error.message, { data: item?.data, timestamp: error.timestamp }));
  }
}
