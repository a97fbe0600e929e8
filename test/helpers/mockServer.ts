import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import type { WebSocketConstructor } from '../../src/core/index.js';

let nextPort = 41000;

/** mock-socket's WebSocket typed as the core expects, plus a record of every socket it created. */
export function createSocketFactory() {
  const created: WebSocket[] = [];
  /** For each socket made, how many made before it were not yet CLOSED (0: never two at once). */
  const overlaps: number[] = [];
  class RecordingWebSocket extends MockWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      overlaps.push(created.filter((socket) => socket.readyState !== 3).length);
      created.push(this as unknown as WebSocket);
    }
  }
  return { WebSocket: RecordingWebSocket as unknown as WebSocketConstructor, created, overlaps };
}

export interface MockServerOptions {
  /** Choose the sub-protocol from those offered; return '' for none. */
  selectProtocol?: (protocols: string[]) => string | null;
}

/**
 * A mock-socket server on a URL of its own, that does not replace the global WebSocket, and keeps
 * what it received and who is connected.
 */
export function createMockServer(options: MockServerOptions = {}) {
  const url = `ws://mock.test:${nextPort++}/`;
  const server = new Server(url, { mock: false, ...options });
  const connections: Client[] = [];
  const received: unknown[] = [];
  server.on('connection', (socket) => {
    connections.push(socket);
    socket.on('message', (data) => received.push(data));
  });
  return {
    url,
    server,
    connections,
    received,
    /** The latest connection. */
    get socket(): Client {
      const socket = connections.at(-1);
      if (!socket) throw new Error('No client has connected to the mock server.');
      return socket;
    },
    /** Send to every connected client. */
    send(data: string | ArrayBuffer | Blob) {
      for (const socket of connections) if (socket.readyState === 1) socket.send(data as string);
    },
    stop() {
      server.stop();
    },
  };
}
