// Leaks: <ChatProvider> (with the chat's components) mounted and unmounted 1000 times, and 1000 more
// under React's StrictMode, against the REAL reference server over real sockets (the `ws` package's
// WebSocket as the provider's `WebSocket`). Afterwards no socket may be open at the server, no timer
// may be outstanding and no online/offline listener may be left on the global object; and each
// mount must have made exactly one socket (StrictMode's double effects included).
import { act, render } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';

import { ChatProvider, ConnectionStatus, UserList, heartbeat } from '../../src/index.ts';
import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { recordFigures } from './lib/figures.ts';

const CYCLES = 1000;

// ---- what is outstanding: timers, global listeners, sockets --------------------------------------

const live = { timers: new Set<unknown>(), intervals: new Set<unknown>(), listeners: new Map<string, number>() };
type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Patched = 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'addEventListener' | 'removeEventListener';
const g = globalThis as unknown as Record<Patched, Fn>;
const originals = {
  setTimeout: g.setTimeout,
  clearTimeout: g.clearTimeout,
  setInterval: g.setInterval,
  clearInterval: g.clearInterval,
  addEventListener: g.addEventListener,
  removeEventListener: g.removeEventListener,
};
/** Listeners counted: the ones the core's network monitor adds. */
const WATCHED_EVENTS = new Set(['online', 'offline']);
const NOTHING = { timers: 0, intervals: 0, online: 0, offline: 0 };
const listenerKeys = new WeakMap<object, Set<string>>();

function instrument(): void {
  g.setTimeout = function (this: unknown, fn: unknown, ...rest: unknown[]) {
    let id: unknown;
    const wrapped =
      typeof fn === 'function'
        ? (...args: unknown[]) => {
            live.timers.delete(id);
            return (fn as (...a: unknown[]) => unknown)(...args);
          }
        : fn;
    id = originals.setTimeout.call(this, wrapped, ...rest);
    live.timers.add(id);
    return id;
  };
  g.clearTimeout = function (this: unknown, id: unknown) {
    live.timers.delete(id);
    return originals.clearTimeout.call(this, id);
  };
  g.setInterval = function (this: unknown, ...args: unknown[]) {
    const id = originals.setInterval.apply(this, args);
    live.intervals.add(id);
    return id;
  };
  g.clearInterval = function (this: unknown, id: unknown) {
    live.intervals.delete(id);
    return originals.clearInterval.call(this, id);
  };
  g.addEventListener = function (this: unknown, type: unknown, listener: unknown, ...rest: unknown[]) {
    if (
      (typeof type === 'string' && WATCHED_EVENTS.has(type) && listener && typeof listener === 'object') ||
      typeof listener === 'function'
    ) {
      const keys = listenerKeys.get(listener as object) ?? new Set<string>();
      if (WATCHED_EVENTS.has(type as string) && !keys.has(type as string)) {
        keys.add(type as string);
        listenerKeys.set(listener as object, keys);
        live.listeners.set(type as string, (live.listeners.get(type as string) ?? 0) + 1);
      }
    }
    return originals.addEventListener.call(this, type, listener, ...rest);
  };
  g.removeEventListener = function (this: unknown, type: unknown, listener: unknown, ...rest: unknown[]) {
    const keys = listener ? listenerKeys.get(listener as object) : undefined;
    if (keys?.delete(type as string)) live.listeners.set(type as string, (live.listeners.get(type as string) ?? 1) - 1);
    return originals.removeEventListener.call(this, type, listener, ...rest);
  };
}

function restore(): void {
  Object.assign(g, originals);
}

const outstanding = () => ({
  timers: live.timers.size,
  intervals: live.intervals.size,
  online: live.listeners.get('online') ?? 0,
  offline: live.listeners.get('offline') ?? 0,
});

/** `ws`'s WebSocket, counting the sockets made and the most open at once on this side. */
let created = 0;
let openNow = 0;
let peakOpen = 0;
const opened = new Set<WsWebSocket>();
class CountingWebSocket extends WsWebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    created++;
    this.addEventListener('open', () => {
      openNow++;
      peakOpen = Math.max(peakOpen, openNow);
      opened.add(this);
    });
    this.addEventListener('close', () => {
      if (opened.delete(this)) openNow--;
    });
  }
}

let server: ChatServer;
let serverPeak = 0;
const figures: { what: string; value: string | number }[] = [];

beforeAll(async () => {
  server = await createChatServer({
    host: '127.0.0.1',
    port: 0,
    rateLimit: false,
    log: (event) => {
      if (event.type === 'connection') serverPeak = Math.max(serverPeak, server?.clientCount ?? 0);
    },
  });
});

