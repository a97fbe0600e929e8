// Start the chat server as a child process (chatServerChild.ts), read its events, kill it hard.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

export interface ServerEvent {
  readonly type: string;
  readonly id?: number;
  readonly name?: string;
  readonly code?: number;
  readonly url?: string;
  /** The sub-protocol selected (`connection`): `json`, or empty for a client offering none. */
  readonly protocol?: string;
  /** Connections open at the server when it logged the event. */
  readonly open?: number;
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly events: ServerEvent[];
  /** SIGKILL: the process dies with its sockets; the peers see no close frame. */
  kill(): Promise<void>;
  /** The server's counters (ChatServer.stats()). */
  stats(): Promise<Record<string, unknown>>;
}

/** Start the server on `port` (0: any free one) and resolve once it listens; `options`: more ChatServerOptions (JSON-able). */
export function startServerProcess(
  port: number,
  onEvent?: (event: ServerEvent) => void,
  mode: 'default' | 'soak' = 'default',
  options: Record<string, unknown> = {},
): Promise<ServerProcess> {
  const args = ['--import', 'tsx', path.join(here, 'chatServerChild.ts'), String(port), mode, JSON.stringify(options)];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const events: ServerEvent[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the chat server did not start on port ${port} within 30 s`));
      // (tsx compiles the server at each start: seconds on a busy machine.)
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the chat server exited (${code}) before listening on port ${port}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let event: ServerEvent;
      try {
        event = JSON.parse(line) as ServerEvent;
      } catch {
        return;
      }
      events.push(event);
      onEvent?.(event);
      if (event.type === 'listening') {
        clearTimeout(timer);
        const url = event.url as string;
        resolve({
          url,
          port: Number(new URL(url).port),
          events,
          stats: () =>
            new Promise((resolveStats) => {
              const from = events.length;
              const check = () => {
                const found = events.slice(from).find((e) => e.type === 'stats') as
                  | (ServerEvent & { stats: Record<string, unknown> })
                  | undefined;
                if (found) resolveStats(found.stats);
                else setTimeout(check, 10);
              };
              child.stdin?.write('stats\n');
              check();
            }),
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
  });
}
