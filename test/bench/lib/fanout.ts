// The fan-out benchmark (issue 16): 200 clients on loopback, one room, four servers in one run:
// `bare` (ws's broadcast loop: the limit), `memory` (the reference server), `redis3` (3 reference
// servers over one real redis-server, the clients spread over them) and `mdn` (the stand-in for
// MDN's sample server). Each server runs in its own process, the clients in another
// (fanout/clientsProcess.ts: the load and what it measures), so that the clients' CPU is not the
// server's; the server processes' CPU time (and redis-server's) is read from /proc over the
// measured window. Results: ratios of delivered messages per second, p99 delivery latency at a
// fixed rate, server CPU per delivery.
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import type { FanoutClientConfig, FanoutClientResult } from '../fanout/clientsProcess.ts';
import type { FanoutServerKind } from '../fanout/serverProcess.ts';
import { REPO_ROOT } from './paths.ts';

export const FANOUT_TARGETS = ['bare', 'memory', 'redis3', 'mdn'] as const;
export type FanoutTarget = (typeof FANOUT_TARGETS)[number];

export interface FanoutRun {
  readonly target: FanoutTarget;
  readonly repeat: number;
  readonly result: FanoutClientResult | null;
  /** CPU time (ms) of the server processes (and redis-server) in the closed loop's measured window. */
  readonly serverCpuMs: number | null;
  /** The closed loop's window, from the clients' side (s): CPU per second of it is `serverCpuMs / 1000 / windowSeconds`. */
  readonly failure?: string;
  /** Where the server processes spent the measured window (profiled runs only): self time by function. */
  readonly profile?: readonly { name: string; ms: number; percent: number }[];
}

const DIR = path.join(REPO_ROOT, 'test/bench/fanout');
const CLOCK_TICK_MS = 10; // Linux USER_HZ: 100 ticks per second (`getconf CLK_TCK`).

/** utime + stime of process `pid`, in ms (/proc/PID/stat fields 14 and 15). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

function forkTs(file: string, args: string[]): ChildProcess {
  return fork(path.join(DIR, file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function nextMessage<T>(child: ChildProcess, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer in ${timeoutMs} ms`)), timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: exited (${code})`));
    });
  });
}

async function startServer(kind: FanoutServerKind, redis: string | undefined): Promise<{ child: ChildProcess; url: string }> {
  const child = forkTs('serverProcess.ts', redis ? [kind, redis] : [kind]);
  const reply = await nextMessage<{ url?: string; error?: string }>(child, 30_000, `the ${kind} server`);
  if (!reply.url) throw new Error(`the ${kind} server did not start: ${reply.error}`);
  return { child, url: reply.url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Self time by function in `profiles` (the server processes of one run), summed; idle left out. */
function summarizeProfiles(profiles: readonly CpuProfile[]): { name: string; ms: number; percent: number }[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const names = new Map(
      profile.nodes.map((node) => {
        const { functionName, url, lineNumber } = node.callFrame;
        const file = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(src|test)\//, '$1/');
        return [node.id, `${functionName || '(anonymous)'}${url ? ` ${file}:${lineNumber + 1}` : ''}`];
      }),
    );
    profile.samples.forEach((id, i) => {
      const name = names.get(id)!;
      if (name === '(idle)') return;
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      self.set(name, (self.get(name) ?? 0) + ms);
      total += ms;
    });
  }
  return [...self]
    .map(([name, ms]) => ({ name, ms, percent: total > 0 ? (100 * ms) / total : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 25);
}

/** One measurement of `target`: start its server processes, run the clients process, stop everything. */
export async function measureFanout(
  target: FanoutTarget,
  repeat: number,
  config: Omit<FanoutClientConfig, 'urls'>,
  options: { profile?: boolean } = {},
): Promise<FanoutRun> {
  let redis: RedisServer | null = null;
  const servers: ChildProcess[] = [];
  let clients: ChildProcess | null = null;
  try {
    const urls: string[] = [];
    if (target === 'redis3') {
      redis = await startRedis();
      for (const server of await Promise.all([0, 1, 2].map(() => startServer('redis', redis!.url)))) {
        servers.push(server.child);
        urls.push(server.url);
      }
    } else {
      const server = await startServer(target, undefined);
      servers.push(server.child);
      urls.push(server.url);
    }
    const pids = [...servers.map((child) => child.pid!), ...(redis?.pid ? [redis.pid] : [])];
    const serverCpu = () => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    clients = forkTs('clientsProcess.ts', []);
    let cpuAtStart = 0;
    // Profiled runs: each server process profiles itself over the measured window.
    const profiles: Promise<CpuProfile>[] = [];
    const profileOf = (child: ChildProcess) =>
      new Promise<CpuProfile>((resolve) => {
        const listener = (message: { profile?: CpuProfile }) => {
          if (!message.profile) return;
          child.off('message', listener);
          resolve(message.profile);
        };
        child.on('message', listener);
      });
    let serverCpuMs: number | null = null;
    const result = await new Promise<FanoutClientResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the clients did not finish in 180 s')), 180_000);
      clients!.on('message', (message: { event?: string; result?: FanoutClientResult; error?: string }) => {
        if (message.event === 'window-start') {
          cpuAtStart = serverCpu();
          if (options.profile) for (const server of servers) server.send('profile-start');
        } else if (message.event === 'window-end') {
          serverCpuMs = serverCpu() - cpuAtStart;
          if (options.profile)
            for (const server of servers) {
              profiles.push(profileOf(server));
              server.send('profile-stop');
            }
        } else if (message.result) {
          clearTimeout(timer);
          resolve(message.result);
        } else if (message.error) {
          clearTimeout(timer);
          reject(new Error(message.error));
        }
      });
      clients!.once('exit', (code) => {
        if (code !== 0) reject(new Error(`the clients process exited (${code})`));
      });
      const run: FanoutClientConfig = { ...config, urls };
      clients!.send({ run });
    });
    const profile = options.profile ? summarizeProfiles(await Promise.all(profiles)) : undefined;
    for (const server of servers) await stop(server);
    return { target, repeat, result, serverCpuMs, ...(result.failure && { failure: result.failure }), ...(profile && { profile }) };
  } catch (error) {
    return { target, repeat, result: null, serverCpuMs: null, failure: String(error instanceof Error ? error.message : error) };
  } finally {
    clients?.kill('SIGKILL');
    for (const server of servers) server.kill('SIGKILL');
    await redis?.dispose();
  }
}
