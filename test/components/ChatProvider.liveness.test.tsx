// <ChatProvider heartbeat={liveness({ refresh })}> when the very first connection is closed with
// 4401 (a token already stale at page load): before the server's first `id`, so before it is known
// to answer pings. The mock server refuses the stale token with 4401 before any packet, and takes a
// fresh one normally (the extension's `ext` in `id`, names, relaying). Real Chromium and the
// reference server behind a 4401 gateway: test/e2e/liveness.e2e.test.ts.
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadyState, liveness, useChat, useChatStatus, useSendMessage, type CloseInfo } from '../../src/index.js';
import type { MockChatServer } from '../../src/testing/index.js';
import { chatWrapper, startChatServer, stopChatServers } from '../helpers/chat.js';

afterEach(stopChatServers);

/** A first retry a minute away (the jitter's top): a connection within the test's waits is liveness's own. */
const SLOW_BACKOFF = { initialDelay: 60_000, maxDelay: 60_000, random: () => 0.99 };

/** A chat server that closes a connection whose URL carries a stale token with 4401, as a gateway would. */
function serverRefusing(stale: Set<string>): MockChatServer {
  const chat = startChatServer({ autoRespond: false });
  chat.server.on('connection', (socket) => {
    const token = new URL(socket.url).searchParams.get('token') ?? '';
    if (stale.has(token)) return socket.close({ code: 4401, reason: 'token expired', wasClean: true });
    const id = chat.connections.length;
    socket.send(JSON.stringify({ type: 'id', id, ext: 1, session: `s${id}` }));
    socket.on('message', (data) => {
      const packet = typeof data === 'string' ? (JSON.parse(data) as { type?: string; name?: string; text?: string; nonce?: string }) : {};
      const { name = '', text = '', nonce } = packet;
      if (packet.type === 'username') chat.send({ type: 'username', id, name, date: Date.now() });
      if (packet.type === 'message') chat.send({ type: 'message', id, name: 'ada', text, nonce, date: Date.now() });
    });
  });
  return chat;
}

/** `<ChatProvider>` with a token in a URL function and `liveness({ refresh })`; what `url` was asked. */
function renderChat(chat: MockChatServer, refresh: (close: CloseInfo) => unknown, credentials: { token: string }) {
  const urls: string[] = [];
  const url = () => {
    urls.push(credentials.token);
    return `${chat.url}?token=${credentials.token}`;
  };
  const view = renderHook(() => ({ chat: useChat(), status: useChatStatus(), send: useSendMessage() }), {
    wrapper: chatWrapper(chat, { url, heartbeat: liveness({ refresh }), reconnect: SLOW_BACKOFF }),
  });
  return { ...view, urls };
}

describe('ChatProvider + liveness: a 4401 on the very first connection (before any `id`)', () => {
  it('asks refresh once, connects again at once with the URL read again, and sends what was written meanwhile', async () => {
    const credentials = { token: 't1' };
    const chat = serverRefusing(new Set(['t1']));
    let renewed: () => void = () => {};
    const refresh = vi.fn((_close: CloseInfo) => new Promise<void>((resolve) => (renewed = resolve)));
    const { result, urls } = renderChat(chat, refresh, credentials);
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
    expect(refresh.mock.calls[0]?.[0]).toMatchObject({ code: 4401, reason: 'token expired' });
    // Written while the refresh is under way: nothing is connected, and nothing retries meanwhile.
    expect(result.current.send('written while refreshing')).toMatchObject({ text: 'written while refreshing', status: 'pending' });
    expect(result.current.status).toMatchObject({ readyState: ReadyState.CLOSED, nextReconnectAt: null });
    credentials.token = 't2';
    renewed();
    await waitFor(() => expect(result.current.chat.signedIn).toBe(true));
    expect(urls).toEqual(['t1', 't2']);
    expect(chat.connections.map((c) => new URL(c.socket.url).searchParams.get('token'))).toEqual(['t1', 't2']);
    expect(result.current.status).toMatchObject({ reconnectAttempt: 0, nextReconnectAt: null, error: null });
    await waitFor(() => expect(result.current.chat.unconfirmed).toBe(0));
    const texts = chat.received.map((r) => r.packet).filter((p) => p.type === 'message');
    expect(texts).toMatchObject([{ text: 'written while refreshing' }]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a refresh that fails: a visible `auth` error, and the chat stays closed (no retry with the stale token)', async () => {
    const chat = serverRefusing(new Set(['t1']));
    const refresh = vi.fn(() => Promise.reject(new Error('signed out')));
    const { result } = renderChat(chat, refresh, { token: 't1' });
    await waitFor(() => expect(result.current.status.error?.kind).toBe('auth'));
    expect(result.current.status.error?.message).toBe('Could not refresh the credentials: signed out');
    expect(result.current.status).toMatchObject({ readyState: ReadyState.CLOSED, nextReconnectAt: null });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(chat.connections).toHaveLength(1);
  });

  it('refused again right after the refresh: an `auth` error, and the backoff (not a loop at full speed)', async () => {
    const credentials = { token: 't1' };
    const chat = serverRefusing(new Set(['t1', 't2']));
    const refresh = vi.fn(() => {
      credentials.token = 't2';
    });
    const { result, urls } = renderChat(chat, refresh, credentials);
    await waitFor(() => expect(result.current.status.error?.message).toBe('The server refused the fresh credentials (close 4401).'));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(urls).toEqual(['t1', 't2']);
    expect(result.current.status).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1 });
    expect(result.current.status.nextReconnectAt).toBeGreaterThan(Date.now() + 30_000);
  });
});
