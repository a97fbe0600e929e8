// The results: medians over repeats, ratios to the limit page (per repeat, then the median), the
// issue's targets with pass/miss, as markdown (results.md) next to the raw runs (results.json).
import type { FanoutClientConfig } from '../fanout/clientsProcess.ts';
import type { FanoutRun } from './fanout.ts';
import type { ProfileSummary } from './profile.ts';
import type { FloodRun, RenderCounts, RendersRun, SteadyRun } from './scenarios.ts';
import { catchUpSection, catchUpTargets } from './reportCatchUp.ts';
import { fanoutSection, fanoutTargets } from './reportFanout.ts';
import type { SizeResult } from './sizes.ts';
import { KB } from './sizes.ts';
import { max, median, min } from './stats.ts';

export const VARIANT_LABELS: Record<string, string> = {
  limit: '(a) limit: WebSocket + `JSON.parse`, no DOM',
  dom: '(b) plain DOM append, one row per message',
  ruw: '(c) react-use-websocket 4.13 as its README shows',
  kit: '(d) the kit: `<ChatProvider>` + `<ChatBox>`, `<UserList>`, `<MessageInput>`',
};

export interface BenchMeta {
  readonly date: string;
  readonly mode: 'full' | 'short';
  readonly repeats: number;
  readonly historyRepeats: number;
  readonly sizes: {
    flood: number;
    steadyRate: number;
    steadySeconds: number;
    history: number;
    burst: number;
    keys: number;
    resume?: number;
    join?: number;
  };
  readonly timeouts: { flood: number; steady: number; history: number; catchUp?: number };
  readonly chromium: string;
  readonly node: string;
  readonly cpus: number;
  readonly loadavg: { start: readonly number[]; end: readonly number[] };
  readonly durationMs: number;
  readonly variants: readonly string[];
  /** The fan-out's load (fanout/clientsProcess.ts), when it ran. */
  readonly fanout?: Omit<FanoutClientConfig, 'urls'>;
}

export interface Target {
  readonly group: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | null;
}

export interface BenchResults {
  readonly meta: BenchMeta;
  readonly flood: readonly FloodRun[];
  readonly steady: readonly SteadyRun[];
  readonly history: readonly FloodRun[];
  readonly renders: readonly RendersRun[];
  /** The catch-up scenarios (`resume`, `join`); absent in results of older runs. */
  readonly catchUp?: readonly FloodRun[];
  /** The fan-out runs (issue 16); absent in results of older runs. */
  readonly fanout?: readonly FanoutRun[];
  readonly sizes: readonly SizeResult[];
  readonly profiles: readonly ProfileSummary[];
  readonly targets: readonly Target[];
}

// ---- formatting ---------------------------------------------------------------------------------

const ms = (value: number | null | undefined, digits = 0) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '—' : (bytes / 1e6).toFixed(1));
const int = (value: number | null | undefined) => (value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const ratio = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value.toFixed(2)}×`);
const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} kB`;
const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? '**pass**' : '**miss**');

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

// ---- aggregation --------------------------------------------------------------------------------

function byVariant<T extends { variant: string }>(runs: readonly T[], variant: string): T[] {
  return runs.filter((run) => run.variant === variant);
}

/** Median over repeats of `variant`'s value divided by the limit page's value of the same repeat. */
export function ratioToLimit<T extends { variant: string; repeat: number }>(
  runs: readonly T[],
  variant: string,
  value: (run: T) => number | null | undefined,
): number | null {
  const ratios: number[] = [];
  for (const run of byVariant(runs, variant)) {
    const limit = runs.find((other) => other.variant === 'limit' && other.repeat === run.repeat);
    const a = value(run);
    const b = limit ? value(limit) : null;
    if (typeof a === 'number' && typeof b === 'number' && b > 0) ratios.push(a / b);
  }
  return median(ratios);
}

