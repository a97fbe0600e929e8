import { describe, expect, inject, it } from 'vitest';
import { ChatProvider, ConnectionStatus } from '../../src/components/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';

const { mountRoot } = pageRootsPerTest();

/** The status's `data-state` on every animation frame for `ms` milliseconds. */
function sampleEveryFrame(element: () => Element | null, ms: number): Promise<(string | null)[]> {
  return new Promise((resolve) => {
    const states: (string | null)[] = [];
    const start = performance.now();
    const sample = (now: number) => {
      states.push(element()?.getAttribute('data-state') ?? null);
      if (now - start >= ms) resolve(states);
      else requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
}

describe('ConnectionStatus while the server is down', () => {
  it('reads "reconnecting" on every frame once the first attempt has failed, never "closed"', async () => {
    const { container, root } = mountRoot();
    // The default sub-protocol ('json') is offered, so every failed attempt also probes.
    root.render(
      <ChatProvider url={`ws://127.0.0.1:${inject('closedPort')}/`} username="ada" reconnect={{ initialDelay: 30, maxDelay: 60 }}>
        <ConnectionStatus />
      </ChatProvider>,
    );
    const status = () => container.querySelector('[role="status"]');
    await expect.poll(() => status()?.getAttribute('data-state')).toBe('reconnecting');
    const states = await sampleEveryFrame(status, 3000);
    // A few dozen retries in three seconds, each an attempt and a probe.
    expect(states.length).toBeGreaterThan(60);
    expect(new Set(states)).toEqual(new Set(['reconnecting']));
    // What it says while the retry's attempt is under way, and while it waits.
    expect(status()?.textContent).toMatch(/^(Connecting…|Reconnecting in \d+ s \(attempt \d+\))/);
  });
});
