'use client';

import { useEffect, useMemo, type ReactNode } from 'react';
import {
  ChatStore,
  createTimeFormat,
  defaultChatStrings,
  type ChatConnection,
  type ChatEdits,
  type ChatHistory,
  type ChatOutbox,
  type ChatStrings,
  type ChatTyping,
  type Scheduler,
  type TimeFormat,
  type TypingState,
} from '../chat/index.js';
import {
  autoReconnect,
  type ClientFeature,
  type NetworkMonitor,
  type ReconnectOptions,
  type WebSocketClient,
  type WebSocketConstructor,
  type WebSocketError,
} from '../core/index.js';
import type { ClientPacket } from '../protocol/index.js';
import { createStrictContext } from '../react/createContext.js';
import { useShallowStable } from '../react/useShallowStable.js';
import { useStoreSelector } from '../react/useStoreSelector.js';
import { useWebSocketClient, type WebSocketUrl } from '../react/useWebSocketClient.js';
import type { ChatShare } from './sharedChat.js';

/** What `<ChatProvider>` gives the components below it. */
export interface ChatContextValue {
  /** The connection (null when `url` is null). */
  readonly client: WebSocketClient<unknown, ClientPacket> | null;
  /** The chat state over it. */
  readonly store: ChatStore;
  readonly strings: ChatStrings;
  readonly timeFormat: TimeFormat;
  /** Who is typing and the user's own typing, with `<ChatProvider typing>`; else undefined. */
  readonly typing: TypingState | undefined;
  /** The `avatars` prop: draws avatars in the log and the user list (undefined: none). */
  readonly avatars?: AvatarRenderer | null;
}

/**
 * Draws the avatar of a user (null: one without a name yet), as `avatars()` does: what
 * `<ChatProvider avatars>` takes. It is decorative (`aria-hidden`): the name is read beside it.
 */
export type AvatarRenderer = (name: string | null) => ReactNode;

const [ChatContextProvider, useChatContextValue] = createStrictContext<ChatContextValue>('ChatProvider');

/** Read the nearest `<ChatProvider>`; throws an error naming it when there is none. */
export function useChatContext(consumerName = 'useChatContext'): ChatContextValue {
  return useChatContextValue(consumerName);
}

/** Props of {@link ChatProvider}. */
export interface ChatProviderProps {
  /** The chat server (`ws:`, `wss:`, or relative to the page); null for not connected. */
  url: WebSocketUrl;
  /** The name to ask the server for. Changing it asks again. */
  username: string;
  /** Sub-protocols to offer. Default `'json'`, as MDN's server expects. */
  protocols?: string | readonly string[];
  /** Locale of times (BCP 47). Default: the host's. */
  locale?: string;
  /** Replace any of the user-visible strings. */
  strings?: Partial<ChatStrings>;
  /** Reconnect after the connection is lost: true, or `autoReconnect`'s options (see the core). Default on. */
  reconnect?: boolean | ReconnectOptions;
  /**
   * Ping when quiet and drop a dead connection: the core's feature value, `heartbeat({ ... })`
   * (imported from `react-ws-chat` or `react-ws-chat/core`), as `useWebSocket` takes it, so that
   * the heartbeat's code is bundled only by applications that use it. `false` or `null` (the
   * default): none. A new value from `heartbeat()` on every render is fine: the client only takes
   * its options.
   *
   * It pings only while the connection's server announced the kit's protocol extension (`ext` in
   * `id`, see `ChatState.server`), which answers the `ping` text frame with `pong` (the client's
   * `pings` option). Before the first `id`, and against a server without it (MDN's sample server,
   * which crashes on a frame that is not JSON and relays every JSON object to everyone), the chat
   * never pings: there the heartbeat sends nothing, and a dead link is only noticed when the browser
   * notices it.
   *
   * `liveness({ ... })` (same import) is a heartbeat that also checks at once when the page is shown
   * again, the browser is back online or the device wakes, and renews expired credentials (close
   * 4401, `refresh`); the same rule applies to its pings and checks, but it renews credentials from
   * the first connection on (a token already stale at page load: 4401 before any `id`). It is not on
   * by default: that would bundle its code (about 1 kB gzipped) into every chat.
   */
  heartbeat?: ClientFeature | false | null;
  /**
   * The room's history (protocol extension): `chatHistory()` (from `react-ws-chat`), so that its
   * code is bundled only by applications that use it. With it, the chat asks a server that keeps
   * history for the recent messages on joining and for what it missed after a reconnect, shows each
   * once and in order, marks where some may be missing, and loads older pages (`state.history.loadOlder()`).
   * Read when the connection's store is made (a new value on every render is fine). Default: none.
   */
  history?: ChatHistory | null;
  /**
   * The typing indicator (protocol extension): `typingIndicator()` (from `react-ws-chat`), so that
   * its code is bundled only by applications that use it. With it, `<MessageInput>` tells a server
   * that announced `typing` when the user types (throttled) and stops, and `<TypingIndicator>` /
   * `useTyping()` show who else is typing. Against a server without it (MDN's) nothing is sent.
   * Read when the connection's store is made (a new value on every render is fine). Default: none.
   */
  typing?: ChatTyping | null;
  /**
   * A durable outbox: `persistentOutbox()` (from `react-ws-chat`), so that its code is bundled only
   * by applications that use it. With it, own messages not yet echoed are kept in IndexedDB (per
   * chat URL and user name), come back as pending after a reload or a crash, and are sent again
   * (same nonce); those not delivered within its `failAfter` show as failed, with Retry and
   * Discard. Read when the connection's store is made. Default: none (nothing touches storage).
   */
  persist?: ChatOutbox | null;
  /**
   * Editing and deleting own messages (protocol extension): `messageEdits()` (from `react-ws-chat`),
   * so that its code is bundled only by applications that use it. With it, `state.edits` (`useChat()`)
   * edits and deletes the user's own messages against a server that announced `edits`, and the
   * others' edits and deletes show in the log; `<ChatBox renderText={messageActions()}>` gives the
   * rows their buttons. Against a server without it (MDN's) nothing is sent or offered. Read when the
   * connection's store is made (a new value on every render is fine). Default: none.
   */
  edits?: ChatEdits | null;
  /**
   * Avatars beside the names, in the log (on the first row of each group of others' messages, not
   * in rows drawn by `ChatBox`'s `renderEntry`) and
   * in the user list: `avatars()` (from `react-ws-chat`: initials on a colour of the name's, an
   * image if you give one, presence), or your own function. Opt-in, so that their code is bundled
   * only by applications that use them. Make it once (at module level or in a `useMemo`): a new
   * function re-renders every row. Default: none.
   */
  avatars?: AvatarRenderer | null;
  /**
   * One connection for all the tabs of the origin, which are one user (one name, one entry in the
   * user list, one sign-in): `sharedChat({ name })` (from `react-ws-chat`), so that its code is
   * bundled only by applications that use it. Make it once (at module level). Default: none, each
   * tab has its own connection.
   */
  share?: ChatShare | null;
  /** The longest the log may grow. Default 5000. */
  maxEntries?: number;
  /** The most own messages that may wait for the server's echo; past it a send is refused (`'overflow'`). Default 500. */
  maxUnconfirmed?: number;
  /** Called with every error of the connection (packet errors show in the chat state). */
  onError?: (error: WebSocketError) => void;
  /** The WebSocket implementation (tests, Node). Default: the global one. */
  WebSocket?: WebSocketConstructor;
  /** Base of a relative `url`. Default: the page. */
  baseUrl?: string;
  /** Where online/offline comes from; see the core's `network` option. Default: the browser's. */
  network?: NetworkMonitor;
  /** When the chat state publishes changes. Default: `createFrameScheduler()`: on an animation frame, at most every 50 ms. */
  schedule?: Scheduler;
  children?: ReactNode;
}