export interface FloodSummary {
  variant: string;
  repeats: number;
  completed: number;
  time: number | null;
  timeMin: number | null;
  timeMax: number | null;
  ratio: number | null;
  lost: number | null;
  lostMax: number | null;
  longestTask: number | null;
  longestTaskMax: number | null;
  repeatsWithLongTask: number;
  maxFrameGap: number | null;
  /** Median over repeats of the largest frame gap divided by the limit page's of the same repeat. */
  maxFrameGapRatio: number | null;
  heapJs: number | null;
  heapBlink: number | null;
  domNodes: number | null;
  memoryAtTimeout: boolean;
  errors: number | null;
  renderedAtTimeout: number | null;
  failure: string | null;
}

export function summarizeFlood(runs: readonly FloodRun[], variant: string): FloodSummary {
  const own = byVariant(runs, variant);
  const done = own.filter((run) => run.completed);
  const stuck = own.filter((run) => !run.completed);
  // Memory after the run; for a variant that never finished, as it was at the time limit.
  const memoryRuns = (done.length > 0 ? done : stuck).filter((run) => run.memory);
  return {
    variant,
    repeats: own.length,
    completed: done.length,
    time: median(done.map((run) => run.time)),
    timeMin: min(done.map((run) => run.time)),
    timeMax: max(done.map((run) => run.time)),
    ratio: ratioToLimit(runs, variant, (run) => (run.completed ? run.time : null)),
    lost: median(own.map((run) => run.lost)),
    lostMax: max(own.map((run) => run.lost)),
    longestTask: median(own.map((run) => run.longestTask)),
    longestTaskMax: max(own.map((run) => run.longestTask)),
    repeatsWithLongTask: own.filter((run) => run.longTasks > 0).length,
    maxFrameGap: median(own.map((run) => run.maxFrameGap)),
    maxFrameGapRatio: ratioToLimit(runs, variant, (run) => run.maxFrameGap),
    heapJs: median(memoryRuns.map((run) => run.memory?.heapJs)),
    heapBlink: median(memoryRuns.map((run) => run.memory?.heapBlink)),
    domNodes: median(memoryRuns.map((run) => run.memory?.domNodes)),
    memoryAtTimeout: done.length === 0 && memoryRuns.length > 0,
    errors: median(own.map((run) => run.errors)),
    renderedAtTimeout: median(stuck.map((run) => run.rendered)),
    failure: own.find((run) => run.failure)?.failure ?? null,
  };
}

interface SteadySummary {
  variant: string;
  repeats: number;
  keyP50: number | null;
  keyP95: number | null;
  keyP95Ratio: number | null;
  keyMax: number | null;
  frameGapP95: number | null;
  maxFrameGap: number | null;
  longestTask: number | null;
  keys: number | null;
  errors: number | null;
  timedOut: number;
  failure: string | null;
}

function summarizeSteady(runs: readonly SteadyRun[], variant: string): SteadySummary {
  const own = byVariant(runs, variant);
  return {
    variant,
    repeats: own.length,
    keyP50: median(own.map((run) => run.keyP50)),
    keyP95: median(own.map((run) => run.keyP95)),
    keyP95Ratio: ratioToLimit(runs, variant, (run) => run.keyP95),
    keyMax: max(own.map((run) => run.keyMax)),
    frameGapP95: median(own.map((run) => run.frameGapP95)),
    maxFrameGap: median(own.map((run) => run.maxFrameGap)),
    longestTask: median(own.map((run) => run.longestTask)),
    keys: median(own.map((run) => run.keys)),
    errors: median(own.map((run) => run.errors)),
    timedOut: own.filter((run) => run.timedOut).length,
    failure: own.find((run) => run.failure)?.failure ?? null,
  };
}

// ---- targets ------------------------------------------------------------------------------------

