import { describe, expect, it } from 'vitest';
import { statusStore } from '../../src/components/useChat.js';
import { ReadyState } from '../../src/core/index.js';
import { setupClient, tick } from '../helpers/coreClient.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';

const cleanups = fakeTimersPerTest();

describe('statusStore (what useChatStatus reads)', () => {
  it('calls its listener when a status field changes, and not for messages, which change only the count', async () => {
    const { mock, client } = setupClient(cleanups, { reconnect: undefined });
    client.connect();
    const store = statusStore(client);
    let calls = 0;
    cleanups.push(store.subscribe(() => calls++));
    await tick();
    expect(store.getState().readyState).toBe(ReadyState.OPEN);
    const opened = calls;
    expect(opened).toBeGreaterThan(0);

    mock.send('{"type":"message","text":"one"}');
    mock.send('{"type":"message","text":"two"}');
    await tick();
    expect(client.getSnapshot().messageCount).toBe(2);
    expect(calls).toBe(opened);

    client.close(1000, 'Bye');
    await tick();
    expect(store.getState().readyState).toBe(ReadyState.CLOSED);
    expect(calls).toBeGreaterThan(opened);
  });

  it('is the closed status, never calling its listener, without a connection', () => {
    const store = statusStore(null);
    let calls = 0;
    store.subscribe(() => calls++)();
    expect(store.getState().readyState).toBe(ReadyState.CLOSED);
    expect(calls).toBe(0);
  });
});
