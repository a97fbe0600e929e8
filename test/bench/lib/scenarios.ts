// One measurement = one fresh page (its own browser context and renderer process) of one variant,
// one scenario, closed afterwards. See pages/harness.ts for what the page measures.
import type { BuildName, StaticServer } from './build.ts';
import type { BenchBrowser, RawPage, Report } from './cdp.ts';
import type { Feed } from './feed.ts';
import { max, percentile } from './stats.ts';

export interface BenchContext {
  readonly browser: BenchBrowser;
  /** Serves the builds: `prod/<variant>.html` and `profiling/<variant>.html`. */
  readonly web: StaticServer;
  readonly feed: Feed;
  readonly log: (line: string) => void;
}

/** What the harness reports at the end of a measurement (pages/harness.ts `finish`). */
export interface PageResult extends Report {
  variant: string;
  scenario: string;
  n: number;
  timedOut: boolean;
  received: number;
  rendered: number;
  newestRendered: number;
  time: number | null;
  arrival: number;
  frames: number;
  gaps: number[];
  gapMessages: number[];
  gapLate: number[];
  latencies: number[];
  /** When things first happened in the window (ms from its start): pages/harness.ts `notePhase`. */
  phases?: Record<string, number>;
  longTaskSupported: boolean;
  longTasks: number[];
  errors: number;
  errorSamples: string[];
}

export interface Memory {
  /** V8 heap used after a forced GC (bytes). */
  heapJs: number;
  /** The embedder's (Blink's Oilpan) heap used after it: DOM nodes live there, not in the JS heap. */
  heapBlink: number;
  /** `Memory.getDOMCounters().nodes` (the page's renderer process). */
  domNodes: number;
  jsEventListeners: number;
}

export interface WorstFrame {
  readonly at: number;
  readonly messages: number;
  readonly late: number;
}

/** Where the largest frame gap was, and what came before it (see `FloodRun.worstFrame`). */
export function worstFrame(gaps: readonly number[], messages: readonly number[], late: readonly number[]): WorstFrame | null {
  if (gaps.length === 0) return null;
  const i = gaps.indexOf(Math.max(...gaps));
  return { at: gaps.length > 1 ? i / (gaps.length - 1) : 0, messages: messages[i] ?? 0, late: late[i] ?? 0 };
}

export interface FloodRun {
  readonly scenario: 'flood' | 'history' | 'resume' | 'join';
  readonly variant: string;
  readonly repeat: number;
  readonly n: number;
  /** The page rendered the last message. */
  readonly completed: boolean;
  readonly timedOut: boolean;
  /** First message event to the frame in which the last message was seen rendered (ms). */
  readonly time: number | null;
  /** First to last message event (ms). */
  readonly arrival: number | null;
  readonly received: number;
  readonly rendered: number;
  readonly lost: number;
  /** Catch-ups: messages shown more than once (rendered beyond `n`). */
  readonly doubled?: number;
  /** Catch-ups: when each phase first happened, ms from the window's start (the `id`, the first and last catch-up frames...). */
  readonly phases?: Readonly<Record<string, number>>;
  /** The longest task (≥ 50 ms: what the Long Tasks API reports) in the window, or 0 for none. */
  readonly longestTask: number;
  readonly longTasks: number;
  readonly maxFrameGap: number | null;
  /**
   * The largest gap's frame: its place (0 = the first gap, 1 = the last), the messages that arrived
   * in the gap, and how late (ms) the frame's callbacks ran after its timestamp.
   */
  readonly worstFrame: WorstFrame | null;
  readonly frames: number;
  readonly memory: Memory | null;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** How long the server took to relay the flood (the page was held meanwhile). */
  readonly relayMs: number;
  readonly failure?: string;
}

export interface SteadyRun {
  readonly scenario: 'steady';
  readonly variant: string;
  readonly repeat: number;
  readonly n: number;
  readonly rate: number;
  readonly timedOut: boolean;
  readonly keys: number;
  readonly keyP50: number | null;
  readonly keyP95: number | null;
  readonly keyMax: number | null;
  readonly frameGapP50: number | null;
  readonly frameGapP95: number | null;
  readonly maxFrameGap: number | null;
  readonly longestTask: number;
  readonly rendered: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly failure?: string;
}

export interface RenderCounts {
  commits: Record<string, number>;
  maxPerFrame: Record<string, number>;
  frames: number;
}

