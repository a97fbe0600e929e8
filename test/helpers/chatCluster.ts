// Several reference servers as one room over a test's redis-server, each in a process of its own
// (test/reliability/slow/lib/chatServerChild.ts), so that a test can SIGKILL one: no close frames,
// no goodbye to Redis. `url()` stands for a load balancer with a health check: it hands out the
// living nodes' URLs in turn (a killed node leaves the rotation), which the kit's clients take as
// their `url` function, so a client whose node died reconnects to another.
import { type ServerEvent, type ServerProcess, startServerProcess } from '../reliability/slow/lib/serverProcess.ts';

export interface ChatCluster {
  readonly nodes: readonly ServerProcess[];
  /** The nodes not killed, by index. */
  readonly alive: ReadonlySet<number>;
  /** The next living node's URL (round robin): a load balancer in front of the nodes. */
  url(): string;
  /** SIGKILL node `index`; it leaves the rotation first (its health check fails). */
  kill(index: number): Promise<void>;
  /** Start a new node in the place of killed node `index` (a new process, a new node of the room), in the rotation once it listens. */
  respawn(index: number): Promise<void>;
  /** Kill every node still running. */
  dispose(): Promise<void>;
}

let rooms = 0;

/**
 * Start `count` nodes of one new room (a key of its own) on the Redis at `redisUrl`, with the
 * `lease` given (ms); `onEvent` hears every node's server events (with the node's index).
 */
export async function startCluster(
  redisUrl: string,
  count: number,
  lease: number,
  onEvent?: (node: number, event: ServerEvent) => void,
): Promise<ChatCluster> {
  const key = `cluster:${process.pid}:${++rooms}`;
  const start = (i: number) => startServerProcess(0, (event) => onEvent?.(i, event), 'default', { redis: { url: redisUrl, key, lease } });
  const starting = Array.from({ length: count }, (_, i) => start(i));
  const started = await Promise.allSettled(starting);
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((node) => node.kill()));
    throw failed.reason;
  }
  const alive = new Set(nodes.keys());
  let turn = 0;
  return {
    nodes,
    alive,
    url: () => {
      const living = [...alive];
      return (nodes[living[turn++ % living.length] as number] as ServerProcess).url;
    },
    kill: async (index) => {
      alive.delete(index);
      await nodes[index]?.kill();
    },
    respawn: async (index) => {
      nodes[index] = await start(index);
      alive.add(index);
    },
    dispose: async () => {
      const running = [...alive];
      alive.clear();
      await Promise.all(running.map((index) => nodes[index]?.kill()));
    },
  };
}
