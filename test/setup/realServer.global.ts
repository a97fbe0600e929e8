// globalSetup of the `browser` project: a real `ws` server on 127.0.0.1 that the browser tests
// reach with Chromium's own WebSocket. Paths choose its behaviour:
//   /echo                   echoes every frame; selects the first offered sub-protocol
//   /no-protocol            selects no sub-protocol whatever is offered
//   /close?code=C&reason=R  closes with C and R right after the connection opens
//   /flood?n=N              sends N JSON frames {"i":0..N-1} at once after open
import type { TestProject } from 'vitest/node';
import { WebSocketServer } from 'ws';

declare module 'vitest' {
  export interface ProvidedContext {
    realServerPort: number;
    /** A port on which nothing listens, for connection failures. */
    closedPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: true,
    handleProtocols: (protocols, request) => {
      if (request.url?.startsWith('/no-protocol')) return false;
      const [first] = protocols;
      return first ?? false;
    },
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'ws://127.0.0.1');
    if (url.pathname === '/close') {
      socket.close(Number(url.searchParams.get('code')), url.searchParams.get('reason') ?? '');
    } else if (url.pathname === '/flood') {
      const n = Number(url.searchParams.get('n') ?? '0');
      for (let i = 0; i < n; i++) socket.send(JSON.stringify({ i }));
    } else {
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    }
  });

  // Reserve a port, then free it: connecting there fails.
  const spare = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => spare.once('listening', resolve));
  const closedPort = (spare.address() as { port: number }).port;
  await new Promise<void>((resolve) => spare.close(() => resolve()));

  project.provide('realServerPort', (server.address() as { port: number }).port);
  project.provide('closedPort', closedPort);
  return () =>
    new Promise<void>((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    });
}
