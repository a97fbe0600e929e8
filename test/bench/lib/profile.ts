// Where a page's time goes during a flood: a V8 CPU profile of the page (self time per function) and
// a Chromium trace of its renderer main thread (self time per trace event: script, style, layout,
// paint, GC...), both summarized.
import type { CDPSession } from 'playwright';

import type { RawPage } from './cdp.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly variant: string;
  readonly scenario: string;
  readonly n: number;
  /** Wall time of the profiled window (ms). */
  readonly windowMs: number;
  /** JS functions (and V8's pseudo-nodes: (program), (garbage collector), (idle)) by self time. */
  readonly functions: readonly SelfTime[];
  /** The same, by source file. */
  readonly files: readonly SelfTime[];
  /** Renderer main thread trace events by self time (exclusive of nested events). */
  readonly mainThread: readonly SelfTime[];
  readonly mainThreadBusyMs: number;
  /** How many tasks the main thread ran. */
  readonly tasks: number;
  /** Tasks by duration: `[from ms, to ms, count, total ms]`. */
  readonly taskHistogram: readonly (readonly [number, number, number, number])[];
  /** JS entry points (trace `FunctionCall` events) by total time: what the browser called into. */
  readonly callbacks: readonly { name: string; count: number; ms: number }[];
  /**
   * Forced (synchronous) style and layout updates, by the chain of trace events they happened in:
   * script that reads layout (`scrollHeight`...) or writes scroll positions while the DOM is dirty.
   */
  readonly forcedLayouts: readonly { chain: string; count: number; ms: number }[];
  readonly forcedLayoutMs: number;
}

const TRACE_CATEGORIES = [
  '-*',
  'blink.user_timing',
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink',
];

/** Starts a CPU profile in the page and a trace in the browser; `stop` summarizes both. */
export function createProfiler(browser: CDPSession, variant: string, scenario: string, n: number) {
  const events: TraceEvent[] = [];
  let summary: ProfileSummary | null = null;
  const onData = (event: { value: object[] }) => {
    for (const e of event.value) events.push(e as TraceEvent);
  };
  return {
    async start(page: RawPage): Promise<void> {
      await page.send('Profiler.enable');
      await page.send('Profiler.setSamplingInterval', { interval: 250 });
      browser.on('Tracing.dataCollected', onData);
      await browser.send('Tracing.start', {
        transferMode: 'ReportEvents',
        traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
      });
      await page.send('Profiler.start');
    },
    async stop(page: RawPage): Promise<void> {
      const { profile } = await page.send<{ profile: CpuProfile }>('Profiler.stop', {}, 60_000);
      const complete = new Promise<void>((resolve) => browser.once('Tracing.tracingComplete', () => resolve()));
      await browser.send('Tracing.end');
      await complete;
      browser.off('Tracing.dataCollected', onData);
      if (process.env.BENCH_DUMP_PROFILE) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(`${process.env.BENCH_DUMP_PROFILE}-${scenario}-${variant}.json`, JSON.stringify({ profile, events }));
      }
      summary = summarize(variant, scenario, n, profile, events);
    },
    summary: () => summary,
  };
}

function top(map: Map<string, number>, total: number, count: number): SelfTime[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: total > 0 ? (100 * us) / total : 0 }));
}

function shortUrl(url: string): string {
  if (!url) return '';
  try {
    return new URL(url).pathname.replace(/^\/(prod|profiling|readable)\//, '');
  } catch {
    return url;
  }
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { type?: string; functionName?: string; url?: string; lineNumber?: number } };
}