export function evaluateTargets(results: Omit<BenchResults, 'targets'>): Target[] {
  const targets: Target[] = [];
  const flood = summarizeFlood(results.flood, 'kit');
  const n = results.meta.sizes.flood;
  targets.push({
    group: 'Flood',
    target: `renders the ${int(n)}th message within 1.5× the limit page's time`,
    measured:
      flood.ratio === null
        ? `did not complete (${flood.failure ?? 'timeout'})`
        : `${ratio(flood.ratio)} (${ms(flood.time)} ms vs ${ms(summarizeFlood(results.flood, 'limit').time)} ms)`,
    pass: flood.ratio === null ? false : flood.ratio <= 1.5,
  });
  targets.push({
    group: 'Flood',
    target: 'loses nothing',
    measured: `${int(flood.lostMax)} lost (worst repeat)`,
    pass: flood.completed === flood.repeats && flood.lostMax === 0,
  });
  targets.push({
    group: 'Flood',
    target: 'no task longer than 50 ms',
    measured:
      flood.repeatsWithLongTask === 0
        ? 'none in any repeat'
        : `${flood.longestTask ? `median of the repeats' longest ${ms(flood.longestTask)} ms` : 'none in most repeats'}; ${flood.repeatsWithLongTask} of ${flood.repeats} repeats had one (worst ${ms(flood.longestTaskMax)} ms; limit page: ${longTaskNote(results.flood, 'limit')})`,
    pass: (flood.longestTask ?? 0) < 50,
  });
  targets.push({
    group: 'Flood',
    target: "largest frame gap within 1.5× the limit page's",
    measured: `${ratio(flood.maxFrameGapRatio)} (${ms(flood.maxFrameGap)} ms vs ${ms(summarizeFlood(results.flood, 'limit').maxFrameGap)} ms)`,
    pass: flood.maxFrameGapRatio === null ? false : flood.maxFrameGapRatio <= 1.5,
  });
  const steady = summarizeSteady(results.steady, 'kit');
  const steadyLimit = summarizeSteady(results.steady, 'limit');
  targets.push({
    group: 'Steady stream',
    target: "keypress-to-frame p95 within 1.25× the limit page's",
    measured: `${ratio(steady.keyP95Ratio)} (${ms(steady.keyP95, 1)} ms vs ${ms(steadyLimit.keyP95, 1)} ms)`,
    pass: steady.keyP95Ratio === null ? false : steady.keyP95Ratio <= 1.25,
  });
  targets.push({
    group: 'Steady stream',
    target: 'frame gap p95 under 25 ms',
    measured: `${ms(steady.frameGapP95, 1)} ms (limit page: ${ms(steadyLimit.frameGapP95, 1)} ms)`,
    pass: steady.frameGapP95 === null ? false : steady.frameGapP95 < 25,
  });
  const history = summarizeFlood(results.history, 'kit');
  const historyDom = summarizeFlood(results.history, 'dom');
  targets.push({
    group: `History ${int(results.meta.sizes.history)}`,
    target: 'DOM nodes under 2 000',
    measured: `${int(history.domNodes)} (plain append: ${int(historyDom.domNodes)})`,
    pass: history.domNodes === null ? false : history.domNodes < 2000,
  });
  const heap = history.heapJs === null ? null : history.heapJs + (history.heapBlink ?? 0);
  targets.push({
    group: `History ${int(results.meta.sizes.history)}`,
    target: 'heap under 50 MB',
    measured: `${mb(heap)} MB (JS ${mb(history.heapJs)} + Blink ${mb(history.heapBlink)})`,
    pass: heap === null ? false : heap < 50e6,
  });
  const renders = results.renders.find((run) => run.variant === 'kit');
  const burst = renders?.burstCounts;
  const keys = renders?.keyCounts;
  targets.push({
    group: 'Isolation',
    target: 'a burst renders `<ChatBox>` at most once per frame, never `<UserList>` or `<MessageInput>`',
    measured: burst
      ? `ChatBox rendered ${burst.commits.ChatBox ?? 0} times in ${burst.frames} frames, at most ${burst.maxPerFrame.ChatBox ?? 0} per frame ` +
        `(its subtree, the virtual list's own updates included, committed ${burst.commits['ChatBox (Profiler)'] ?? 0} times, at most ${burst.maxPerFrame['ChatBox (Profiler)'] ?? 0} per frame); ` +
        `UserList ${burst.commits.UserList ?? 0}; MessageInput ${burst.commits.MessageInput ?? 0}`
      : `not measured (${renders?.failure ?? 'no run'})`,
    pass: burst ? (burst.maxPerFrame.ChatBox ?? 0) <= 1 && !burst.commits.UserList && !burst.commits.MessageInput : false,
  });
  targets.push({
    group: 'Isolation',
    target: 'a keystroke renders only `<MessageInput>`',
    measured: keys
      ? `${renders!.keys} keystrokes: MessageInput ${keys.commits.MessageInput ?? 0}, ChatBox ${keys.commits.ChatBox ?? 0}, UserList ${keys.commits.UserList ?? 0}`
      : `not measured (${renders?.failure ?? 'no run'})`,
    pass: keys ? !keys.commits.ChatBox && !keys.commits.UserList && (keys.commits.MessageInput ?? 0) > 0 : false,
  });
  targets.push(...catchUpTargets(results));
  targets.push(...fanoutTargets(results));
  for (const size of results.sizes) {
    if (size.budget === null) continue;
    targets.push({
      group: 'Size',
      target: `${size.name} ≤ ${kb(size.budget)} gzipped`,
      measured: kb(size.gzip),
      pass: size.gzip <= size.budget,
    });
  }
  return targets;
}

