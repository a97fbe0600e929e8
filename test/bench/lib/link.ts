// A TCP link between a page and the chat server that the runner can cut, as a network drop would:
// the resume scenario cuts it while the page is held, so that the page finds its socket dropped
// (1006) and the server finds the connection gone, and neither side is told by the other. New
// connections (the page's reconnect) go through as before.
import { createServer, Socket, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttableLink {
  /** `ws://127.0.0.1:PORT`: the server, through the link. */
  readonly url: string;
  /** Drop every connection open now, both ways (a reset to the page, a close to the server). */
  cut(): void;
  close(): Promise<void>;
}

/** Forward 127.0.0.1:(a free port) to 127.0.0.1:`port`, bytes as they come (no delay). */
export async function startLink(port: number): Promise<CuttableLink> {
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on('error', drop);
      socket.on('close', drop);
    }
    upstream.connect(port, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  const cut = () => {
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    url: `ws://127.0.0.1:${own}`,
    cut,
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