function summarize(variant: string, scenario: string, n: number, profile: CpuProfile, events: readonly TraceEvent[]): ProfileSummary {
  // The measured window: the harness's marks (first message event, last message rendered), in the
  // trace's clock, which is also the CPU profile's (both are base::TimeTicks in microseconds).
  const mark = (name: string) => events.find((e) => e.name === name && e.cat.includes('blink.user_timing'));
  const first = mark('bench:first-message');
  const from = first?.ts ?? profile.startTime;
  const to = mark('bench:done')?.ts ?? profile.endTime;

  // CPU profile: self time = the time deltas of the samples that landed in each node, in the window.
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (at < from || at > to) continue;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + delta);
  }
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const file = shortUrl(frame.url);
    const name = file ? `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}` : frame.functionName;
    functions.set(name, (functions.get(name) ?? 0) + us);
    files.set(file || frame.functionName, (files.get(file || frame.functionName) ?? 0) + us);
    if (frame.functionName !== '(idle)') total += us;
  }

  // Trace: the page's renderer main thread; self time of each complete event ('X') in the window
  // minus the events nested in it.
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const inWindow = (e: TraceEvent) => e.ph === 'X' && typeof e.dur === 'number' && e.ts + e.dur > from && e.ts < to;
  const busyByThread = new Map<string, number>();
  for (const e of events) {
    if (inWindow(e) && e.name === 'RunTask' && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain') {
      const key = `${e.pid}:${e.tid}`;
      busyByThread.set(key, (busyByThread.get(key) ?? 0) + (e.dur ?? 0));
    }
  }
  // The thread that marked the window; else the busiest renderer main thread.
  const main = first ? `${first.pid}:${first.tid}` : [...busyByThread.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const mainEvents = events
    .filter((e) => inWindow(e) && `${e.pid}:${e.tid}` === main)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; name: string; label?: string }[] = [];
  const label = (e: TraceEvent) => {
    const data = e.args?.data;
    if (e.name === 'EventDispatch' && data?.type) return `EventDispatch (${data.type})`;
    if (e.name === 'FunctionCall' && data)
      return `FunctionCall (${data.functionName || 'anonymous'} ${shortUrl(data.url ?? '')}:${(data.lineNumber ?? 0) + 1})`;
    return e.name;
  };
  const HIST = [0, 1, 5, 16, 33, 50, 100, Infinity];
  const histogram = HIST.slice(0, -1).map((from, i) => [from, HIST[i + 1]!, 0, 0] as [number, number, number, number]);
  const callbacks = new Map<string, { count: number; us: number }>();
  const forced = new Map<string, { count: number; us: number }>();
  let forcedUs = 0;
  let tasks = 0;
  for (const e of mainEvents) {
    const end = e.ts + (e.dur ?? 0);
    while (stack.length > 0 && stack[stack.length - 1]!.end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (e.dur ?? 0));
    const name = e.name === 'EventDispatch' && e.args?.data?.type ? `EventDispatch (${e.args.data.type})` : e.name;
    self.set(name, (self.get(name) ?? 0) + (e.dur ?? 0));
    if (e.name === 'RunTask' && stack.length === 0) {
      tasks++;
      const bucket = histogram.find(([from, to]) => e.dur! / 1000 >= from && e.dur! / 1000 < to)!;
      bucket[2]++;
      bucket[3] += e.dur! / 1000;
    }
    if (e.name === 'FunctionCall' && !stack.some((s) => s.name.startsWith('FunctionCall'))) {
      const key = label(e);
      const entry = callbacks.get(key) ?? { count: 0, us: 0 };
      entry.count++;
      entry.us += e.dur ?? 0;
      callbacks.set(key, entry);
    }
    if (e.name === 'Blink.ForcedStyleAndLayout.UpdateTime') {
      forcedUs += e.dur ?? 0;
      const chain = stack
        .map((s) => s.label ?? s.name)
        .filter(
          (n) =>
            !/^(RunTask|ThreadControllerImpl::RunTask|v8\.callFunction|Document::UpdateStyleAndLayout|LocalFrameView::UpdateStyleAndLayout|AsyncTask Run)$/.test(
              n,
            ),
        )
        .slice(-4)
        .join(' > ');
      const entry = forced.get(chain) ?? { count: 0, us: 0 };
      entry.count++;
      entry.us += e.dur ?? 0;
      forced.set(chain, entry);
    }
    stack.push({ end, name, label: label(e) });
  }
  const busy = busyByThread.get(main ?? '') ?? 0;
  return {
    variant,
    scenario,
    n,
    windowMs: (to - from) / 1000,
    functions: top(functions, total, 25),
    files: top(files, total, 12),
    mainThread: top(self, busy, 20),
    mainThreadBusyMs: busy / 1000,
    tasks,
    taskHistogram: histogram,
    callbacks: [...callbacks.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, 10)
      .map(([name, v]) => ({ name, count: v.count, ms: v.us / 1000 })),
    forcedLayouts: [...forced.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, 8)
      .map(([chain, v]) => ({ chain, count: v.count, ms: v.us / 1000 })),
    forcedLayoutMs: forcedUs / 1000,
  };
}
