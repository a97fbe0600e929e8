// Server under load, on loopback: 200+ concurrent clients broadcasting, while a garbage client
// (→ 1007), an oversize one (→ 1009) and a flooding one (far over the rate → 1008) are cut off with those codes; every
// normal client still receives every message, in order, and nobody else is disconnected.
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { createChatServer, type ChatServer } from '../../../src/server/index.ts';
import { recordFigures } from '../lib/figures.ts';

const CLIENTS = 220;
const SENDERS = 100;
const PER_SENDER = 10;
const TIMEOUT_MS = 60_000;

interface Client {
  readonly index: number;
  readonly socket: WebSocket;
  id: number;
  name: string;
  /** Per sender name, the last sequence number seen (messages are "name#seq"). */
  readonly last: Map<string, number>;
  received: number;
  /** Messages of the too-fast client relayed before its cut. */
  other: number;
  outOfOrder: number;
  closeCode: number | null;
}

function connect(url: string, index: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'json');
    const client: Client = { index, socket, id: 0, name: '', last: new Map(), received: 0, other: 0, outOfOrder: 0, closeCode: null };
    const timer = setTimeout(() => reject(new Error(`client ${index} got no id`)), 10_000);
    socket.on('message', (data) => {
      const packet = JSON.parse(String(data)) as { type: string; id?: number; name?: string; text?: string };
      if (packet.type === 'id') {
        client.id = packet.id as number;
        clearTimeout(timer);
        resolve(client);
      } else if (packet.type === 'message' && !(packet.text as string).includes('#')) {
        client.other++;
      } else if (packet.type === 'message') {
        const [sender, seq] = (packet.text as string).split('#') as [string, string];
        const n = Number(seq);
        if (n !== (client.last.get(sender) ?? 0) + 1) client.outOfOrder++;
        client.last.set(sender, n);
        client.received++;
      }
    });
    socket.on('close', (code) => {
      client.closeCode = code;
    });
    socket.on('error', () => {});
  });
}

function closed(client: Client): Promise<number> {
  if (client.closeCode !== null) return Promise.resolve(client.closeCode);
  return new Promise((resolve) => client.socket.once('close', (code) => resolve(code)));
}

async function until(condition: () => boolean, what: string, timeout = TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let server: ChatServer;
const all: Client[] = [];
afterAll(async () => {
  for (const client of all) client.socket.terminate();
  await server?.close();
});

describe('the reference server under load', () => {
  it(`${CLIENTS} clients broadcast while abusers are cut off with 1007, 1009 and 1008`, async () => {
    server = await createChatServer({ host: '127.0.0.1', port: 0 });
    const started = performance.now();
    const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(server.url, i)));
    all.push(...clients);
    expect(server.clientCount).toBe(CLIENTS);
    // Everyone asks for a name (one frame each, within the default rate limit of 20 per 10 s).
    for (const client of clients) {
      client.name = `load${client.index}`;
      client.socket.send(JSON.stringify({ type: 'username', name: client.name, id: client.id, date: Date.now() }));
    }
    const abusers = await Promise.all([connect(server.url, 1001), connect(server.url, 1002), connect(server.url, 1003)]);
    all.push(...abusers);
    const [garbage, oversize, tooFast] = abusers as [Client, Client, Client];
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);

    // The abuse, interleaved with the broadcast traffic.
    const senders = clients.slice(0, SENDERS);
    for (let seq = 1; seq <= PER_SENDER; seq++) {
      for (const sender of senders) {
        sender.socket.send(
          JSON.stringify({
            type: 'message',
            text: `${sender.name}#${seq}`,
            id: sender.id,
            date: Date.now(),
            nonce: `${sender.name}-${seq}`,
          }),
        );
      }
      if (seq <= 6) {
        garbage.socket.send('this is not json {');
        garbage.socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
      }
      if (seq === 3) oversize.socket.send(JSON.stringify({ type: 'message', text: 'x'.repeat(70_000), id: 0, date: 0 }));
      if (seq === 4)
        // A flood far over the rate: 20 pass, 100 may wait (maxBacklog), the next is cut with 1008.
        for (let i = 0; i < 200; i++) tooFast.socket.send(JSON.stringify({ type: 'message', text: `fast ${i}`, id: 0, date: 0 }));
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(await closed(garbage)).toBe(1007);
    expect(await closed(oversize)).toBe(1009);
    expect(await closed(tooFast)).toBe(1008);
    const expected = SENDERS * PER_SENDER;
    await until(() => clients.every((c) => c.received >= expected), `every client to receive ${expected} messages`);
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;

    // Every normal client: every message, from every sender, in order; nothing extra; still connected.
    for (const client of clients) {
      expect(client.received).toBe(expected);
      expect(client.outOfOrder).toBe(0);
      expect(client.last.size).toBe(SENDERS);
      for (const seq of client.last.values()) expect(seq).toBe(PER_SENDER);
      expect(client.closeCode).toBeNull();
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
    }
    // The fast client's flood reached nobody beyond what its bucket allowed (20 frames).
    const stats = server.stats();
    expect(stats.connections).toBe(CLIENTS);
    expect(stats.closes).toMatchObject({ 1007: 1, 1008: 1, 1009: 1 });
    expect(stats.messagesRelayed).toBeLessThanOrEqual(expected + 20);
    const fastRelayed = stats.messagesRelayed - expected;
    expect(fastRelayed).toBeGreaterThan(0);
    await until(() => clients.every((c) => c.other === fastRelayed), "the fast client's relayed messages everywhere");
    recordFigures('Server under load', 'npm run test:reliability', [
      { what: 'concurrent clients (normal + abusers)', value: `${CLIENTS} + 3` },
      { what: 'broadcast messages (senders × messages)', value: `${SENDERS} × ${PER_SENDER} = ${expected}` },
      { what: 'deliveries checked (all received, in order)', value: expected * CLIENTS },
      { what: 'abusers cut off with their codes', value: 'garbage 1007, oversize 1009, too fast 1008' },
      { what: 'too-fast client frames relayed before the cut', value: fastRelayed },
      { what: 'normal clients disconnected', value: 0 },
      { what: 'server process RSS (before / peak)', value: `${(rssBefore / 2 ** 20).toFixed(0)} / ${(rssPeak / 2 ** 20).toFixed(0)} MiB` },
      { what: 'time', value: `${seconds.toFixed(1)} s` },
    ]);
  });
});
