// globalSetup of the `browser` project: a real `ws` server on 127.0.0.1 that the browser tests
// reach with Chromium's own WebSocket. Paths choose its behaviour:
//   /echo                   echoes every frame; selects the first offered sub-protocol
//   /no-protocol            selects no sub-protocol whatever is offered
//   /close?code=C&reason=R  closes with C and R right after the connection opens
//   /flood?n=N              sends N JSON frames {"i":0..N-1} at once after open
//   /flaky?key=K&refuse=N   refuses (HTTP 503) every other handshake for K (the 1st, 3rd, ...) among
//                           its first N, then accepts every one: a flapping, overloaded server
//   /stats?key=K            sends {"handshakes":H,"closes":[codes]} for K and closes (not counted)
// Any path counts its handshakes (every upgrade request, accepted or not) and the close codes it
// received under `?key=K`, for /stats.
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
  const stats = new Map<string, { handshakes: number; closes: number[] }>();
  const statsOf = (key: string) => {
    const entry = stats.get(key) ?? { handshakes: 0, closes: [] };
    stats.set(key, entry);
    return entry;
  };
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: true,
    verifyClient: ({ req }, accept) => {
      const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
      const key = url.searchParams.get('key');
      if (key === null || url.pathname === '/stats') return accept(true);
      const count = ++statsOf(key).handshakes;
      const flapping = url.pathname === '/flaky' && count <= Number(url.searchParams.get('refuse') ?? '0');
      accept(!(flapping && count % 2 === 1), 503);
    },
    handleProtocols: (protocols, request) => {
      if (request.url?.startsWith('/no-protocol')) return false;
      const [first] = protocols;
      return first ?? false;
    },
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'ws://127.0.0.1');
    const key = url.searchParams.get('key');
    if (url.pathname === '/stats') {
      socket.send(JSON.stringify(statsOf(key ?? '')));
      socket.close(1000);
      return;
    }
    if (key !== null) socket.on('close', (code) => statsOf(key).closes.push(code));
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
