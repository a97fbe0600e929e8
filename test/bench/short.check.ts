// The `bench` Vitest project: runs the benchmark's short mode end to end (`npm run bench -- --short`
// in a child process: Vite build, reference server, Debian's Chromium, every variant and scenario,
// bundle sizes) and checks that it works: every variant produced numbers and nothing crashed. It
// never asserts a time: those belong to the full run (test/bench/results.md).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BenchResults } from './lib/report.ts';
import { REPO_ROOT } from './lib/paths.ts';

const VARIANTS = ['limit', 'dom', 'ruw', 'kit'];
let out = '';
let results: BenchResults;
let markdown = '';

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'rwc-bench-check-'));
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'test/bench/run.ts'), '--short', '--out', out],
      { cwd: REPO_ROOT, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve()),
    );
  });
  results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as BenchResults;
  markdown = await readFile(path.join(out, 'results.md'), 'utf8');
});

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('npm run bench -- --short', () => {
  it('ran in short mode, one repeat, every variant', () => {
    expect(results.meta.mode).toBe('short');
    expect(results.meta.repeats).toBe(1);
    expect([...results.meta.variants].sort()).toEqual([...VARIANTS].sort());
  });

  it.each(['flood', 'history'] as const)('%s: every variant rendered the last message, with memory read', (scenario) => {
    for (const variant of VARIANTS) {
      const run = results[scenario].find((r) => r.variant === variant);
      expect(run, `${scenario} ${variant}`).toBeDefined();
      expect(run!.failure, `${scenario} ${variant}`).toBeUndefined();
      expect(run!.completed, `${scenario} ${variant}`).toBe(true);
      expect(run!.time, `${scenario} ${variant}`).toBeGreaterThan(0);
      expect(run!.received, `${scenario} ${variant}`).toBe(run!.n);
      expect(run!.memory?.domNodes, `${scenario} ${variant}`).toBeGreaterThan(0);
      expect(run!.memory?.heapJs, `${scenario} ${variant}`).toBeGreaterThan(0);
    }
    // The plain pages render everything they receive; the kit holds every message in its log.
    for (const variant of ['limit', 'dom', 'kit']) {
      expect(results[scenario].find((r) => r.variant === variant)!.lost, `${scenario} ${variant}`).toBe(0);
    }
  });

  it('steady: every variant measured keystrokes and frames', () => {
    for (const variant of VARIANTS) {
      const run = results.steady.find((r) => r.variant === variant);
      expect(run, variant).toBeDefined();
      expect(run!.failure, variant).toBeUndefined();
      expect(run!.keys, variant).toBeGreaterThan(0);
      expect(run!.keyP95, variant).toBeGreaterThan(0);
      expect(run!.frameGapP95, variant).toBeGreaterThan(0);
    }
  });

  it('renders: the Profiler counted the kit and react-use-websocket', () => {
    const kit = results.renders.find((r) => r.variant === 'kit');
    expect(kit?.failure).toBeUndefined();
    expect(kit?.burstCompleted).toBe(true);
    expect(kit?.burstCounts?.commits['ChatBox (Profiler)']).toBeGreaterThan(0);
    expect(kit?.burstCounts?.commits.ChatBox).toBeGreaterThan(0);
    expect(kit?.keyCounts?.commits.MessageInput).toBeGreaterThan(0);
    const ruw = results.renders.find((r) => r.variant === 'ruw');
    expect(ruw?.failure).toBeUndefined();
    expect(ruw?.burstCounts?.commits.Feed).toBeGreaterThan(0);
  });

  it.each(['resume', 'join'] as const)('%s: the kit and the limit page caught up, every message shown once', (scenario) => {
    for (const variant of ['limit', 'kit']) {
      const run = results.catchUp?.find((r) => r.scenario === scenario && r.variant === variant);
      expect(run, `${scenario} ${variant}`).toBeDefined();
      expect(run!.failure, `${scenario} ${variant}`).toBeUndefined();
      expect(run!.completed, `${scenario} ${variant}`).toBe(true);
      expect(run!.time, `${scenario} ${variant}`).toBeGreaterThan(0);
      expect([run!.lost, run!.doubled], `${scenario} ${variant}`).toEqual([0, 0]);
      // Timed from the socket's open: the catch-up frames came after it.
      expect(run!.phases?.['last history frame'], `${scenario} ${variant}`).toBeGreaterThan(0);
    }
  });

  it('fanout: every server delivered every message to every client once, in one order, and was measured', () => {
    for (const target of ['bare', 'memory', 'redis3', 'mdn']) {
      const run = results.fanout?.find((r) => r.target === target);
      expect(run?.failure, target).toBeUndefined();
      expect(run?.result?.closedLoop.deliveriesPerSecond, target).toBeGreaterThan(0);
      expect(run?.result?.fixedRate.latencyP99, target).toBeGreaterThan(0);
      expect(run?.serverCpuMs, target).toBeGreaterThanOrEqual(0);
      expect([run?.result?.lost, run?.result?.doubled, run?.result?.orderMismatches], target).toEqual([0, 0, 0]);
    }
  });

  it('sizes: every bundle was built and compressed', () => {
    expect(results.sizes.length).toBeGreaterThanOrEqual(6);
    for (const size of results.sizes) {
      expect(size.minified, size.name).toBeGreaterThan(size.gzip);
      expect(size.gzip, size.name).toBeGreaterThan(0);
    }
  });

  it('wrote the markdown report with every table and a verdict for every target', () => {
    for (const heading of [
      '## Targets',
      '## Flood',
      '## Steady stream',
      '## History',
      '## Resume',
      '## Join',
      '## Fan-out',
      '## Render counts',
      '## Bundle sizes',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(results.targets.length).toBeGreaterThanOrEqual(10);
    for (const target of results.targets) expect(typeof target.pass, target.target).toBe('boolean');
  });
});
