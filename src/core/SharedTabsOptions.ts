import type { TabLinkHosts } from './tabLink.js';
import type { IncomingData, WebSocketSnapshot } from './types.js';

// The options and the snapshot of a shared client (SharedWebSocketClient.ts), apart from what it does.

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
   * How long the others wait without a word from the leader before one asks it whether it is there,
   * in ms; a leader that does not answer within a further 500 ms is replaced (a hung tab keeps its
   * lock: the lock is taken from it). Default 1000. A hidden leader whose timers are throttled (its
   * beats late) answers the question at once and stays. A leader that closes, crashes or is frozen
   * by the browser (after its `freeze` event) is replaced at once.
   */
  readonly takeoverAfter?: number;
  /**
   * What a tab that starts using the connection must see first (a chat's `id`, user list and log
   * so far): called in the leader when a tab asks (once, at its first `acquire()` or `connect()`),
   * it gives the frames that tab gets, before anything else. The frames the tab would have got
   * between asking and the answer are not passed on: the answer stands for them (the leader gives
   * it after every frame it passed on before). None (the default): a tab sees the frames from when
   * it joins.
   */
  readonly replay?: () => readonly IncomingData[];
}
