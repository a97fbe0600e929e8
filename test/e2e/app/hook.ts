// What the e2e fixture app exposes on `window` for tests that need more than the DOM (a user never
// sees these; tests prefer the DOM, by role and name).
import type { ChatState, ChatStore, WebSocketClient, WebSocketSnapshot } from '../../../src/index.ts';

export interface E2EHook {
  /** The chat state (the store's current snapshot). */
  chat(): ChatState;
  /** The connection's snapshot (ready state, reconnect schedule, error...). */
  connection(): WebSocketSnapshot<unknown> | null;
  /** The connection itself (the reliability suite subscribes to it to time reconnects). */
  client(): WebSocketClient<unknown, unknown> | null;
  /** The chat store (the reliability suite writes through it, as `<MessageInput>` does, at rates typing cannot reach). */
  store(): ChatStore;
}

declare global {
  interface Window {
    /** Set by the fixture app once the chat is mounted. */
    __rwcE2E?: E2EHook;
    /** With `&auth=1`: the token the URL carries now, and how many times `refresh` was asked. */
    __rwcAuth?: { token: string; refreshes: number };
    /** With `&auth=hold`: set while a `refresh` waits for the test (a slow token service); calling it lets the refresh end. */
    __rwcAuthRelease?: () => void;
    /** Set by a hostile payload if it ever runs as code. Must stay undefined. */
    __pwned?: unknown;
  }
}
