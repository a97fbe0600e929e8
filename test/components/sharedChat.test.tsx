// <ChatProvider share={sharedChat()}> as a page renders it: re-rendered at any time, with the
// heartbeat and reconnect props. (Here without Web Locks, as jsdom has none: each tab on its own,
// the fallback; the shared case runs in Chromium, test/e2e/sharedChat.e2e.test.ts.)
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { heartbeat, sharedChat, useChatStatus } from '../../src/index.js';
import { chatWrapper, startChatServer, stopChatServers } from '../helpers/chat.js';

afterEach(stopChatServers);

describe('<ChatProvider share={sharedChat()}> with a heartbeat', () => {
  it('a re-render while waiting to reconnect keeps the retry (the heartbeat is not detached and attached again)', async () => {
    const chat = startChatServer();
    const share = sharedChat({ name: `unit-${Math.random().toString(36).slice(2)}` });
    const { result, rerender } = renderHook(() => useChatStatus(), {
      wrapper: chatWrapper(chat, { share, heartbeat: heartbeat({ interval: 60_000 }), reconnect: { initialDelay: 200, maxDelay: 200 } }),
    });
    await waitFor(() => expect(result.current.readyState).toBe(1));
    chat.connections[0]?.socket.close({ code: 1006, reason: 'dropped', wasClean: false });
    await waitFor(() => expect(result.current.nextReconnectAt).not.toBeNull());
    rerender();
    rerender();
    // Still waiting, and connected again when the time comes.
    expect(result.current.nextReconnectAt).not.toBeNull();
    await waitFor(() => expect(chat.connections).toHaveLength(2), { timeout: 3000 });
    await waitFor(() => expect(result.current.readyState).toBe(1));
  });
});
