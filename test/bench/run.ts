// `npm run bench` (full: results in test/bench/results.md and results.json) and
// `npm run bench -- --short` (tiny sizes, one repeat: checks that the benchmark works; results in
// a temporary directory unless --out is given). Method and options: test/bench/README.md.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { buildPages, serveStatic, VARIANTS } from './lib/build.ts';
import { catchUpServerOptions, measureCatchUp } from './lib/catchUpScenarios.ts';
import { describeFanout, describeFlood, describeSteady } from './lib/describe.ts';
import { FANOUT_TARGETS, measureFanout, type FanoutRun } from './lib/fanout.ts';
import { launchBenchBrowser } from './lib/cdp.ts';
import { startFeed } from './lib/feed.ts';
import { REPO_ROOT } from './lib/paths.ts';
import { createProfiler, type ProfileSummary } from './lib/profile.ts';
import { evaluateTargets, toMarkdown, type BenchMeta, type BenchResults } from './lib/report.ts';
import {
  measureFlood,
  measureRenders,
  measureSteady,
  unfinishedFlood,
  type BenchContext,
  type FloodRun,
  type RendersRun,
  type SteadyRun,
} from './lib/scenarios.ts';
import { measureSizes } from './lib/sizes.ts';

export interface BenchOptions {
  readonly short: boolean;
  readonly repeats: number;
  readonly historyRepeats: number;
  /** Directory for results.md and results.json. */
  readonly out: string;
  /** Profile the kit (and the limit page) under the flood: 'auto' = when a kit target is missed. */
  readonly profile: 'auto' | 'always' | 'never';
  readonly variants: readonly string[];
  readonly scenarios: readonly string[];
}

const SCENARIOS = ['flood', 'steady', 'history', 'renders', 'resume', 'join', 'fanout', 'sizes'] as const;
/** The variants that speak the history extension (the catch-up scenarios run only these). */
const CATCH_UP_VARIANTS = ['limit', 'kit'];
const CONTRAST_REPEATS = 3;

function sizesFor(short: boolean): Required<BenchMeta['sizes']> {
  return short
    ? { flood: 300, steadyRate: 500, steadySeconds: 0.5, history: 600, burst: 100, keys: 3, resume: 500, join: 100 }
    : { flood: 20_000, steadyRate: 1000, steadySeconds: 5, history: 100_000, burst: 1000, keys: 10, resume: 10_000, join: 1000 };
}

/** The fan-out load (fanout/clientsProcess.ts). */
function fanoutFor(short: boolean): NonNullable<BenchMeta['fanout']> {
  return short
    ? { clients: 20, senders: 2, window: 4, warmupMs: 200, measureMs: 500, rate: 20, rateMs: 300, drainMs: 5000 }
    : { clients: 200, senders: 4, window: 20, warmupMs: 1000, measureMs: 3000, rate: 50, rateMs: 2000, drainMs: 15_000 };
}