function longTaskNote(runs: readonly FloodRun[], variant: string): string {
  const s = summarizeFlood(runs, variant);
  return s.repeatsWithLongTask === 0 ? 'none' : `${s.repeatsWithLongTask} of ${s.repeats} repeats, worst ${ms(s.longestTaskMax)} ms`;
}

// ---- markdown -----------------------------------------------------------------------------------

function floodTable(runs: readonly FloodRun[], variants: readonly string[], timeoutMs: number): string {
  const rows = variants.map((variant) => {
    const s = summarizeFlood(runs, variant);
    const time =
      s.repeats === 0
        ? 'not run'
        : s.completed === 0
          ? s.failure?.startsWith('not run')
            ? s.failure
            : `did not finish in ${ms(timeoutMs / 1000)} s (${int(s.renderedAtTimeout)} rendered by then)${s.failure ? `: ${s.failure}` : ''}`
          : `${ms(s.time)} (${ms(s.timeMin)}–${ms(s.timeMax)})${s.completed < s.repeats ? `, ${s.repeats - s.completed} of ${s.repeats} did not finish` : ''}`;
    if (s.completed === 0 && s.failure?.startsWith('not run')) {
      return [VARIANT_LABELS[variant] ?? variant, s.failure, '—', '—', '—', '—', '—', '—', '—', '—', '—', '0'];
    }
    return [
      VARIANT_LABELS[variant] ?? variant,
      time,
      variant === 'limit' ? '1×' : ratio(s.ratio),
      s.completed === 0 ? '? (did not finish)' : int(s.lost),
      s.longestTask ? `${ms(s.longestTask)} (${s.repeatsWithLongTask}/${s.repeats} repeats)` : '< 50 (none)',
      ms(s.maxFrameGap),
      variant === 'limit' ? '1×' : ratio(s.maxFrameGapRatio),
      `${mb(s.heapJs)}${s.memoryAtTimeout ? ' ‡' : ''}`,
      `${mb(s.heapBlink)}${s.memoryAtTimeout ? ' ‡' : ''}`,
      `${int(s.domNodes)}${s.memoryAtTimeout ? ' ‡' : ''}`,
      int(s.errors),
      String(s.repeats),
    ];
  });
  return table(
    [
      'variant',
      'first received → last rendered, ms (min–max)',
      '× limit',
      'messages lost',
      'longest task, ms',
      'largest frame gap, ms',
      'gap × limit',
      'JS heap after, MB',
      'Blink heap after, MB',
      'DOM nodes after',
      'page errors',
      'repeats',
    ],
    rows,
  );
}

function steadyTable(runs: readonly SteadyRun[], variants: readonly string[]): string {
  const rows = variants.map((variant) => {
    const s = summarizeSteady(runs, variant);
    return [
      VARIANT_LABELS[variant] ?? variant,
      ms(s.keyP50, 1),
      ms(s.keyP95, 1),
      variant === 'limit' ? '1×' : ratio(s.keyP95Ratio),
      ms(s.keyMax, 0),
      ms(s.frameGapP95, 1),
      ms(s.maxFrameGap, 0),
      s.longestTask ? ms(s.longestTask) : '< 50 (none)',
      int(s.keys),
      int(s.errors),
      s.timedOut ? `${s.timedOut} of ${s.repeats} fell behind the stream${s.failure ? ` (${s.failure})` : ''}` : '',
    ];
  });
  return table(
    [
      'variant',
      'keypress → next frame p50, ms',
      'p95, ms',
      '× limit (p95)',
      'worst keypress, ms',
      'frame gap p95, ms',
      'largest frame gap, ms',
      'longest task, ms',
      'keystrokes measured',
      'page errors',
      'note',
    ],
    rows,
  );
}

