// The component tests' set-up: mock chat servers, and a <ChatProvider> on one that publishes every
// change at once (immediateScheduler), so that a test sees the state its actions made.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { immediateScheduler } from '../../src/chat/index.js';
import { ChatProvider, type ChatProviderProps } from '../../src/components/index.js';
import { createMockChatServer, type MockChatServer, type MockChatServerOptions } from '../../src/testing/index.js';

const servers: MockChatServer[] = [];

/** A mock chat server that {@link stopChatServers} stops. */
export function startChatServer(options: MockChatServerOptions = {}): MockChatServer {
  const chat = createMockChatServer(options);
  servers.push(chat);
  return chat;
}

/**
 * Stop every server started since the last call: `afterEach(stopChatServers)`. Not registered here,
 * so that each file orders it among its own hooks (before it restores real timers, say).
 */
export function stopChatServers(): void {
  for (const server of servers.splice(0)) server.stop();
}

/** `<ChatProvider>`'s props over the tests' defaults. */
export type TestChatProps = Partial<Omit<ChatProviderProps, 'children'>>;

/** A Testing Library wrapper: `<ChatProvider>` on `chat` as user "ada", with `props` over that. */
export function chatWrapper(chat: MockChatServer, props: TestChatProps = {}) {
  return function TestChatProvider({ children }: { children: ReactNode }) {
    return (
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler} {...props}>
        {children}
      </ChatProvider>
    );
  };
}

/** Render `ui` inside {@link chatWrapper}, under StrictMode, on `chat` (default: a new server). */
export function renderInChat(ui: ReactNode, { chat = startChatServer(), ...props }: TestChatProps & { chat?: MockChatServer } = {}) {
  const view = render(ui, { wrapper: chatWrapper(chat, props), reactStrictMode: true });
  return { chat, ...view };
}
