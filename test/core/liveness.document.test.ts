// liveness() in a page (jsdom's `document`): `visibilitychange` to visible and `resume` (a frozen page
// brought back) check the connection; hidden does not; after close() the page's events are no
// longer listened to. The network and the clock: liveness.test.ts (Node); real Chromium:
// test/e2e/liveness.e2e.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadyState, liveness } from '../../src/core/index.js';
import { fakeNetwork, setupClient, tick } from '../helpers/coreClient.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';

const cleanups = fakeTimersPerTest();
let visibility: DocumentVisibilityState = 'visible';
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });

function show(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

afterEach(() => {
  visibility = 'visible';
});

function setup() {
  return setupClient(cleanups, { network: fakeNetwork().monitor, heartbeat: liveness({ checkTimeout: 500 }) });
}

describe('liveness in a page', () => {
  it('shown again: a check (ping, then 4000 on silence); hidden: none', async () => {
    const { client, mock, closes, created } = setup();
    client.connect();
    await tick(600);
    show('hidden');
    await tick(100);
    expect(mock.received).toEqual([]);
    show('visible');
    await tick();
    expect(mock.received).toEqual(['ping']);
    await tick(500);
    expect(closes.map((c) => c.code)).toEqual([4000]);
    await tick(10);
    expect(created).toHaveLength(2);
    expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);
  });

  it('`resume` (a frozen page brought back) checks too', async () => {
    const { client, mock } = setup();
    client.connect();
    await tick(600);
    document.dispatchEvent(new Event('resume'));
    await tick();
    expect(mock.received).toEqual(['ping']);
  });

  it('after close(), the page is no longer watched: every listener added is removed', async () => {
    const added = vi.spyOn(document, 'addEventListener');
    const removed = vi.spyOn(document, 'removeEventListener');
    const { client, created } = setup();
    client.connect();
    await tick(600);
    const listeners = added.mock.calls.map(([type, listener]) => [type, listener]);
    expect(listeners.map(([type]) => type).sort()).toEqual(['resume', 'visibilitychange']);
    expect(removed).not.toHaveBeenCalled();
    const closed = client.close();
    await tick(100);
    await closed;
    expect(removed.mock.calls.map(([type, listener]) => [type, listener])).toEqual(listeners);
    show('visible');
    await tick(2000);
    expect(created).toHaveLength(1);
    expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
    added.mockRestore();
    removed.mockRestore();
  });
});
