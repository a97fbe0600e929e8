import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { sharedTabs } from '../../src/core/index.ts';
import { useWebSocketState } from '../../src/react/index.ts';
import { createMockServer, createSocketFactory } from '../helpers/mockServer.ts';

describe('sharedTabs() without Web Locks or BroadcastChannel (each tab its own connection)', () => {
  it.each([
    ['no Web Locks', { locks: null }],
    ['no BroadcastChannel', { BroadcastChannel: null }],
  ] as const)('%s: shared is "off", and the client works as a WebSocketClient, read by useWebSocketState', async (_, hosts) => {
    const server = createMockServer();
    const { WebSocket } = createSocketFactory();
    const client = sharedTabs({ name: 'unit', ...hosts }).create<{ n: number }, { n: number }>({ url: server.url, WebSocket });
    expect(client.getSnapshot().shared).toBe('off');
    const { result } = renderHook(() => useWebSocketState(client));
    const release = client.acquire();
    await expect.poll(() => result.current.readyState).toBe(1);
    expect(result.current.sendJson({ n: 1 })).toBe('sent');
    await expect.poll(() => server.received).toEqual(['{"n":1}']);
    server.connections[0]?.send('{"n":2}');
    await expect.poll(() => result.current.lastMessage).toEqual({ n: 2 });
    expect(client.getSnapshot()).toMatchObject({ shared: 'off', messageCount: 1 });
    release();
    await expect.poll(() => result.current.readyState).toBe(3);
    client.dispose();
    server.stop();
  });
});