afterAll(async () => {
  restore();
  await server.close();
  recordFigures('Leaks: 1000 mount/unmount cycles of ChatProvider', 'npm test', figures);
});

function Chat({ name }: { name: string }) {
  return (
    <ChatProvider
      url={server.url}
      username={name}
      WebSocket={CountingWebSocket as unknown as typeof WebSocket}
      heartbeat={heartbeat({ interval: 60_000 })}
    >
      <div className="rwc-chat">
        <ConnectionStatus />
        <UserList />
      </div>
    </ChatProvider>
  );
}

/** The server's view of one socket: resolves when the page's socket reached `open` (or closed first). */
function socketSettled(socket: WsWebSocket): Promise<void> {
  if (socket.readyState !== WsWebSocket.CONNECTING) return Promise.resolve();
  return new Promise((resolve) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('close', () => resolve());
  });
}

/** Wait for `condition`, polling with the original (untracked) setTimeout; rejects after 10 s. */
function until(condition: () => boolean, what: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else originals.setTimeout(poll, 5);
    };
    poll();
  });
}

async function cycles(strict: boolean): Promise<void> {
  const createdBefore = created;
  const totalBefore = server.stats().totalConnections;
  // A warm-up mount, so that lazily created module-level timers (if any) are part of the baseline.
  const warm = render(<Chat name="warm" />, { reactStrictMode: strict });
  warm.unmount();
  await until(() => server.clientCount === 0 && openNow === 0, 'the warm-up socket to close');
  const baseline = outstanding();
  const started = performance.now();
  const phases = { mount: 0, wait: 0, unmount: 0 };
  let lastSocket: WsWebSocket | null = null;
  const spy = vi.spyOn(CountingWebSocket.prototype, 'send');
  for (let i = 0; i < CYCLES; i++) {
    const before = created;
    let t = performance.now();
    const view = render(<Chat name={`user${i % 50}`} />, { reactStrictMode: strict });
    phases.mount += performance.now() - t;
    t = performance.now();
    // Exactly one socket per provider, StrictMode's double mount included.
    expect(created - before).toBe(1);
    // Vary when the unmount comes: at once (handshake under way), after open, after the server's id.
    const mode = i % 3;
    const socket = [...opened].at(-1) ?? null;
    if (mode > 0) {
      const pending = lastSocket === socket ? null : socket;
      if (pending) await socketSettled(pending);
      else await new Promise<void>((resolve) => setImmediate(resolve));
      if (mode === 2) await act(async () => {});
    }
    lastSocket = socket;
    phases.wait += performance.now() - t;
    t = performance.now();
    view.unmount();
    phases.unmount += performance.now() - t;
  }
  spy.mockRestore();
  console.log(
    '[reliability] leak phases (ms)',
    JSON.stringify(phases, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v)),
  );
  // Everything the cycles opened closes: at the server, on this side, and no timer or listener stays.
  // (Polled with untracked timers, so that the wait itself is not counted.)
  await until(() => server.clientCount === 0, 'no socket open at the server').catch(() => undefined);
  await until(() => openNow === 0, 'no socket open on the client side').catch(() => undefined);
  await until(() => JSON.stringify(outstanding()) === JSON.stringify(NOTHING), 'timers and listeners back to the baseline').catch(
    () => undefined,
  );
  expect(server.clientCount).toBe(0);
  expect(openNow).toBe(0);
  expect(outstanding()).toEqual(NOTHING);
  expect(baseline.intervals + baseline.online + baseline.offline).toBe(0);
  const seconds = (performance.now() - started) / 1000;
  expect(created - createdBefore).toBe(CYCLES + 1);
  const connections = server.stats().totalConnections - totalBefore;
  const label = strict ? 'StrictMode' : 'plain';
  figures.push(
    { what: `${label}: mounts / sockets made`, value: `${CYCLES} / ${created - createdBefore - 1}` },
    { what: `${label}: connections the server accepted`, value: connections },
    {
      what: `${label}: open at the server / timers / online+offline listeners after`,
      value: `${server.clientCount} / ${outstanding().timers + outstanding().intervals} / ${outstanding().online + outstanding().offline}`,
    },
    { what: `${label}: time`, value: `${seconds.toFixed(1)} s` },
  );
}

describe('mount/unmount leaks against the real server', () => {
  beforeAll(() => instrument());

  it(`${CYCLES} cycles leave no socket, timer or listener`, { timeout: 180_000 }, async () => {
    await cycles(false);
  });

  it(`${CYCLES} cycles under StrictMode leave no socket, timer or listener`, { timeout: 180_000 }, async () => {
    await cycles(true);
    figures.push({ what: 'most sockets open at once (server / client side)', value: `${serverPeak} / ${peakOpen}` });
  });
});
