import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ChatProvider,
  ReadyState,
  heartbeat,
  immediateScheduler,
  useChat,
  useChatContext,
  useChatEntries,
  useChatSelector,
  useChatStatus,
  useChatUsers,
  useSendMessage,
} from '../../src/index.js';
import { chatWrapper, startChatServer, stopChatServers } from '../helpers/chat.js';

afterEach(stopChatServers);

const isType = (type: string) => (packet: unknown) => (packet as { type?: unknown }).type === type;

describe('ChatProvider', () => {
  it('connects with the json sub-protocol and follows the MDN flow', async () => {
    const server = startChatServer();
    const { result } = renderHook(() => ({ chat: useChat(), status: useChatStatus() }), { wrapper: chatWrapper(server) });
    await waitFor(() => expect(result.current.chat.signedIn).toBe(true));
    expect(result.current.status.protocol).toBe('json');
    expect(Object.keys(result.current.status).sort()).toEqual([
      'closeInfo',
      'error',
      'nextReconnectAt',
      'online',
      'protocol',
      'readyState',
      'reconnectAttempt',
    ]);
    expect(result.current.chat.clientId).toBe(1);
    const { packet } = await server.waitForPacket(isType('username'));
    expect(packet).toMatchObject({ type: 'username', name: 'ada', id: 1 });
    await waitFor(() => expect(result.current.chat.users).toEqual(['ada']));
    expect(result.current.chat.entries[0]).toMatchObject({ kind: 'signin', name: 'ada' });
  });

  it('keeps one socket under StrictMode and delivers a message written before the connection opened', async () => {
    const server = startChatServer();
    function Writer() {
      const send = useSendMessage();
      const entries = useChatEntries();
      return (
        <>
          <button type="button" onClick={() => send('early bird')}>
            write
          </button>
          <output>{entries.map((e) => (e.kind === 'message' ? `${e.text}:${e.status}` : e.kind)).join(',')}</output>
        </>
      );
    }
    render(<Writer />, { wrapper: chatWrapper(server), reactStrictMode: true });
    act(() => screen.getByRole('button', { name: 'write' }).click());
    expect(screen.getByRole('status').textContent).toBe('early bird:pending');
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('early bird:delivered'));
    expect(server.connections).toHaveLength(1);
    const messages = server.received.filter((r) => isType('message')(r.packet));
    expect(messages).toHaveLength(1);
  });

  it("useChat's retry and discard are the store's, for a headless UI of failed messages", async () => {
    const server = startChatServer();
    const { result } = renderHook(() => ({ chat: useChat(), context: useChatContext() }), { wrapper: chatWrapper(server) });
    const { store } = result.current.context;
    const retry = vi.spyOn(store, 'retry').mockReturnValue(true);
    const discard = vi.spyOn(store, 'discard').mockReturnValue(false);
    expect(result.current.chat.retry('k1')).toBe(true);
    expect(result.current.chat.discard('k2')).toBe(false);
    expect(retry).toHaveBeenCalledWith('k1');
    expect(discard).toHaveBeenCalledWith('k2');
    // Without a failed message (no outbox here) the store itself refuses both.
    retry.mockRestore();
    discard.mockRestore();
    expect(result.current.chat.retry('nope')).toBe(false);
    expect(result.current.chat.discard('nope')).toBe(false);
  });

  it('adopts the name the server gives when the asked one is taken', async () => {
    const server = startChatServer();
    const first = renderHook(() => useChat(), { wrapper: chatWrapper(server) });
    await waitFor(() => expect(first.result.current.users).toEqual(['ada']));
    const second = renderHook(() => useChat(), { wrapper: chatWrapper(server, { username: 'ADA' }) });
    await waitFor(() => expect(second.result.current.username).toBe('ADA2'));
    expect(second.result.current.entries.some((e) => e.kind === 'rename' && e.name === 'ADA2')).toBe(true);
  });

  it('asks again when the username prop changes', async () => {
    const server = startChatServer();
    const { rerender } = render(<ChatProvider url={server.url} username="ada" WebSocket={server.WebSocket} />);
    await server.waitForPacket(isType('username'));
    rerender(<ChatProvider url={server.url} username="grace" WebSocket={server.WebSocket} />);
    const { packet } = await server.waitForPacket((p) => isType('username')(p) && (p as { name: string }).name === 'grace');
    expect(packet).toMatchObject({ id: 1 });
  });

  it('runs the heartbeat it is given only on a server that announced the extension, and takes its pong', async () => {
    const isPing = (packet: unknown) => (packet as { raw?: unknown }).raw === 'ping';
    const beat = heartbeat({ interval: 20, timeout: 150 });
    // MDN's protocol alone (the mock without the extension): never pinged.
    const plain = startChatServer();
    const unarmed = renderHook(() => useChat(), { wrapper: chatWrapper(plain, { heartbeat: beat }) });
    // A server of the extension: `ext` in `id`, and `pong` for every `ping`.
    const extended = startChatServer({ autoRespond: false });
    extended.server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'id', id: 1, ext: 1, session: 's1' }));
      socket.on('message', (data) => {
        if (data === 'ping') socket.send('pong');
      });
    });
    const armed = renderHook(() => ({ chat: useChat(), status: useChatStatus() }), {
      wrapper: chatWrapper(extended, { username: 'bob', heartbeat: beat }),
    });
    await waitFor(() => expect(unarmed.result.current.signedIn).toBe(true));
    await waitFor(() => expect(armed.result.current.chat.server).not.toBeNull());
    // Three pings answered (the next ping waits out the timeout): 300 ms or more, 15 intervals and
    // more on the server without the extension.
    await waitFor(() => expect(extended.received.filter((r) => isPing(r.packet)).length).toBeGreaterThanOrEqual(3), {
      timeout: 5000,
    });
    expect(plain.received.filter((r) => isPing(r.packet))).toEqual([]);
    // The pongs are the heartbeat's: neither parsed (no error) nor delivered.
    expect(armed.result.current.status.error).toBeNull();
    expect(armed.result.current.chat.error).toBeNull();
    expect(armed.result.current.status.readyState).toBe(ReadyState.OPEN);
  });

  it('shows the state of an unconnected chat when url is null', () => {
    const { result } = renderHook(() => ({ chat: useChat(), status: useChatStatus() }), {
      wrapper: ({ children }) => (
        <ChatProvider url={null} username="ada" schedule={immediateScheduler}>
          {children}
        </ChatProvider>
      ),
    });
    expect(result.current.status.readyState).toBe(ReadyState.CLOSED);
    act(() => {
      result.current.chat.send('kept');
    });
    expect(result.current.chat.entries).toEqual([expect.objectContaining({ text: 'kept', status: 'pending' })]);
  });

  it('re-renders a slice reader only when its slice changes', async () => {
    const server = startChatServer();
    let userRenders = 0;
    function Users() {
      const { users } = useChatUsers();
      return <p>{users.join(',')}</p>;
    }
    function Count() {
      const count = useChatSelector((state) => state.entries.length);
      return <p>count {count}</p>;
    }
    render(
      <>
        <Profiler id="users" onRender={() => userRenders++}>
          <Users />
        </Profiler>
        <Count />
      </>,
      { wrapper: chatWrapper(server) },
    );
    await waitFor(() => expect(screen.getByText('ada')).toBeTruthy());
    const before = userRenders;
    act(() => {
      for (let i = 0; i < 20; i++) server.send({ type: 'message', id: 99, name: 'bob', text: `m${i}`, date: i });
    });
    await waitFor(() => expect(screen.getByText('count 21')).toBeTruthy());
    expect(userRenders).toBe(before);
  });

  it('throws an error naming the provider when a hook is used outside it', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const hook of [useChat, useChatEntries, useChatUsers, useChatStatus, useSendMessage]) {
        expect(() => renderHook(() => hook())).toThrow(/must be used within `<ChatProvider>`/);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('shows a protocol error when the server selects no sub-protocol', async () => {
    const server = startChatServer({ selectProtocol: () => '' });
    const { result } = renderHook(() => useChatStatus(), { wrapper: chatWrapper(server) });
    await waitFor(() => expect(result.current.error?.kind).toBe('protocol'));
    await waitFor(() => expect(result.current.readyState).toBe(ReadyState.CLOSED));
    expect(result.current.nextReconnectAt).toBeNull();
  });
});
