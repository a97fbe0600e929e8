// @vitest-environment node
// The command line, as `npm run server` runs it (Node with tsx's loader), in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createClient } from '@redis/client';
import { afterAll, describe, it } from 'vitest';

import { roomKeys } from '../../src/server/redis/redisScripts.ts';
import { startRedis } from '../helpers/redisServer.ts';
import { TestClient } from '../helpers/referenceServer.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Each test waits for its own processes to exit; this only ends those a failed test left running.
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

/**
 * Run `node --import tsx src/server/cli.ts ARGS` (what `npm run server -- ARGS` runs: one process,
 * so signals reach the server itself), or `node src/server/bin.js ARGS`.
 */
function run(args: string[], { bin = false } = {}): Run {
  const argv = bin ? ['src/server/bin.js', ...args] : ['--import', 'tsx', 'src/server/cli.ts', ...args];
  const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const result: Run = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (result.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (result.stderr += chunk));
  return result;
}

/** The URL the CLI prints once it listens. */
function printedUrl(result: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /listening on (ws:\/\/\S+)/.exec(result.stdout);
      if (match) resolve(match[1]!);
    };
    result.child.stdout!.on('data', check);
    result.child.on('exit', () => reject(new Error(`exited before listening: ${result.stdout} ${result.stderr}`)));
    check();
  });
}

// Not concurrent: helpers.ts ends every client after each test, which would cut the clients of
// tests still running. Node + tsx start in about a second, more on a busy machine: room for that.
describe('CLI', { timeout: 20_000 }, () => {
  it('prints the actual URL, serves, and on SIGTERM closes clients with 1001 and exits 0', async ({ expect }) => {
    const cli = run(['--port', '0', '--host', '127.0.0.1']);
    const url = await printedUrl(cli);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const client = await TestClient.connect(url);
    expect(client.id).toBe(1);
    cli.child.kill('SIGTERM');
    expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(await cli.exit).toEqual({ code: 0, signal: null });
  });

  it('exits 0 on SIGINT too (through the bin launcher)', async ({ expect }) => {
    const cli = run(['--port', '0'], { bin: true });
    await printedUrl(cli);
    cli.child.kill('SIGINT');
    expect(await cli.exit).toEqual({ code: 0, signal: null });
  });

  it('--help prints the usage and exits 0; a bad port exits 2', async ({ expect }) => {
    const help = run(['--help'], { bin: true });
    const bad = run(['--port', 'abc'], { bin: true });
    expect(await help.exit).toEqual({ code: 0, signal: null });
    expect(help.stdout).toContain('--port PORT');
    expect((await bad.exit).code).toBe(2);
    expect(bad.stderr).toContain('--port must be a number');
  });

  it('--history-limit 0 runs without history (its id announces none); a bad one exits 2', async ({ expect }) => {
    const cli = run(['--port', '0', '--history-limit', '0']);
    const bad = run(['--history-limit', '1e3'], { bin: true });
    const client = await TestClient.connect(await printedUrl(cli));
    expect(client.received[0]).not.toHaveProperty('history');
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect((await bad.exit).code).toBe(2);
    expect(bad.stderr).toContain('--history-limit must be a whole number');
  });

  it('--redis URL: two processes are one room; a URL that is not redis:// exits 2, an unreachable Redis 1', async ({ expect }) => {
    const redis = await startRedis();
    try {
      const one = run(['--port', '0', '--redis', redis.url]);
      const two = run(['--port', '0', '--redis', redis.url], { bin: true });
      const bad = run(['--redis', 'http://127.0.0.1:1'], { bin: true });
      const unreachable = run(['--port', '0', '--redis', 'redis://127.0.0.1:1']);
      const [urlOne, urlTwo] = await Promise.all([printedUrl(one), printedUrl(two)]);
      const sender = await TestClient.connect(urlOne);
      const receiver = await TestClient.connect(urlTwo);
      await sender.register('ada');
      sender.sendMessage('across processes', { nonce: 'x1' });
      expect(await receiver.waitFor((p) => p.nonce === 'x1', 'the message from the other process')).toMatchObject({ name: 'ada' });
      one.child.kill('SIGTERM');
      two.child.kill('SIGTERM');
      expect(await one.exit).toEqual({ code: 0, signal: null });
      expect(await two.exit).toEqual({ code: 0, signal: null });
      expect((await bad.exit).code).toBe(2);
      expect(bad.stderr).toContain('redis must be a redis:// or rediss:// URL');
      expect((await unreachable.exit).code).toBe(1);
      expect(unreachable.stderr).toContain('cannot use Redis at redis://127.0.0.1:1');
    } finally {
      await redis.dispose();
    }
  });

  it('--redis-lease MS is the node’s lease in Redis; a bad one, or one without --redis, exits 2', async ({ expect }) => {
    const redis = await startRedis();
    try {
      const node = run(['--port', '0', '--redis', redis.url, '--redis-lease', '1200']);
      const short = run(['--redis', redis.url, '--redis-lease', '299'], { bin: true });
      const word = run(['--redis', redis.url, '--redis-lease', '2s'], { bin: true });
      const alone = run(['--redis-lease', '2000'], { bin: true });
      await printedUrl(node);
      const client = createClient({ url: redis.url });
      await client.connect();
      try {
        // The default room key; the node's lease is renewed every third of it, so it never reads more.
        const leases = (await client.sendCommand(['KEYS', `${roomKeys('rwc:room').prefix}node:*`])) as string[];
        expect(leases).toHaveLength(1);
        const left = Number(await client.sendCommand(['PTTL', leases[0]!]));
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(1200);
      } finally {
        client.destroy();
      }
      node.child.kill('SIGTERM');
      expect(await node.exit).toEqual({ code: 0, signal: null });
      for (const bad of [short, word]) {
        expect((await bad.exit).code).toBe(2);
        expect(bad.stderr).toContain('--redis-lease must be a whole number of ms, at least 300');
      }
      expect((await alone.exit).code).toBe(2);
      expect(alone.stderr).toContain('--redis-lease needs --redis');
    } finally {
      await redis.dispose();
    }
  });
});