function renderTable(runs: readonly RendersRun[]): string {
  const sections: string[] = [];
  for (const run of runs) {
    const ids = [...new Set([...Object.keys(run.burstCounts?.commits ?? {}), ...Object.keys(run.keyCounts?.commits ?? {})])];
    const counts = (c: RenderCounts | null, id: string) => (c ? String(c.commits[id] ?? 0) : '—');
    const perFrame = (c: RenderCounts | null, id: string) => (c ? String(c.maxPerFrame[id] ?? 0) : '—');
    sections.push(
      `**${VARIANT_LABELS[run.variant] ?? run.variant}**: a burst of ${int(run.burst)} messages queued at once (${run.burstCounts?.frames ?? '—'} frames until counted${run.burstCompleted ? '' : '; **the burst did not finish**'}), then ${run.keys} keystrokes${run.errors ? `; ${run.errors} page errors` : ''}${run.failure ? `; failure: ${run.failure}` : ''}\n\n` +
        table(
          ['Profiler id', 'burst: commits', 'burst: most commits in one frame', `${run.keys} keystrokes: commits`],
          ids.map((id) => [`\`${id}\``, counts(run.burstCounts, id), perFrame(run.burstCounts, id), counts(run.keyCounts, id)]),
        ),
    );
  }
  return sections.join('\n\n');
}

function sizeTable(sizes: readonly SizeResult[]): string {
  return table(
    ['bundle (entry)', 'minified', 'gzip -9', 'brotli', 'budget (gzip)', ''],
    sizes.map((size) => [
      `${size.name}<br>\`${size.code}\``,
      kb(size.minified),
      kb(size.gzip),
      kb(size.brotli),
      size.budget === null ? '' : kb(size.budget),
      size.budget === null ? '' : verdict(size.gzip <= size.budget),
    ]),
  );
}

/** Where the bytes of the bundles over budget are. */
function sizeBreakdown(sizes: readonly SizeResult[]): string {
  const over = sizes.filter((size) => size.budget !== null && size.gzip > size.budget);
  if (over.length === 0) return '';
  return over
    .map(
      (size) =>
        `Largest inputs of "${size.name}" (minified bytes in the bundle, before gzip): ` +
        size.inputs.map((input) => `\`${input.path}\` ${(input.bytes / KB).toFixed(1)} kB`).join(', ') +
        '.',
    )
    .join('\n\n');
}

function profileSection(profiles: readonly ProfileSummary[]): string {
  if (profiles.length === 0) return '';
  const parts = [
    '## Profiles (one extra run each of the unminified production build: V8 CPU profile + Chromium trace, the window from the first message to the end of the measurement)\n',
  ];
  for (const p of profiles) {
    parts.push(
      `### ${p.scenario}: ${VARIANT_LABELS[p.variant] ?? p.variant}, ${int(p.n)} messages\n\n` +
        `Renderer main thread busy ${ms(p.mainThreadBusyMs)} ms in ${int(p.tasks)} tasks; profiled window (first message to last rendered) ${ms(p.windowMs)} ms.\n\n` +
        'Main thread tasks by duration: ' +
        p.taskHistogram
          .filter(([, , count]) => count > 0)
          .map(([from, to, count, total]) => `${from}–${Number.isFinite(to) ? to : '∞'} ms: ${int(count)} (${ms(total)} ms)`)
          .join('; ') +
        '.\n\n' +
        'What the browser called into (top-level `FunctionCall` trace events: count, total ms including everything inside):\n\n' +
        table(
          ['entry point (bundle:line)', 'calls', 'ms'],
          p.callbacks.map((c) => [`\`${c.name}\``, int(c.count), ms(c.ms, 1)]),
        ) +
        `\n\nForced (synchronous) style and layout: ${ms(p.forcedLayoutMs)} ms in all, by where it happened:\n\n` +
        table(
          ['inside', 'times', 'ms'],
          p.forcedLayouts.map((f) => [`\`${f.chain || '(task)'}\``, int(f.count), ms(f.ms, 1)]),
        ) +
        '\n\nMain thread, self time by trace event:\n\n' +
        table(
          ['event', 'self ms', '% of busy'],
          p.mainThread.slice(0, 12).map((e) => [e.name, ms(e.ms, 1), `${e.percent.toFixed(1)}%`]),
        ) +
        '\n\nJS (V8 CPU profile, 250 µs sampling), self time by function:\n\n' +
        table(
          ['function (bundle:line:column)', 'self ms', '% of non-idle'],
          p.functions.slice(0, 20).map((e) => [`\`${e.name}\``, ms(e.ms, 1), `${e.percent.toFixed(1)}%`]),
        ),
    );
  }
  return parts.join('\n\n');
}