export interface RendersRun {
  readonly scenario: 'renders';
  readonly variant: string;
  readonly burst: number;
  readonly keys: number;
  readonly burstCompleted: boolean;
  readonly burstCounts: RenderCounts | null;
  readonly keyCounts: RenderCounts | null;
  readonly errors: number;
  readonly failure?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function pageUrl(
  ctx: BenchContext,
  build: BuildName,
  variant: string,
  scenario: string,
  n: number,
  timeoutMs: number,
  keys = 0,
  server = ctx.feed.url,
): string {
  const url = new URL(`${build}/${variant}.html`, ctx.web.url);
  url.searchParams.set('keys', String(keys));
  url.searchParams.set('variant', variant);
  url.searchParams.set('scenario', scenario);
  url.searchParams.set('n', String(n));
  url.searchParams.set('server', server);
  url.searchParams.set('timeout', String(timeoutMs));
  return url.href;
}

export async function openReady(ctx: BenchContext, url: string): Promise<RawPage> {
  const page = await ctx.browser.openPage(url);
  try {
    await page.waitForReport('ready', 20_000);
    // Runtime was only on for the binding to reach the new document (cdp.ts); off while measuring.
    await page.send('Runtime.disable');
    await sleep(300);
    await collectGarbage(page);
    return page;
  } catch (error) {
    await page.close();
    throw error;
  }
}

async function collectGarbage(page: RawPage, timeoutMs = 20_000): Promise<void> {
  await page.send('HeapProfiler.collectGarbage', {}, timeoutMs);
  await page.send('HeapProfiler.collectGarbage', {}, timeoutMs);
}

export async function readMemory(page: RawPage, timeoutMs = 20_000): Promise<Memory> {
  await collectGarbage(page, timeoutMs);
  const heap = await page.send<{ usedSize: number; embedderHeapUsedSize?: number }>('Runtime.getHeapUsage', {}, timeoutMs);
  const dom = await page.send<{ nodes: number; jsEventListeners: number }>('Memory.getDOMCounters', {}, timeoutMs);
  return { heapJs: heap.usedSize, heapBlink: heap.embedderHeapUsedSize ?? 0, domNodes: dom.nodes, jsEventListeners: dom.jsEventListeners };
}

/**
 * Queue `n` messages for a held page, then let it go: the page blocks in a synchronous XHR
 * (`__bench.hold()`) while the sender writes the flood and the server relays it (its
 * `messagesRelayed` count says when it is done); released, the page takes the backlog as fast as it
 * can.
 */
async function heldFlood(ctx: BenchContext, page: RawPage, n: number, beforeHold?: () => Promise<void>): Promise<number> {
  ctx.feed.resetRelayed();
  // Anything that needs the page's main thread (starting a profile) before it blocks.
  await beforeHold?.();
  const held = page.evaluate('__bench.hold()', 600_000).catch(() => {});
  await ctx.web.holding();
  const start = performance.now();
  ctx.feed.flood(n);
  await ctx.feed.relayed(n, 180_000);
  const relayMs = performance.now() - start;
  ctx.web.release();
  void held;
  return relayMs;
}

export interface FloodOptions {
  /**
   * Profile the run: `start` before the page is held for the flood, `stop` after the result. The
   * page is then the unminified build (`readable/`), so that the profile names functions.
   */
  readonly profile?: { start(page: RawPage): Promise<void>; stop(page: RawPage): Promise<void> };
}

export async function measureFlood(
  ctx: BenchContext,
  scenario: 'flood' | 'history',
  variant: string,
  repeat: number,
  n: number,
  timeoutMs: number,
  options: FloodOptions = {},
): Promise<FloodRun> {
  const page = await openReady(ctx, pageUrl(ctx, options.profile ? 'readable' : 'prod', variant, scenario, n, timeoutMs));
  let relayMs = 0;
  try {
    relayMs = await heldFlood(ctx, page, n, options.profile ? () => options.profile!.start(page) : undefined);
    const result = await page.waitForReport<PageResult>('result', timeoutMs + 60_000);
    if (options.profile) await options.profile.stop(page);
    const completed = result.time !== null;
    // A page still working through a backlog answers slowly (its main thread is busy): memory is
    // then read as it is at the time limit, if it answers at all within 15 s.
    const memory = await readMemory(page, completed ? 20_000 : 15_000).catch(() => null);
    const lost = completed ? Math.max(0, n - result.rendered) : Math.max(0, result.received - result.rendered);
    return reportedFlood({ scenario, variant, repeat, n }, result, memory, relayMs, { lost });
  } catch (error) {
    return failedFlood({ scenario, variant, repeat, n }, relayMs, error);
  } finally {
    await page.close();
  }
}

/** Which run of which page: the fields every flood-like run begins with. */
type RunId = Pick<FloodRun, 'scenario' | 'variant' | 'repeat' | 'n'>;

/** A flood-like run (flood, history, resume, join) as its page reported it; `counts` says what was lost (and doubled). */
export function reportedFlood(
  id: RunId,
  result: PageResult,
  memory: Memory | null,
  relayMs: number,
  counts: Pick<FloodRun, 'lost' | 'doubled' | 'phases'>,
): FloodRun {
  return {
    ...id,
    completed: result.time !== null,
    timedOut: result.timedOut,
    time: result.time,
    arrival: result.arrival,
    received: result.received,
    rendered: result.rendered,
    ...counts,
    longestTask: max(result.longTasks) ?? 0,
    longTasks: result.longTasks.length,
    maxFrameGap: max(result.gaps),
    worstFrame: worstFrame(result.gaps, result.gapMessages, result.gapLate),
    frames: result.frames,
    memory,
    errors: result.errors,
    errorSamples: result.errorSamples,
    relayMs,
  };
}

/** A flood-like run that failed with `error` before its page reported. */
export function failedFlood(id: RunId, relayMs: number, error: unknown): FloodRun {
  return unfinishedFlood(id.scenario, id.variant, id.repeat, id.n, {
    timedOut: true,
    lost: id.n,
    relayMs,
    failure: String(error instanceof Error ? error.message : error),
  });
}

/** A flood run that did not finish (or did not start): no times, and what happened instead in `failure`. */
export function unfinishedFlood(
  scenario: FloodRun['scenario'],
  variant: string,
  repeat: number,
  n: number,
  how: { timedOut: boolean; lost: number; relayMs: number; failure: string },
): FloodRun {
  return {
    scenario,
    variant,
    repeat,
    n,
    completed: false,
    timedOut: how.timedOut,
    time: null,
    arrival: null,
    received: 0,
    rendered: 0,
    lost: how.lost,
    longestTask: 0,
    longTasks: 0,
    maxFrameGap: null,
    worstFrame: null,
    frames: 0,
    memory: null,
    errors: 0,
    errorSamples: [],
    relayMs: how.relayMs,
    failure: how.failure,
  };
}

/** A key press as a user's: keyDown with its text (so the field gets the character), then keyUp. */
function keyEvents(char: string): Record<string, unknown>[] {
  const code = `Key${char.toUpperCase()}`;
  const windowsVirtualKeyCode = char.toUpperCase().charCodeAt(0);
  return [
    { type: 'keyDown', key: char, code, text: char, unmodifiedText: char, windowsVirtualKeyCode },
    { type: 'keyUp', key: char, code, windowsVirtualKeyCode },
  ];
}

/** One frame at 60 Hz, in ms. */
const FRAME_MS = 1000 / 60;

/**
 * When the `n`th key is pressed, in ms from the start: every `intervalMs`, shifted by a fraction of a
 * frame that differs from key to key (the golden-ratio sequence spreads them evenly). A fixed 50 ms
 * period is exactly 3 frames, so every key would land at the same moment of the frame, and the time
 * to the next frame (most of a light page's latency) would be one value per run: the limit page's p95
 * was seen anywhere from 7 to 17 ms between repeats. Spread, both pages' percentiles cover every phase.
 */
export function keyTime(n: number, intervalMs: number): number {
  const phase = (n * 0.6180339887) % 1;
  return (n + 0.5) * intervalMs + phase * FRAME_MS;
}

/**
 * Press `count` keys into the focused field at `keyTime(n)` each, on a fixed schedule (a slow page
 * does not slow the typist). Resolves when the last was dispatched.
 */
function typeKeys(page: RawPage, count: number, intervalMs: number): Promise<void> {
  const start = performance.now();
  return new Promise((resolve) => {
    let sent = 0;
    const tick = () => {
      const char = 'abcdefghijklmnopqrstuvwxyz'[sent % 26]!;
      for (const params of keyEvents(char)) void page.send('Input.dispatchKeyEvent', params, 60_000).catch(() => {});
      sent++;
      if (sent >= count) return resolve();
      setTimeout(tick, Math.max(0, start + keyTime(sent, intervalMs) - performance.now()));
    };
    setTimeout(tick, keyTime(0, intervalMs));
  });
}

export async function measureSteady(
  ctx: BenchContext,
  variant: string,
  repeat: number,
  n: number,
  rate: number,
  keyIntervalMs: number,
  timeoutMs: number,
  options: FloodOptions = {},
): Promise<SteadyRun> {
  // As many keystrokes as fit in the stream's duration.
  const keys = Math.floor(((n / rate) * 1000) / keyIntervalMs);
  const page = await openReady(ctx, pageUrl(ctx, options.profile ? 'readable' : 'prod', variant, 'steady', n, timeoutMs, keys));
  try {
    if (!(await page.evaluate<boolean>('__bench.focusField()'))) throw new Error('the message field did not take focus');
    await options.profile?.start(page);
    await Promise.all([typeKeys(page, keys, keyIntervalMs), ctx.feed.stream(n, rate)]);
    const result = await page.waitForReport<PageResult>('result', timeoutMs + 60_000);
    await options.profile?.stop(page);
    return {
      scenario: 'steady',
      variant,
      repeat,
      n,
      rate,
      timedOut: result.timedOut,
      keys: result.latencies.length,
      keyP50: percentile(result.latencies, 50),
      keyP95: percentile(result.latencies, 95),
      keyMax: max(result.latencies),
      frameGapP50: percentile(result.gaps, 50),
      frameGapP95: percentile(result.gaps, 95),
      maxFrameGap: max(result.gaps),
      longestTask: max(result.longTasks) ?? 0,
      rendered: result.rendered,
      errors: result.errors,
      errorSamples: result.errorSamples,
      ...(result.latencies.length < keys && { failure: `${result.latencies.length} of ${keys} keystrokes seen by the page` }),
    };
  } catch (error) {
    return {
      scenario: 'steady',
      variant,
      repeat,
      n,
      rate,
      timedOut: true,
      keys: 0,
      keyP50: null,
      keyP95: null,
      keyMax: null,
      frameGapP50: null,
      frameGapP95: null,
      maxFrameGap: null,
      longestTask: 0,
      rendered: 0,
      errors: 0,
      errorSamples: [],
      failure: String(error instanceof Error ? error.message : error),
    };
  } finally {
    await page.close();
  }
}

/**
 * Render counts with React's Profiler (the profiling build): a burst of `burst` messages queued at
 * once, then `keys` keystrokes one at a time (each awaited, then two frames).
 */
export async function measureRenders(
  ctx: BenchContext,
  variant: string,
  burst: number,
  keys: number,
  timeoutMs: number,
): Promise<RendersRun> {
  const page = await openReady(ctx, pageUrl(ctx, 'profiling', variant, 'renders', burst, timeoutMs));
  const readCounts = () =>
    page.evaluate<string>('JSON.stringify(__bench.renderCounts())', 30_000).then((json) => JSON.parse(json) as RenderCounts);
  try {
    await page.evaluate('__bench.resetRenderCounts()');
    await heldFlood(ctx, page, burst);
    const result = await page.waitForReport<PageResult>('result', timeoutMs + 60_000);
    // Trailing commits of the burst (the list measuring its new rows) belong to it.
    await sleep(500);
    const burstCounts = await readCounts().catch(() => null);
    let keyCounts: RenderCounts | null = null;
    if (result.time !== null && (await page.evaluate<boolean>('__bench.focusField()'))) {
      await sleep(300);
      await page.evaluate('__bench.resetRenderCounts()');
      for (let i = 0; i < keys; i++) {
        for (const params of keyEvents('abcdefghijklmnopqrstuvwxyz'[i % 26]!)) await page.send('Input.dispatchKeyEvent', params);
        await sleep(50);
      }
      await sleep(300);
      keyCounts = await readCounts();
    }
    return {
      scenario: 'renders',
      variant,
      burst,
      keys,
      burstCompleted: result.time !== null,
      burstCounts,
      keyCounts,
      errors: result.errors,
    };
  } catch (error) {
    return {
      scenario: 'renders',
      variant,
      burst,
      keys,
      burstCompleted: false,
      burstCounts: null,
      keyCounts: null,
      errors: 0,
      failure: String(error instanceof Error ? error.message : error),
    };
  } finally {
    await page.close();
  }
}
