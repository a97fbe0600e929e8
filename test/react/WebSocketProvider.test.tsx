import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ReadyState, WebSocketProvider, useWebSocketClientContext, useWebSocketContext } from '../../src/index.js';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';

const tick = (ms = 5) => act(() => vi.advanceTimersByTimeAsync(ms));

const cleanups = fakeTimersPerTest();

describe('WebSocketProvider', () => {
  it('shares one connection among many components, each seeing every message', async () => {
    const mock = createMockServer();
    cleanups.push(() => mock.stop());
    const factory = createSocketFactory();
    const logs: Record<string, unknown[]> = { a: [], b: [] };
    function Reader({ name }: { name: 'a' | 'b' }) {
      const { readyState, sendJson } = useWebSocketContext<number, { from: string }>({ onMessage: (m) => logs[name]?.push(m) });
      return (
        <button type="button" onClick={() => sendJson({ from: name })}>
          {name} {readyState}
        </button>
      );
    }
    render(
      <WebSocketProvider url={mock.url} WebSocket={factory.WebSocket}>
        <Reader name="a" />
        <Reader name="b" />
      </WebSocketProvider>,
      { reactStrictMode: true },
    );
    await tick();
    expect(factory.created).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'a 1' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'b 1' })).toBeTruthy();
    act(() => {
      for (let i = 0; i < 3; i++) mock.send(String(i));
    });
    await tick();
    expect(logs).toEqual({ a: [0, 1, 2], b: [0, 1, 2] });
    act(() => screen.getByRole('button', { name: 'b 1' }).click());
    await tick();
    expect(mock.received).toEqual(['{"from":"b"}']);
  });

  it('gives the client itself to code that wants the core', async () => {
    const mock = createMockServer();
    cleanups.push(() => mock.stop());
    const factory = createSocketFactory();
    let seen: unknown;
    function Core() {
      seen = useWebSocketClientContext();
      return null;
    }
    render(
      <WebSocketProvider url={mock.url} WebSocket={factory.WebSocket}>
        <Core />
      </WebSocketProvider>,
    );
    await tick();
    expect((seen as { getSnapshot(): { readyState: number } }).getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('throws an error naming the provider when a hook is used outside it', () => {
    function Orphan() {
      useWebSocketContext();
      return null;
    }
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => render(<Orphan />)).toThrow('`useWebSocketContext` must be used within `<WebSocketProvider>`.');
    } finally {
      spy.mockRestore();
    }
  });

  it('closes the shared connection when the provider unmounts', async () => {
    const mock = createMockServer();
    cleanups.push(() => mock.stop());
    const factory = createSocketFactory();
    const view = render(
      <WebSocketProvider url={mock.url} WebSocket={factory.WebSocket}>
        <p>child</p>
      </WebSocketProvider>,
    );
    await tick();
    expect(factory.created[0]?.readyState).toBe(ReadyState.OPEN);
    view.unmount();
    await tick(50);
    expect(factory.created[0]?.readyState).toBe(ReadyState.CLOSED);
  });
});
