// The scenario of the several-node tests, short (npm test) and long (the reliability suite): nodes
// in processes of their own over a real redis-server, the kit's own clients spread over them by a
// round-robin `url`, every client talking, and faults during the traffic (a node SIGKILLed, its
// clients reconnecting to the others; or Redis restarted). Then: every client shows every message
// exactly once, the messages of the others in the room's one order (`seq`, the same at every
// client), its own name, and the same user list as everyone, all the room's users.
import { expect } from 'vitest';

import { type ChatCluster, startCluster } from './chatCluster.ts';
import { KitClient } from './kitClient.ts';
import type { RedisServer } from './redisServer.ts';

export interface ClusterTrafficOptions {
  readonly redis: RedisServer;
  readonly nodes: number;
  readonly clients: number;
  /** Messages each client writes. */
  readonly rounds: number;
  /** One message every this many ms (the clients in turn). */
  readonly every: number;
  /** The nodes' lease (ms). */
  readonly lease: number;
  /**
   * Faults during the traffic, each after an equal share of it: a node SIGKILLed (`kill`; `kill+respawn`:
   * and a new one started in its place once the list converged), or Redis restarted with its data.
   */
  readonly faults: readonly ('kill' | 'kill+respawn' | 'redis')[];
  /** How long every wait may take (ms). */
  readonly timeout: number;
}

export interface ClusterTrafficFigures {
  readonly messages: number;
  /** Messages checked: each message at each client. */
  readonly checked: number;
  readonly kills: number;
  /** Clients whose node was killed under them (counted at each kill). */
  readonly moved: number;
  readonly redisRestarts: number;
  /** Connections the clients lost (all of them, each client's closes). */
  readonly closes: number;
  /** Of them, closed with 1013 (Redis unavailable). */
  readonly closes1013: number;
  /** For each kill, the time (ms) until every client was back and listed exactly the room's users again. */
  readonly convergedMs: readonly number[];
  /** Times a node found its own lease had run out (it stalled past it) and closed its connections. */
  readonly leaseExpiries: number;
  readonly gaps: number;
}

/** Wait until `check()` holds, polling; fails with `label` after `ms`. */
export async function until(check: () => boolean, label: string, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sorted = (names: readonly (string | null)[]) => [...names].map(String).sort();

/** Every client lists exactly `names`, once each. */
function listsConverged(clients: readonly KitClient[], names: readonly string[]): boolean {
  const expected = JSON.stringify(sorted(names));
  return clients.every((c) => JSON.stringify(sorted(c.state.users)) === expected);
}

/** Run the scenario; asserts as it goes, and answers its figures. */
export async function runClusterTraffic(options: ClusterTrafficOptions): Promise<ClusterTrafficFigures> {
  const { redis, clients: count, rounds, every, lease, faults, timeout } = options;
  let cluster: ChatCluster | null = null;
  let leaseExpiries = 0;
  const clients: KitClient[] = [];
  try {
    cluster = await startCluster(redis.url, options.nodes, lease, (_, event) => {
      if (event.type === 'redis' && String((event as { detail?: unknown }).detail).includes('lease')) leaseExpiries++;
    });
    const running = cluster;
    for (let i = 0; i < count; i++) clients.push(new KitClient(() => running.url(), `u${i}`));
    const names = clients.map((c) => c.name);
    await until(() => clients.every((c) => c.ready), 'every client signed in', timeout);
    await until(() => listsConverged(clients, names), 'one user list everywhere', timeout);

    const total = count * rounds;
    const sent: string[] = [];
    const convergedMs: number[] = [];
    let kills = 0;
    let moved = 0;
    let redisRestarts = 0;
    const faultAt = faults.map((_, i) => Math.floor((total * (i + 1)) / (faults.length + 1)));
    for (let i = 0; i < total; i++) {
      const client = clients[i % count] as KitClient;
      const text = `${client.name}:${Math.floor(i / count)}`;
      client.store.send(text);
      sent.push(text);
      const fault = faults[faultAt.indexOf(i)];
      if (fault === 'kill' || fault === 'kill+respawn') {
        // The living node with the most clients (a new node in a killed one's place has none until some reconnect).
        const portOf = (c: KitClient) => Number(new URL(c.client.getSnapshot().url ?? 'ws://x:1').port);
        const on = (index: number) => clients.filter((c) => portOf(c) === running.nodes[index]?.port);
        const victim = [...running.alive].sort((x, y) => on(y).length - on(x).length)[0] as number;
        const cut = on(victim).map((c) => [c, c.closes.length] as const);
        expect(cut.length, 'clients on the node killed').toBeGreaterThan(0);
        moved += cut.length;
        const killed = performance.now();
        await running.kill(victim);
        kills++;
        // Its clients saw their connection drop, are back on the others (under their names: a rejoin
        // takes the dead node's entry's place) and every client lists the room's users again.
        const back = () => cut.every(([c, closes]) => c.closes.length > closes && c.ready);
        await until(() => back() && listsConverged(clients, names), 'the user list after the kill', timeout);
        convergedMs.push(Math.round(performance.now() - killed));
        if (fault === 'kill+respawn') await running.respawn(victim);
      } else if (fault === 'redis') {
        await redis.stop({ save: true });
        await redis.restart();
        redisRestarts++;
      }
      await new Promise((resolve) => setTimeout(resolve, every));
    }

    await until(() => clients.every((c) => c.unconfirmed === 0), 'every message confirmed', timeout);
    await until(() => clients.every((c) => c.texts().length >= total), 'every message everywhere', timeout);
    await until(() => listsConverged(clients, names), 'one user list at the end', timeout);

    const seqOf = new Map<string, number>();
    const all = [...sent].sort();
    for (const c of clients) {
      const texts = c.texts();
      // Exactly once each, none missing, under its own name.
      expect([...texts].sort(), `${c.name}'s messages`).toEqual(all);
      expect(c.state.username).toBe(c.name);
      for (const text of texts) {
        const came = c.seqOf.get(text) ?? [];
        // Never twice on one connection (live and in a catch-up), always under one seq.
        expect(came.length, `${c.name}: ${text} came`).toBeGreaterThan(0);
        expect(new Set(came.map((t) => t.connection)).size, `${c.name}: ${text} on one connection`).toBe(came.length);
        expect(new Set(came.map((t) => t.seq)).size, `${c.name}: ${text}'s seq`).toBe(1);
        const seq = came[0]?.seq as number;
        expect(seqOf.get(text) ?? seq, `the seq of ${text}`).toBe(seq);
        seqOf.set(text, seq);
      }
      // The others' messages in the room's order (its own stand where it wrote them).
      const others = texts.filter((text) => !text.startsWith(`${c.name}:`)).map((text) => seqOf.get(text) as number);
      expect(others, `${c.name}'s order`).toEqual([...others].sort((a, b) => a - b));
    }
    const closes = clients.flatMap((c) => c.closes);
    return {
      messages: total,
      checked: total * count,
      kills,
      moved,
      redisRestarts,
      closes: closes.length,
      closes1013: closes.filter((code) => code === 1013).length,
      convergedMs,
      leaseExpiries,
      gaps: clients.reduce((sum, c) => sum + c.state.entries.filter((e) => e.kind === 'gap').length, 0),
    };
  } finally {
    for (const c of clients) c.dispose();
    await cluster?.dispose();
  }
}