/**
 * One chat connection for everything below: `<ChatBox>`, `<UserList>`, `<MessageInput>`,
 * `<ConnectionStatus>`, and the headless hooks (`useChat`, `useChatEntries`, ...).
 *
 * @example
 * ```tsx
 * <ChatProvider url="wss://chat.example.com" username="ada">
 *   <ConnectionStatus />
 *   <ChatBox />
 *   <UserList />
 *   <MessageInput />
 * </ChatProvider>
 * ```
 */
export function ChatProvider({
  url,
  username,
  protocols = 'json',
  locale,
  strings,
  reconnect = true,
  heartbeat,
  history,
  typing: typingOption,
  persist,
  edits,
  avatars,
  share,
  maxEntries,
  maxUnconfirmed,
  onError,
  WebSocket,
  baseUrl,
  network,
  schedule,
  children,
}: ChatProviderProps) {
  // The share's hook or the kit's: the same one on every render (a share is made once).
  const client = (share?.useClient ?? useWebSocketClient<unknown, ClientPacket>)(url, {
    protocols,
    // A new feature value on each render is fine: the client keeps one with equal options.
    reconnect: reconnect && autoReconnect(reconnect === true ? {} : reconnect),
    onError,
    WebSocket,
    baseUrl,
    network,
  });
  // One store per connection; without one (url null) a detached store keeps the UI's shape.
  // With typing, the store reads the connection through it, without the typing frames.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store lives as long as its connection; the name and limits apply through effects
  const [store, typing] = useMemo(() => {
    const connection = client ?? DETACHED;
    const typing = typingOption?.attach(connection);
    return [
      new ChatStore(typing ?? connection, { username, maxEntries, maxUnconfirmed, schedule, history, persist, edits }),
      typing,
    ] as const;
  }, [client]);
  useEffect(() => (client ? store.attach() : undefined), [client, store]);
  // The heartbeat from the first connection on (liveness renews credentials even before the first
  // `id`), pinging only while the server answers pings: it announced the extension (see the prop).
  // (Not passed to useWebSocketClient, whose options would take it back on every render.)
  const pongs = useStoreSelector(store, (state) => state.server !== null);
  useEffect(() => client?.setOptions({ heartbeat, pings: pongs }));
  useEffect(() => store.setUsername(username), [store, username]);

  // Compared by content, so that an inline `strings={{ ... }}` does not re-render every consumer.
  const stableStrings = useShallowStable(strings);
  const mergedStrings = useMemo(() => ({ ...defaultChatStrings, ...stableStrings }), [stableStrings]);
  const timeFormat = useMemo(() => createTimeFormat(locale), [locale]);
  const value = useMemo<ChatContextValue>(
    () => ({ client, store, strings: mergedStrings, timeFormat, typing, avatars }),
    [client, store, mergedStrings, timeFormat, typing, avatars],
  );
  return <ChatContextProvider value={value}>{children}</ChatContextProvider>;
}

/** Stands in for a connection when `url` is null: sends nothing, emits nothing. */
const DETACHED: ChatConnection = {
  on: () => () => {},
  sendJson: () => 'rejected',
};
