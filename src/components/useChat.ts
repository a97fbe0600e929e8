'use client';

import { useCallback, useMemo } from 'react';
import type { ChatEntry, ChatMessageEntry, ChatState, ChatStrings, TimeFormat } from '../chat/index.js';
import { useDeferredStoreSelector } from '../react/useDeferredStoreSelector.js';
import { useStoreSelector, shallowEqual, type ReadableStore } from '../react/useStoreSelector.js';
import { createInitialSnapshot, type WebSocketSnapshot } from '../core/index.js';
import { useChatContext } from './ChatProvider.js';

/**
 * Read a slice of the chat state; re-renders only when it changes (by `isEqual`, default
 * `Object.is`). For custom UIs that need something the slice hooks do not give.
 */
export function useChatSelector<T>(selector: (state: ChatState) => T, isEqual?: (a: T, b: T) => boolean): T {
  const { store } = useChatContext('useChatSelector');
  return useStoreSelector(store, selector, isEqual);
}

/** The log, oldest first. Re-renders when an entry is added or changes. */
export function useChatEntries(): readonly ChatEntry[] {
  const { store } = useChatContext('useChatEntries');
  return useStoreSelector(store, selectEntries);
}

/**
 * The log, rendered as a transition: typing and clicks render first, and a stream of changes renders
 * once per pending transition. What `<ChatBox>` uses; for a custom log that must not slow the input.
 */
export function useDeferredChatEntries(): readonly ChatEntry[] {
  const { store } = useChatContext('useDeferredChatEntries');
  return useDeferredStoreSelector(store, selectEntries);
}

/** The users and who the current user is. Re-renders only when one of those changes. */
export function useChatUsers(): Pick<ChatState, 'users' | 'username' | 'clientId'> {
  const { store } = useChatContext('useChatUsers');
  return useStoreSelector(store, selectUsers, shallowEqual);
}

/**
 * What {@link useChatStatus} gives: the fields of the connection's snapshot that say where it
 * stands, without the ones that change with every message (`lastMessage`, `messageCount`,
 * `bufferedAmount`, `queued`: read those from `useChatContext().client`).
 */
export type ChatStatus = Pick<
  WebSocketSnapshot,
  'readyState' | 'protocol' | 'error' | 'closeInfo' | 'reconnectAttempt' | 'nextReconnectAt' | 'online'
>;

/**
 * The connection's state (ready state, sub-protocol, error, close info, reconnect schedule, online).
 * Re-renders only when one of those fields changes: messages do not re-render it. For the actions
 * (`close`, `reconnect`, ...), use the client of `useChatContext()`.
 */
export function useChatStatus(): ChatStatus {
  const { client } = useChatContext('useChatStatus');
  const store = useMemo<ReadableStore<ChatStatus>>(
    () => (client ? { subscribe: client.subscribe, getState: client.getSnapshot } : NOT_CONNECTED),
    [client],
  );
  return useStoreSelector(store, selectStatus, shallowEqual);
}

/**
 * A stable function that writes a message: shown at once, sent when possible. Null when the text was
 * refused: blank, or `maxUnconfirmed` messages still wait for the server (then `error` says so).
 */
export function useSendMessage(): (text: string) => ChatMessageEntry | null {
  const { store } = useChatContext('useSendMessage');
  return useCallback((text: string) => store.send(text), [store]);
}

/** A stable function that asks the server for another user name. */
export function useSetUsername(): (name: string) => void {
  const { store } = useChatContext('useSetUsername');
  return useCallback((name: string) => store.setUsername(name), [store]);
}

/** The strings and time format of the nearest `<ChatProvider>`. */
export function useChatStrings(): { strings: ChatStrings; timeFormat: TimeFormat } {
  const { strings, timeFormat } = useChatContext('useChatStrings');
  return { strings, timeFormat };
}

/** What {@link useChat} returns: the whole chat state and what a chat UI does with it. */
export interface UseChatResult extends ChatState {
  send: (text: string) => ChatMessageEntry | null;
  setUsername: (name: string) => void;
  /** A failed own message (durable outbox, `persist`) sent again: `store.retry(key)`. */
  retry: (key: string) => boolean;
  /** A failed own message dropped, from the log and the outbox: `store.discard(key)`. */
  discard: (key: string) => boolean;
}

/**
 * Everything at once, for a headless UI: the whole chat state (entries with their `failed` status
 * and gap markers, `history` with `loadOlder()` under `chatHistory()`, `edits` with `edit(key,
 * text)`, `remove(key)`, `retry`, `dismiss` and `startEditing` under `messageEdits()`, and the
 * entries' `edited`, `deleted` and `change`) plus `send`, `setUsername`, `retry` and `discard`.
 * Re-renders on any change.
 *
 * @example
 * ```tsx
 * const { entries, edits } = useChat();
 * // on an own message `entry`: edits?.edit(entry.key, 'new text'); edits?.remove(entry.key);
 * ```
 */
export function useChat(): UseChatResult {
  const { store } = useChatContext('useChat');
  const state = useStoreSelector(store, selectAll);
  const actions = useMemo(
    () => ({
      send: (text: string) => store.send(text),
      setUsername: (name: string) => store.setUsername(name),
      retry: (key: string) => store.retry(key),
      discard: (key: string) => store.discard(key),
    }),
    [store],
  );
  return { ...state, ...actions };
}

const selectEntries = (state: ChatState) => state.entries;
const selectUsers = (state: ChatState) => ({ users: state.users, username: state.username, clientId: state.clientId });
const selectAll = (state: ChatState) => state;
const selectStatus = ({ readyState, protocol, error, closeInfo, reconnectAttempt, nextReconnectAt, online }: ChatStatus): ChatStatus => ({
  readyState,
  protocol,
  error,
  closeInfo,
  reconnectAttempt,
  nextReconnectAt,
  online,
});

/** The status without a connection (`url` null): closed, nothing scheduled. */
const NOT_CONNECTED_SNAPSHOT = createInitialSnapshot(3 /* ReadyState.CLOSED: a property read would bundle the object */);
const NOT_CONNECTED: ReadableStore<ChatStatus> = {
  subscribe: () => () => {},
  getState: () => NOT_CONNECTED_SNAPSHOT,
};