const MEMORY_NOTE =
  'Memory after a forced GC. ‡: the variant did not finish; its memory as it was at the time limit (still working through the backlog). ' +
  '"Longest task": the Long Tasks API reports tasks of 50 ms and more, so "< 50" means none was reported.';

export function toMarkdown(results: BenchResults): string {
  const { meta } = results;
  const variants = meta.variants;
  const s = meta.sizes;
  const lines: string[] = [];
  lines.push(`# react-ws-chat benchmark results${meta.mode === 'short' ? ' (short mode: checks the benchmark runs, not times)' : ''}`);
  lines.push('');
  lines.push(
    `${meta.date}; \`npm run bench${meta.mode === 'short' ? ' -- --short' : ''}\`; Chromium ${meta.chromium} headless (Debian), Node ${meta.node}, ${meta.cpus} cores, ` +
      `load average ${meta.loadavg.start.map((v) => v.toFixed(1)).join('/')} at the start and ${meta.loadavg.end.map((v) => v.toFixed(1)).join('/')} at the end; ` +
      `${meta.repeats} repeats (history: ${meta.historyRepeats}), variants interleaved in each; medians; "× limit" is the median of the per-repeat ratios. ` +
      `Run took ${ms(meta.durationMs / 1000)} s. Method: [README.md](README.md).`,
  );
  lines.push('');
  lines.push('## Targets\n');
  lines.push(
    table(
      ['', 'target', 'measured', ''],
      results.targets.map((t) => [t.group, t.target, t.measured, verdict(t.pass)]),
    ),
  );
  lines.push('');
  lines.push(`## Flood: ${int(s.flood)} messages queued at once\n`);
  lines.push(floodTable(results.flood, variants, meta.timeouts.flood));
  lines.push('');
  lines.push(MEMORY_NOTE);
  lines.push('');
  lines.push(`## Steady stream: ${int(s.steadyRate)} messages/s for ${s.steadySeconds} s while typing (a key every 50 ms)\n`);
  lines.push(steadyTable(results.steady, variants));
  lines.push('');
  lines.push(`## History: ${int(s.history)} messages\n`);
  lines.push(floodTable(results.history, variants, meta.timeouts.history));
  lines.push('');
  lines.push(MEMORY_NOTE);
  lines.push('');
  const catchUp = catchUpSection(results);
  if (catchUp) lines.push(catchUp, '');
  const fanout = fanoutSection(results);
  if (fanout) lines.push(fanout, '');
  lines.push('## Render counts (React Profiler, profiling build of react-dom)\n');
  lines.push(renderTable(results.renders));
  lines.push('');
  lines.push('## Bundle sizes (esbuild --bundle --minify --format=esm, React external, NODE_ENV=production; 1 kB = 1000 bytes)\n');
  lines.push(sizeTable(results.sizes));
  lines.push('');
  const breakdown = sizeBreakdown(results.sizes);
  if (breakdown) lines.push(breakdown, '');
  const profiles = profileSection(results.profiles);
  if (profiles) lines.push(profiles, '');
  return lines.join('\n');
}
