import { act, render, renderHook, screen } from '@testing-library/react';
import { Profiler, useEffect } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ReadyState, autoReconnect, useWebSocket, type UseWebSocketOptions, type WebSocketUrl } from '../../src/index.js';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';

const tick = (ms = 5) => act(() => vi.advanceTimersByTimeAsync(ms));

const cleanups = fakeTimersPerTest();

function server(options = {}) {
  const mock = createMockServer(options);
  cleanups.push(() => mock.stop());
  return mock;
}

describe('useWebSocket', () => {
  it('follows the connection from CONNECTING to OPEN with the negotiated protocol', async () => {
    const mock = server({ selectProtocol: () => 'json' });
    const { WebSocket } = createSocketFactory();
    const { result } = renderHook(() => useWebSocket(mock.url, { protocols: 'json', WebSocket }));
    expect(result.current.readyState).toBe(ReadyState.CONNECTING);
    await tick();
    expect(result.current).toMatchObject({ readyState: ReadyState.OPEN, protocol: 'json', error: null });
  });

  it('keeps send, sendJson, close and reconnect stable across renders and URL changes', async () => {
    const a = server();
    const b = server();
    const { WebSocket } = createSocketFactory();
    const { result, rerender } = renderHook(({ url }) => useWebSocket(url, { WebSocket }), { initialProps: { url: a.url } });
    const first = result.current;
    await tick();
    rerender({ url: b.url });
    await tick();
    for (const key of ['send', 'sendJson', 'close', 'reconnect'] as const) expect(result.current[key]).toBe(first[key]);
    expect(result.current.sendJson({ hello: 'b' })).toBe('sent');
    await tick();
    expect(b.received).toEqual(['{"hello":"b"}']);
    expect(a.received).toEqual([]);
  });

  it('parses JSON and calls onMessage for every message of a burst, in order', async () => {
    const mock = server();
    const { WebSocket } = createSocketFactory();
    const seen: unknown[] = [];
    const { result } = renderHook(() => useWebSocket<{ n: number }>(mock.url, { WebSocket, onMessage: (m) => seen.push(m.n) }));
    await tick();
    act(() => {
      for (let n = 0; n < 300; n++) mock.send(JSON.stringify({ n }));
    });
    await tick();
    expect(seen).toEqual(Array.from({ length: 300 }, (_, n) => n));
    expect(result.current.lastMessage).toEqual({ n: 299 });
    expect(result.current.messageCount).toBe(300);
  });

  it('does not reconnect when callbacks or other options change', async () => {
    const mock = server();
    const factory = createSocketFactory();
    const calls: string[] = [];
    const { rerender } = renderHook(
      ({ label }: { label: string }) =>
        useWebSocket(mock.url, { WebSocket: factory.WebSocket, maxQueue: label.length, onMessage: () => calls.push(label) }),
      { initialProps: { label: 'first' } },
    );
    await tick();
    rerender({ label: 'second' });
    rerender({ label: 'third!' });
    mock.send('1');
    await tick();
    expect(factory.created).toHaveLength(1);
    expect(calls).toEqual(['third!']);
  });

  it('is not connected for url null, and connects when a url arrives', async () => {
    const mock = server();
    const factory = createSocketFactory();
    const { result, rerender } = renderHook(({ url }: { url: WebSocketUrl }) => useWebSocket(url, { WebSocket: factory.WebSocket }), {
      initialProps: { url: null as WebSocketUrl },
    });
    await tick();
    expect(result.current).toMatchObject({ readyState: ReadyState.CLOSED, url: null });
    expect(result.current.send('x')).toBe('rejected');
    expect(factory.created).toHaveLength(0);
    rerender({ url: mock.url });
    await tick();
    expect(result.current.readyState).toBe(ReadyState.OPEN);
  });

  it('closes the old socket and opens a new one when the URL changes', async () => {
    const a = server();
    const b = server();
    const factory = createSocketFactory();
    const { result, rerender } = renderHook(({ url }) => useWebSocket(url, { WebSocket: factory.WebSocket }), {
      initialProps: { url: a.url },
    });
    await tick();
    rerender({ url: b.url });
    await tick(20);
    expect(factory.created).toHaveLength(2);
    expect(factory.created[0]?.readyState).toBe(ReadyState.CLOSED);
    expect(factory.created[1]?.readyState).toBe(ReadyState.OPEN);
    expect(result.current.url).toBe(b.url);
  });

  it('keeps the connection for a URL object with the same href, as for the same string', async () => {
    const mock = server();
    const factory = createSocketFactory();
    const { result, rerender } = renderHook(({ url }: { url: string | URL }) => useWebSocket(url, { WebSocket: factory.WebSocket }), {
      initialProps: { url: new URL(mock.url) as string | URL },
    });
    await tick();
    rerender({ url: new URL(mock.url) });
    rerender({ url: new URL(mock.url).href });
    await tick(20);
    expect(factory.created).toHaveLength(1);
    expect(result.current.readyState).toBe(ReadyState.OPEN);
    rerender({ url: new URL('/other', mock.url) });
    await tick(20);
    expect(factory.created).toHaveLength(2);
  });

  it('reports a bad URL as an error value instead of throwing from an effect', async () => {
    const factory = createSocketFactory();
    const { result } = renderHook(() => useWebSocket('ftp://example.com', { WebSocket: factory.WebSocket }));
    await tick();
    expect(result.current.error).toMatchObject({ kind: 'syntax' });
    expect(result.current.readyState).toBe(ReadyState.CLOSED);
    expect(factory.created).toHaveLength(0);
  });

  it('keeps exactly one socket open under StrictMode, and closes it on unmount', async () => {
    const mock = server();
    const factory = createSocketFactory();
    let effects = 0;
    function Probe() {
      const { readyState } = useWebSocket(mock.url, { WebSocket: factory.WebSocket });
      useEffect(() => {
        effects++;
      }, []);
      return <p>state {readyState}</p>;
    }
    const view = render(<Probe />, { reactStrictMode: true });
    await tick();
    // Proof that StrictMode really ran effects twice here.
    expect(effects).toBe(2);
    expect(factory.created).toHaveLength(1);
    expect(screen.getByText('state 1')).toBeTruthy();
    expect(mock.connections.filter((c) => c.readyState === ReadyState.OPEN)).toHaveLength(1);
    view.unmount();
    await tick(50);
    expect(factory.created[0]?.readyState).toBe(ReadyState.CLOSED);
  });

  it('re-renders a component only for the fields it reads', async () => {
    const mock = server();
    const { WebSocket } = createSocketFactory();
    let renders = 0;
    function StatusOnly() {
      const { readyState } = useWebSocket(mock.url, { WebSocket });
      return <p>state {readyState}</p>;
    }
    render(
      <Profiler id="status" onRender={() => renders++}>
        <StatusOnly />
      </Profiler>,
    );
    await tick();
    const afterOpen = renders;
    act(() => {
      for (let n = 0; n < 50; n++) mock.send(String(n));
    });
    await tick();
    expect(renders).toBe(afterOpen);
  });

  it('catches up when a field is first read after the render that produced it', async () => {
    const mock = server();
    const { WebSocket } = createSocketFactory();
    const { result } = renderHook(() => {
      const ws = useWebSocket<number>(mock.url, { WebSocket });
      void ws.readyState; // only readyState is tracked by the render
      return ws;
    });
    await tick();
    act(() => mock.send('42'));
    await tick();
    // lastMessage changed without a re-render: the first read sees the rendered value...
    expect(result.current.lastMessage).toBeNull();
    // ...and schedules one, after which it is current and tracked.
    await act(async () => {});
    expect(result.current.lastMessage).toBe(42);
    act(() => mock.send('43'));
    await tick();
    expect(result.current.lastMessage).toBe(43);
  });

  it('sends queued messages once open and closes with the browser checks', async () => {
    const mock = server();
    const { WebSocket } = createSocketFactory();
    const { result } = renderHook(() => useWebSocket(mock.url, { WebSocket }));
    expect(result.current.send('early')).toBe('queued');
    await tick(10);
    expect(mock.received).toEqual(['early']);
    expect(() => result.current.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    let info: unknown;
    await act(async () => {
      const closing = result.current.close(4001, 'done');
      await vi.advanceTimersByTimeAsync(50);
      info = await closing;
    });
    expect(info).toMatchObject({ code: 4001, reason: 'done' });
    expect(result.current.readyState).toBe(ReadyState.CLOSED);
  });

  it('shows the reconnect schedule after an abnormal close, and reconnects', async () => {
    const mock = server();
    const { WebSocket } = createSocketFactory();
    const options: UseWebSocketOptions = { WebSocket, reconnect: autoReconnect({ initialDelay: 1000, random: () => 0.5 }) };
    const { result } = renderHook(() => useWebSocket(mock.url, options));
    await tick();
    act(() => mock.socket.close({ code: 1011, reason: 'oops', wasClean: false }));
    await tick();
    expect(result.current).toMatchObject({ readyState: ReadyState.CLOSED, reconnectAttempt: 1, closeInfo: { code: 1011 } });
    expect(result.current.nextReconnectAt).toBeGreaterThan(Date.now());
    await tick(600);
    expect(result.current.readyState).toBe(ReadyState.OPEN);
  });
});
