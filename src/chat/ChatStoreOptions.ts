import type { WebSocketClient } from '../core/index.js';
import type { ClientPacket } from '../protocol/index.js';
import type { ChatOutbox } from './ChatOutbox.js';
import type { ChatState } from './ChatState.js';
import type { ChatHistory } from './chatHistory.js';
import type { ChatEdits } from './messageEdits.js';
import type { Scheduler } from './createFrameScheduler.js';

// What a ChatStore is made with and gives, apart from what it does (ChatStore.ts): the chat
// parts that wrap its connection (history, typing, the outbox) need only these.

/** Options of `ChatStore`. */
export interface ChatStoreOptions {
  /** The name to ask the server for. */
  username: string;
  /** The longest the log may grow; older entries are dropped first. Default 5000. */
  maxEntries?: number;
  /**
   * When to publish accumulated changes. Default: `createFrameScheduler()`, an animation frame (so
   * a burst renders at most once per frame), at most every 50 ms (so a stream leaves most frames to
   * the user's typing).
   */
  schedule?: Scheduler;
  /** The clock for outgoing `date` fields and for pacing frames to the server's rate. Default `Date.now`. */
  now?: () => number;
  /**
   * The most own messages that may wait for the server's echo. Past it, `send` refuses the text
   * with an `'overflow'` error (a server that stopped answering cannot make the page grow without
   * bound). Default 500.
   */
  maxUnconfirmed?: number;
  /**
   * The room's history (protocol extension): `chatHistory()`, so that a bundle without it carries
   * none of its code. Without it the store shows what arrives live, as MDN's protocol has it.
   */
  history?: ChatHistory | null;
  /**
   * A durable outbox: `persistentOutbox()`, so that a bundle without it carries none of its code.
   * It keeps the own messages the server has not echoed (in IndexedDB), puts those of a previous
   * page back in the log, and marks as `failed` what is not delivered in time. Without it nothing
   * touches storage and nothing fails.
   */
  persist?: ChatOutbox | null;
  /**
   * Editing and deleting own messages (protocol extension): `messageEdits()`, so that a bundle
   * without it carries none of its code. Against a server that does not announce it (MDN's) it sends
   * nothing and offers nothing (`state.edits.available` false).
   */
  edits?: ChatEdits | null;
}

/**
 * What the store needs of a connection: a {@link WebSocketClient} has it. `discardQueued`, when
 * there, lets the store drop its stale copies from the outbox when a connection ends: it sends its
 * own, in order, after the next sign-in (before it, the server would not know the sender's name).
 */
export type ChatConnection = Pick<WebSocketClient<unknown, ClientPacket>, 'on' | 'sendJson'> &
  Partial<Pick<WebSocketClient<unknown, ClientPacket>, 'discardQueued'>>;

/** Listener of a `ChatStore`. */
export type ChatListener = (state: ChatState) => void;
