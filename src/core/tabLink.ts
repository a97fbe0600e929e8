import type { CloseInfo } from './CloseInfo.js';
import type { IncomingData, OpenInfo, OutgoingData, SendResult, WebSocketSnapshot } from './types.js';
import type { WebSocketErrorKind } from './WebSocketError.js';

// The messages the tabs of one shared connection exchange over their BroadcastChannel, and how a
// tab finds the two browser APIs it needs. Every message from the leader names it (`leader`), so
// that a tab ignores a deposed leader that wakes up and talks before it learns it was replaced.

/** The fields of the snapshot that are the connection's, the same in every tab. */
export const CONNECTION_FIELDS = [
  'readyState',
  'url',
  'protocol',
  'extensions',
  'bufferedAmount',
  'queued',
  'closeInfo',
  'reconnectAttempt',
  'nextReconnectAt',
  'online',
] as const;

/** The connection's part of a snapshot, as the leader posts it. */
export type ConnectionState = Pick<WebSocketSnapshot, (typeof CONNECTION_FIELDS)[number]>;

/** An error as it crosses to another tab: what structured clone keeps of it for sure. */
export interface PostedError {
  readonly kind: WebSocketErrorKind;
  readonly message: string;
  readonly timestamp: number;
}

/**
 * From the leader, to every tab. `epoch` names the open connection (null while none is open);
 * `term` counts the leaders so far: a tab that took the lead after another has a greater one.
 */
export type LeaderMessage =
  | { t: 'state'; leader: string; term: number; epoch: string | null; active: boolean; state: ConnectionState }
  | { t: 'beat'; leader: string; term: number }
  | { t: 'frames'; leader: string; frames: IncomingData[] }
  | { t: 'open'; leader: string; info: OpenInfo }
  | { t: 'close'; leader: string; info: CloseInfo }
  | { t: 'error'; leader: string; error: PostedError }
  | { t: 'ack'; leader: string; to: string; id: number; result: SendResult | 'wait'; error?: PostedError }
  | { t: 'replay'; leader: string; to: string; frames: IncomingData[] };

/** From a tab, to the leader (`to`, when it names one: a send is for the leader it was posted to). */
export type TabMessage =
  | { t: 'hello'; tab: string; fresh: boolean }
  | { t: 'use'; tab: string; on: boolean }
  | { t: 'bye'; tab: string }
  | { t: 'send'; tab: string; to: string; id: number; epoch: string; data: OutgoingData }
  | { t: 'call'; tab: string; method: 'connect' | 'reconnect' | 'close'; code?: number; reason?: string };

export type LinkMessage = LeaderMessage | TabMessage;

/** What a tab shares with the others through: a channel and the lock manager. */
export interface TabLink {
  readonly channel: BroadcastChannel;
  readonly locks: LockManager;
}

/** The hosts `sharedTabs` takes, by default the page's own (the options of tests and other hosts). */
export interface TabLinkHosts {
  /** The lock manager. Default `navigator.locks`; null: none (each tab connects on its own). */
  locks?: LockManager | null;
  /** The channel class. Default the global `BroadcastChannel`; null: none (each tab connects on its own). */
  BroadcastChannel?: typeof BroadcastChannel | null;
}

/** Open the channel named `name`, or null where the host lacks Web Locks or BroadcastChannel. */
export function openTabLink(name: string, hosts: TabLinkHosts): TabLink | null {
  const scope = globalThis as { navigator?: { locks?: LockManager }; BroadcastChannel?: typeof BroadcastChannel };
  const locks = hosts.locks === undefined ? scope.navigator?.locks : hosts.locks;
  const Channel = hosts.BroadcastChannel === undefined ? scope.BroadcastChannel : hosts.BroadcastChannel;
  if (!locks || typeof locks.request !== 'function' || typeof Channel !== 'function') return null;
  try {
    return { channel: new Channel(`rwc-tabs:${name}`), locks };
  } catch {
    return null;
  }
}

/** A name for this tab that no other tab has. */
export function newTabId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The connection's part of `snapshot`. */
export function connectionState(snapshot: WebSocketSnapshot<unknown>): ConnectionState {
  const state: Partial<Record<keyof ConnectionState, unknown>> = {};
  for (const key of CONNECTION_FIELDS) state[key] = snapshot[key];
  return state as ConnectionState;
}

/** Whether two connection states differ in any field. */
export function stateChanged(a: ConnectionState, b: ConnectionState): boolean {
  return CONNECTION_FIELDS.some((key) => !Object.is(a[key], b[key]));
}
