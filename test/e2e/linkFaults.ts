// Faults between the page and the real reference server, for the liveness tests: a TCP proxy whose
// open connections can go silent (a dead path: a NAT that forgot the flow, a phone that switched
// networks; nothing passes either way, nothing is closed), and an auth gateway (a WebSocket relay
// that checks a token in the URL and closes with 4401 when it expires, as an application's
// gateway would). New connections through either reach the server normally.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface SilenceableProxy {
  /** `ws://127.0.0.1:PORT` of the proxy. */
  readonly url: string;
  /** When each connection arrived (ms since the epoch, Node's clock). */
  readonly arrivals: number[];
  /** From now on, nothing passes on the connections open now, either way; none is closed. New ones pass. */
  silence(): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of `target` (`ws://HOST:PORT`) whose open connections {@link SilenceableProxy.silence} can kill silently. */
export async function startSilenceableProxy(target: string): Promise<SilenceableProxy> {
  const { hostname, port } = new URL(target);
  const live = new Set<[Socket, Socket]>();
  const every = new Set<Socket>();
  const arrivals: number[] = [];
  const server = createServer((client) => {
    arrivals.push(Date.now());
    const upstream = connect(Number(port), hostname);
    const pair: [Socket, Socket] = [client, upstream];
    live.add(pair);
    for (const socket of pair) {
      every.add(socket);
      socket.on('error', () => {});
      // While it passes traffic, the end of one side ends the other; once silenced, nothing does.
      socket.on('close', () => {
        if (!live.has(pair)) return;
        live.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    silence() {
      for (const [client, upstream] of live) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      live.clear();
    },
    async close() {
      for (const socket of every) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface AuthGateway {
  readonly url: string;
  /** The token of every connection that reached the server, in order. */
  readonly accepted: string[];
  /** When each was accepted (ms since the epoch, Node's clock). */
  readonly acceptedAt: number[];
  /** Connections refused (4401) for an expired token. */
  readonly refused: number;
  /** The tokens in use expire: their connections are closed with 4401, and they are refused from now on. */
  expire(): void;
  /** `tokens` are refused from now on, before any connection used them (credentials stale at page load). */
  refuse(...tokens: string[]): void;
  close(): Promise<void>;
}

/**
 * A WebSocket relay to `target` that lets through a connection whose URL carries a `token` not
 * expired, and closes with 4401 (reason "token expired") one whose token has.
 */
export async function startAuthGateway(target: string): Promise<AuthGateway> {
  const expired = new Set<string>();
  const open = new Map<WebSocket, string>();
  const accepted: string[] = [];
  const acceptedAt: number[] = [];
  let refused = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('json') ? 'json' : false) });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (page, request) => {
    const token = new URL(request.url ?? '/', 'http://gateway').searchParams.get('token') ?? '';
    if (expired.has(token)) {
      refused++;
      page.close(4401, 'token expired');
      return;
    }
    accepted.push(token);
    acceptedAt.push(Date.now());
    open.set(page, token);
    const server = new WebSocket(target, 'json');
    const early: [RawData, boolean][] = [];
    page.on('message', (data, isBinary) =>
      server.readyState === WebSocket.OPEN ? server.send(data, { binary: isBinary }) : early.push([data, isBinary]),
    );
    server.on('open', () => {
      for (const [data, isBinary] of early.splice(0)) server.send(data, { binary: isBinary });
    });
    server.on('message', (data, isBinary) => page.readyState === WebSocket.OPEN && page.send(data, { binary: isBinary }));
    server.on('close', (code) => page.readyState === WebSocket.OPEN && page.close(code === 1005 || code === 1006 ? 1011 : code));
    page.on('close', () => {
      open.delete(page);
      server.close();
    });
    for (const socket of [page, server]) socket.on('error', () => {});
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    accepted,
    acceptedAt,
    get refused() {
      return refused;
    },
    expire() {
      for (const [page, token] of open) {
        expired.add(token);
        page.close(4401, 'token expired');
      }
    },
    refuse(...tokens) {
      for (const token of tokens) expired.add(token);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}
