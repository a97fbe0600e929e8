// A real `redis-server` for the tests that need one: started on a free loopback port in a temp dir
// without persistence (`--save '' --appendonly no`), stopped after the test, restartable on the same
// port (the Redis-restart tests). It FAILS when redis-server cannot be started: never skips (.ci/run
// installs Debian's redis-server).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';
/** How long a start may take before it counts as failed. */
const START_MS = 10_000;
/** Tries at a new port when another process took the one picked between picking and binding. */
const PORT_TRIES = 5;

/** A running (or stopped, restartable) redis-server of a test. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Its directory: a restart after `stop({ save: true })` loads the data saved there. */
  readonly dir: string;
  /** The running process's id (for its CPU time: the fan-out benchmark), or undefined while stopped. */
  readonly pid: number | undefined;
  /**
   * Stop it: `kill` (default) loses its data like a crash; `save` writes it to disk first
   * (`SHUTDOWN SAVE`), so that a restart finds it again. Resolves once the process exited.
   */
  stop(how?: { readonly save?: boolean }): Promise<void>;
  /** Start it again on the same port and dir; resolves once it answers PING. */
  restart(): Promise<void>;
  /** Stop it and remove its dir. */
  dispose(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (redis-server has no `--port 0`): bound, read, released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** One RESP PING on a fresh socket: whether the server answers +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** Spawn redis-server and wait for its PING; rejects with its output when it exits or never answers. */
async function launch(command: string, port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', ''];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (data) => (output += String(data)));
  child.stderr?.on('data', (data) => (output += String(data)));
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exited (${code ?? signal})`));
  child.once('error', (error) => (exited = `could not run ${command}: ${error.message}`));
  const deadline = Date.now() + START_MS;
  while (exited === null && Date.now() < deadline) {
    if (await ping(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} ${exited ?? 'did not answer PING in time'}: ${output.slice(-2000)}`);
}

function exit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start a redis-server on a free loopback port (retrying on a port taken meanwhile); rejects, with
 * its output, when it cannot. `command`: the executable (default `$REDIS_SERVER` or `redis-server`).
 */
export async function startRedis({ command = REDIS_SERVER } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rwc-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_TRIES; attempt++) {
    const port = await freePort();
    try {
      return serverOn(command, port, dir, await launch(command, port, dir));
    } catch (error) {
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

function serverOn(command: string, port: number, dir: string, first: ChildProcess): RedisServer {
  let child: ChildProcess | null = first;
  const stop = async ({ save = false } = {}): Promise<void> => {
    const running = child;
    child = null;
    if (!running) return;
    const exited = exit(running);
    if (save) {
      const socket = new Socket();
      socket.on('error', () => {});
      socket.connect(port, '127.0.0.1', () => socket.write('SHUTDOWN SAVE\r\n'));
      await exited;
      socket.destroy();
    } else {
      running.kill('SIGKILL');
      await exited;
    }
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return child?.pid;
    },
    stop,
    restart: async () => {
      await stop();
      child = await launch(command, port, dir);
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
