// @vitest-environment node
// The sub-protocol probe as a unit, with fake sockets: its states (connecting, closing, done), one
// verdict exactly once, and never a socket left open.
import { describe, expect, it, vi } from 'vitest';
import type { WebSocketConstructor } from '../../src/core/index.js';
import { probeServer, type ProbeVerdict } from '../../src/core/probeServer.js';
import { fakeTimersPerTest } from '../helpers/fakeTimers.js';

fakeTimersPerTest();

/** A socket the test drives: it records how it was closed. */
class FakeSocket {
  static made: FakeSocket[] = [];
  readyState = 0;
  closes: unknown[][] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols?: unknown,
  ) {
    FakeSocket.made.push(this);
  }
  close(...args: unknown[]) {
    this.closes.push(args);
    if (this.readyState < 2) this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  closed() {
    this.readyState = 3;
    this.onclose?.();
  }
  failed() {
    this.readyState = 3;
    this.onerror?.();
    this.onclose?.();
  }
}

function start(timeout = 1000) {
  FakeSocket.made = [];
  const verdicts: ProbeVerdict[] = [];
  const cancel = probeServer(FakeSocket as unknown as WebSocketConstructor, 'ws://host/chat', timeout, (verdict) => verdicts.push(verdict));
  const socket = FakeSocket.made[0] as FakeSocket;
  return { cancel, socket, verdicts };
}

describe('probeServer', () => {
  it('connects once, to the URL, without sub-protocols', () => {
    const { socket } = start();
    expect(FakeSocket.made).toHaveLength(1);
    expect(socket.url).toBe('ws://host/chat');
    expect(socket.protocols).toBeUndefined();
  });

  it('closes a socket that opens with 1000 and says reachable once it has closed', () => {
    const { socket, verdicts } = start();
    socket.open();
    expect(socket.closes).toEqual([[1000, 'Protocol probe']]);
    // Not before the close: the server must never hold two sockets of one client.
    expect(verdicts).toEqual([]);
    socket.closed();
    expect(verdicts).toEqual([true]);
  });

  it('says unreachable when the socket fails, once for error and close together', () => {
    const { socket, verdicts } = start();
    socket.failed();
    expect(verdicts).toEqual([false]);
  });

  it('gives up after the timeout, closing the socket: unreachable while connecting, reachable once it opened', () => {
    const connecting = start(1000);
    vi.advanceTimersByTime(999);
    expect(connecting.verdicts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(connecting.verdicts).toEqual([false]);
    expect(connecting.socket.closes.length).toBeGreaterThan(0);

    const opened = start(1000);
    opened.socket.open();
    vi.advanceTimersByTime(1000); // its close never came (a dead link)
    expect(opened.verdicts).toEqual([true]);
  });

  it('cancels: closes the socket, says null, and nothing after that', () => {
    const { socket, cancel, verdicts } = start();
    cancel();
    expect(verdicts).toEqual([null]);
    expect(socket.closes).toEqual([[undefined, undefined]]);
    socket.failed();
    cancel();
    vi.advanceTimersByTime(5000);
    expect(verdicts).toEqual([null]);
  });

  it('throws what the constructor throws, with nothing pending', () => {
    const done = vi.fn();
    const Throwing = class {
      constructor() {
        throw new DOMException('bad', 'SyntaxError');
      }
    };
    expect(() => probeServer(Throwing as unknown as WebSocketConstructor, 'ws://x', 10, done)).toThrow('bad');
    vi.advanceTimersByTime(100);
    expect(done).not.toHaveBeenCalled();
  });
});