function timeoutsFor(short: boolean): Required<BenchMeta['timeouts']> {
  return short
    ? { flood: 15_000, steady: 15_000, history: 15_000, catchUp: 15_000 }
    : { flood: 20_000, steady: 20_000, history: 60_000, catchUp: 30_000 };
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const started = performance.now();
  const loadStart = os.loadavg();
  const log = (line: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  const sizes = sizesFor(options.short);
  const timeouts = timeoutsFor(options.short);
  const wants = (scenario: string) => options.scenarios.includes(scenario);

  const buildDir = await mkdtemp(path.join(os.tmpdir(), 'rwc-bench-'));
  log(`building the pages (Vite, production) into ${buildDir}`);
  await buildPages(buildDir, [
    'prod',
    ...(wants('renders') ? (['profiling'] as const) : []),
    ...(options.profile !== 'never' && !options.short
      ? (['readable'] as const)
      : options.profile === 'always'
        ? (['readable'] as const)
        : []),
  ]);
  const web = await serveStatic(buildDir);
  const feed = await startFeed();
  const browser = await launchBenchBrowser();
  const ctx: BenchContext = { browser, web, feed, log };
  const flood: FloodRun[] = [];
  const steady: SteadyRun[] = [];
  const history: FloodRun[] = [];
  const renders: RendersRun[] = [];
  const catchUp: FloodRun[] = [];
  const fanout: FanoutRun[] = [];
  const profiles: ProfileSummary[] = [];
  try {
    log(`Chromium ${browser.version}; chat server ${feed.url}; pages ${web.url}`);
    // A variant that did not finish a scenario is not run again in that scenario: it would only
    // spend the time limit again (its first run is reported).
    const gaveUp = new Set<string>();
    // The contrast variants (plain DOM, react-use-websocket) have no targets and are slow: at most
    // CONTRAST_REPEATS repeats of the flood and the stream, one of the history.
    const skipContrast = (variant: string, repeat: number) => (variant === 'dom' || variant === 'ruw') && repeat > CONTRAST_REPEATS;
    for (let repeat = 1; repeat <= options.repeats; repeat++) {
      // Interleaved: every variant once per repeat, in a rotated order.
      const order = options.variants.map((_, i) => options.variants[(i + repeat - 1) % options.variants.length]!);
      if (wants('flood')) {
        for (const variant of order) {
          if (gaveUp.has(`flood:${variant}`) || skipContrast(variant, repeat)) continue;
          const run = await measureFlood(ctx, 'flood', variant, repeat, sizes.flood, timeouts.flood);
          flood.push(run);
          if (!run.completed) gaveUp.add(`flood:${variant}`);
          log(`flood   #${repeat} ${variant.padEnd(5)} ${describeFlood(run)}`);
        }
      }
      if (wants('steady')) {
        for (const variant of order) {
          if (gaveUp.has(`steady:${variant}`) || skipContrast(variant, repeat)) continue;
          const n = sizes.steadyRate * sizes.steadySeconds;
          const run = await measureSteady(ctx, variant, repeat, n, sizes.steadyRate, 50, timeouts.steady);
          steady.push(run);
          if (run.timedOut) gaveUp.add(`steady:${variant}`);
          log(`steady  #${repeat} ${variant.padEnd(5)} ${describeSteady(run)}`);
        }
      }
      if (wants('history') && repeat <= options.historyRepeats) {
        for (const variant of order) {
          if (gaveUp.has(`history:${variant}`)) continue;
          // The contrast variants (plain DOM, react-use-websocket) take up to the time limit each:
          // once is enough for them. The limit page and the kit, which have targets, are repeated.
          if (repeat > 1 && (variant === 'dom' || variant === 'ruw')) continue;
          if (gaveUp.has(`flood:${variant}`)) {
            // One that could not take the smaller flood is not given the history.
            history.push(
              unfinishedFlood('history', variant, repeat, sizes.history, {
                timedOut: false,
                lost: 0,
                relayMs: 0,
                failure: `not run: it did not finish the ${sizes.flood.toLocaleString('en-US')}-message flood`,
              }),
            );
            gaveUp.add(`history:${variant}`);
            continue;
          }
          const run = await measureFlood(ctx, 'history', variant, repeat, sizes.history, timeouts.history);
          history.push(run);
          if (!run.completed) gaveUp.add(`history:${variant}`);
          log(`history #${repeat} ${variant.padEnd(5)} ${describeFlood(run)}`);
        }
      }
    }
    // The catch-up scenarios (issue 15): the limit page and the kit, interleaved per repeat.
    const catchUpVariants = options.variants.filter((v) => CATCH_UP_VARIANTS.includes(v));
    const serverOptions = catchUpServerOptions(sizes.resume, sizes.join);
    for (const scenario of (['resume', 'join'] as const).filter((s) => wants(s))) {
      for (let repeat = 1; repeat <= options.repeats; repeat++) {
        const order = catchUpVariants.map((_, i) => catchUpVariants[(i + repeat - 1) % catchUpVariants.length]!);
        for (const variant of order) {
          const n = scenario === 'resume' ? sizes.resume : sizes.join;
          const run = await measureCatchUp(ctx, scenario, variant, repeat, n, timeouts.catchUp, serverOptions);
          catchUp.push(run);
          log(`${scenario.padEnd(7)} #${repeat} ${variant.padEnd(5)} ${describeFlood(run)}`);
        }
      }
    }
    // The fan-out (issue 16): no browser; servers and clients in their own processes.
    if (wants('fanout')) {
      for (let repeat = 1; repeat <= options.repeats; repeat++) {
        const order = FANOUT_TARGETS.map((_, i) => FANOUT_TARGETS[(i + repeat - 1) % FANOUT_TARGETS.length]!);
        for (const target of order) {
          const run = await measureFanout(target, repeat, fanoutFor(options.short));
          fanout.push(run);
          log(`fanout  #${repeat} ${target.padEnd(6)} ${describeFanout(run)}`);
        }
      }
    }
    if (wants('renders')) {
      for (const variant of options.variants.filter((v) => v === 'kit' || v === 'ruw')) {
        const run = await measureRenders(ctx, variant, sizes.burst, sizes.keys, timeouts.flood);
        renders.push(run);
        log(
          `renders ${variant.padEnd(5)} burst ${JSON.stringify(run.burstCounts)} keys ${JSON.stringify(run.keyCounts)}${run.failure ? ` ${run.failure}` : ''}`,
        );
      }
    }
    let sizeResults: Awaited<ReturnType<typeof measureSizes>> = [];
    if (wants('sizes')) {
      sizeResults = await measureSizes();
      for (const size of sizeResults) log(`size    ${size.name}: ${size.minified} B minified, ${size.gzip} B gzip`);
    }

    const meta = (): BenchMeta => ({
      date: new Date().toISOString(),
      mode: options.short ? 'short' : 'full',
      repeats: options.repeats,
      historyRepeats: Math.min(options.repeats, options.historyRepeats),
      sizes,
      timeouts,
      chromium: browser.version,
      node: process.version,
      cpus: os.cpus().length,
      loadavg: { start: loadStart, end: os.loadavg() },
      durationMs: performance.now() - started,
      variants: options.variants,
      ...(wants('fanout') && { fanout: fanoutFor(options.short) }),
    });
    let partial = { meta: meta(), flood, steady, history, renders, catchUp, fanout, sizes: sizeResults, profiles };
    let targets = evaluateTargets(partial);
    // Where a kit target of the flood or the stream is missed, profile the kit (and the limit page,
    // for comparison) in that scenario: one extra run each, not counted in the tables.
    const missed = (group: string) => targets.some((t) => t.group === group && t.pass === false);
    const profileScenarios =
      options.profile === 'always'
        ? ['flood', 'steady']
        : options.profile === 'auto' && !options.short
          ? [...(missed('Flood') ? ['flood'] : []), ...(missed('Steady stream') ? ['steady'] : [])]
          : [];
    for (const scenario of profileScenarios.filter((s) => wants(s))) {
      // The limit page's profile is the per-message baseline of the flood; in the stream the table says enough.
      const profiled = scenario === 'flood' ? ['kit', 'limit'] : ['kit'];
      for (const variant of profiled.filter((v) => options.variants.includes(v))) {
        log(`profiling the ${variant} page: ${scenario}`);
        const n = scenario === 'flood' ? sizes.flood : sizes.steadyRate * sizes.steadySeconds;
        const profiler = createProfiler(browser.session, variant, scenario, n);
        const summaryLine =
          scenario === 'flood'
            ? describeFlood(await measureFlood(ctx, 'flood', variant, 0, n, timeouts.flood, { profile: profiler }))
            : describeSteady(await measureSteady(ctx, variant, 0, n, sizes.steadyRate, 50, timeouts.steady, { profile: profiler }));
        const summary = profiler.summary();
        if (summary) profiles.push(summary);
        log(
          `profile ${scenario} ${variant}: ${summaryLine}; top: ${summary?.functions
            .slice(0, 5)
            .map((f) => `${f.name} ${f.ms.toFixed(0)} ms`)
            .join(', ')}`,
        );
      }
    }
    // The resume scenario, likewise: one profiled run of the kit and the limit page.
    const resumeMissed = targets.some((t) => t.group.startsWith('Resume') && t.pass === false);
    if (wants('resume') && (options.profile === 'always' || (options.profile === 'auto' && !options.short && resumeMissed))) {
      for (const variant of CATCH_UP_VARIANTS.filter((v) => options.variants.includes(v))) {
        log(`profiling the ${variant} page: resume`);
        const profiler = createProfiler(browser.session, variant, 'resume', sizes.resume);
        const run = await measureCatchUp(ctx, 'resume', variant, 0, sizes.resume, timeouts.catchUp, serverOptions, { profile: profiler });
        const summary = profiler.summary();
        if (summary) profiles.push(summary);
        log(
          `profile resume ${variant}: ${describeFlood(run)}; top: ${summary?.functions
            .slice(0, 5)
            .map((f) => `${f.name} ${f.ms.toFixed(0)} ms`)
            .join(', ')}`,
        );
      }
    }
    // The fan-out: where a target is missed, one profiled run of the slower side (V8 sampling profiles of the server processes over the measured window).
    const fanoutMissed = targets.filter((t) => t.group === 'Fan-out' && t.pass === false).map((t) => t.target);
    if (wants('fanout') && !options.short && options.profile !== 'never') {
      const profiled = new Set<'memory' | 'redis3'>(options.profile === 'always' ? ['memory', 'redis3'] : []);
      if (fanoutMissed.some((t) => t.includes('in memory ≥'))) profiled.add('memory');
      if (fanoutMissed.some((t) => t.includes('over Redis'))) profiled.add('redis3');
      for (const target of profiled) {
        log(`profiling the fan-out: ${target}`);
        const run = await measureFanout(target, 0, fanoutFor(false), { profile: true });
        fanout.push(run);
        log(
          `profile fanout ${target}: ${describeFanout(run)}; top: ${run.profile
            ?.slice(0, 6)
            .map((f) => `${f.name} ${f.percent.toFixed(1)}%`)
            .join(', ')}`,
        );
      }
      if (profiled.size > 0) {
        partial = { ...partial, meta: meta() };
        targets = evaluateTargets(partial);
      }
    }
    if (profiles.length > 0) {
      partial = { meta: meta(), flood, steady, history, renders, catchUp, fanout, sizes: sizeResults, profiles };
      targets = evaluateTargets(partial);
    }
    const results: BenchResults = { ...partial, meta: meta(), targets };
    await mkdir(options.out, { recursive: true });
    await writeFile(path.join(options.out, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
    await writeFile(path.join(options.out, 'results.md'), toMarkdown(results));
    log(`results: ${path.join(options.out, 'results.md')} and results.json`);
    return results;
  } finally {
    await browser.close().catch(() => {});
    await feed.close().catch(() => {});
    await web.close().catch(() => {});
    await rm(buildDir, { recursive: true, force: true });
  }
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      short: { type: 'boolean', default: false },
      repeats: { type: 'string' },
      'history-repeats': { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string', default: 'auto' },
      variants: { type: 'string' },
      scenarios: { type: 'string' },
    },
    strict: true,
  });
  const short = values.short ?? false;
  const repeats = Number(values.repeats ?? (short ? 1 : 5));
  const profile = values.profile as BenchOptions['profile'];
  if (!['auto', 'always', 'never'].includes(profile)) throw new Error('--profile is auto, always or never');
  const variants = values.variants ? values.variants.split(',') : [...VARIANTS];
  for (const v of variants)
    if (!(VARIANTS as readonly string[]).includes(v)) throw new Error(`unknown variant ${v} (${VARIANTS.join(', ')})`);
  if (!variants.includes('limit')) variants.unshift('limit'); // ratios need it
  const scenarios = values.scenarios ? values.scenarios.split(',') : [...SCENARIOS];
  for (const s of scenarios)
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s} (${SCENARIOS.join(', ')})`);
  return {
    short,
    repeats,
    historyRepeats: Number(values['history-repeats'] ?? (short ? 1 : 3)),
    out: values.out ? path.resolve(values.out) : short ? path.join(os.tmpdir(), 'rwc-bench-short') : path.join(REPO_ROOT, 'test/bench'),
    profile,
    variants,
    scenarios,
  };
}

/** `--rerender`: write results.md again from results.json (after a change of the report's layout). */
async function rerender(out: string): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const saved = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as BenchResults;
  const results: BenchResults = { ...saved, targets: evaluateTargets(saved) };
  await writeFile(path.join(out, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  await writeFile(path.join(out, 'results.md'), toMarkdown(results));
  console.log(`rewrote ${path.join(out, 'results.md')}`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('test/bench/run.ts')) {
  const rerendering = process.argv.includes('--rerender');
  const options = parseBenchArgs(process.argv.slice(2).filter((arg) => arg !== '--rerender'));
  if (rerendering) {
    rerender(options.out).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  } else {
    runBench(options).then(
      (results) => {
        console.log(`\n${toMarkdown(results)}`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
}
