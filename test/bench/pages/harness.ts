/**
 * The in-page half of the benchmark, imported first by every variant page. It is the same code for
 * every variant, so its (small) cost is in every number alike.
 *
 * - It replaces `window.WebSocket` with a subclass that adds one `message` listener: it counts the
 *   MDN `message` frames as they arrive (a `startsWith` on the raw text, no parsing) and notes the
 *   first one's `event.timeStamp`: the start of every measurement ("first received").
 * - A `requestAnimationFrame` loop runs all the time. Under a flood `setTimeout` and even DevTools'
 *   `Runtime.evaluate` can wait for seconds while frames keep coming, so every measurement is
 *   decided and reported from a rAF callback, through a DevTools binding (`__benchReport`, added by
 *   the runner with `Runtime.addBinding`; its events leave the page at once).
 * - "Rendered" is asked of the variant (`registerVariant`) in that rAF callback: the newest message
 *   (by the `#<seq>` its text starts with) whose element is in the DOM, and how many are shown.
 * - Long tasks come from a `longtask` PerformanceObserver (tasks of 50 ms and more; none seen means
 *   "under 50 ms"), frame gaps from the rAF timestamps, keystroke latency from each `keydown`'s
 *   `timeStamp` (when the browser received the input) to the `performance.now()` of the next rAF
 *   callback after its handlers ran.
 */

export type Scenario = 'flood' | 'steady' | 'history' | 'renders' | 'resume' | 'join';

/**
 * The catch-up scenarios measure from a socket's `open`, not from the first live message: `resume`
 * from the second socket's (the reconnect after the runner cut the link), `join` from the first's
 * (the page connects when the runner calls `__bench.start()`).
 */
export const CATCH_UP_SCENARIOS: readonly Scenario[] = ['resume', 'join'];

export interface BenchConfig {
  readonly variant: string;
  readonly scenario: Scenario;
  /** Messages the scenario sends. */
  readonly n: number;
  /** The chat server. */
  readonly server: string;
  /** Give up (and report what was reached) this long after the first message. */
  readonly timeoutMs: number;
  /** Steady scenario: the keystrokes the runner sends; the window stays open until all were seen. */
  readonly keys: number;
}

const params = new URLSearchParams(location.search);
export const config: BenchConfig = {
  variant: params.get('variant') ?? 'unknown',
  scenario: (params.get('scenario') ?? 'flood') as Scenario,
  n: Number(params.get('n') ?? 1000),
  server: params.get('server') ?? 'ws://127.0.0.1:6502',
  timeoutMs: Number(params.get('timeout') ?? 60_000),
  keys: Number(params.get('keys') ?? 0),
};

/** What a variant page tells the harness. */
export interface Variant {
  /** The `#<seq>` of the newest message whose element is in the DOM now, or -1. Called every frame. */
  newestRendered(): number;
  /** How many messages the page shows (or holds in its log, for a virtualized one). Called once, at the end. */
  renderedCount(): number;
  /** Whether the page is ready for the measurement (connected; signed in, for the chat). */
  ready?(): boolean;
}

/** Parse the `#<seq>` at the start of a message text; -1 when there is none. */
export function seqOf(text: string | null | undefined): number {
  if (text?.charCodeAt(0) !== 35 /* # */) return -1;
  return parseInt(text.slice(1), 10);
}

declare global {
  interface Window {
    __benchReport?: (payload: string) => void;
    __bench?: Harness;
  }
}

export interface RenderCounts {
  /**
   * Per id: `<id>` counts calls of the component's function (a render), `<id> (Profiler)` counts
   * commits of the Profiler around it (its whole subtree: the component or anything inside it).
   */
  commits: Record<string, number>;
  /** Per id: the most in one frame (see `frameStarted`). */
  maxPerFrame: Record<string, number>;
  /** Frames since the last reset. */
  frames: number;
}

// ---- the instrumented WebSocket -----------------------------------------------------------------

const counters = { messages: 0, ids: 0, userlists: 0, t0: -1, tLast: -1, open: 0, openAt: [] as number[], historyFrames: 0 };
const catchUpScenario = CATCH_UP_SCENARIOS.includes(config.scenario);

const NativeWebSocket = window.WebSocket;
class CountingWebSocket extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.addEventListener('open', (event) => {
      counters.open++;
      counters.openAt.push(event.timeStamp);
      // The measured socket's open starts a catch-up scenario's window (for a profile's trace).
      if (catchUpScenario && counters.open === (config.scenario === 'resume' ? 2 : 1)) performance.mark('bench:first-message');
    });
    this.addEventListener('message', onFrame);
  }
}
window.WebSocket = CountingWebSocket as typeof WebSocket;

function onFrame(event: MessageEvent): void {
  const data = event.data;
  if (typeof data !== 'string') return;
  if (data.startsWith('{"type":"history"')) {
    // A catch-up's frame: when the last one came, for `arrival`.
    counters.historyFrames++;
    counters.tLast = event.timeStamp;
    notePhase('first history frame', event.timeStamp);
  } else if (data.startsWith('{"type":"message"')) {
    if (counters.messages === 0 && !catchUpScenario) {
      counters.t0 = event.timeStamp;
      // Marks the measured window in a profile's trace (blink.user_timing).
      performance.mark('bench:first-message');
    }
    counters.messages++;
    if (!catchUpScenario) counters.tLast = event.timeStamp;
  } else if (data.startsWith('{"type":"id"')) {
    counters.ids++;
    notePhase('id', event.timeStamp);
  } else if (data.startsWith('{"type":"userlist"')) counters.userlists++;
}

// ---- phases ---

/** When things first happened in the measured window (`performance.now()` times): see `notePhase`. */
const phases: Record<string, number> = {};

/**
 * Note when `name` first happened in the measured window (ignored before it starts): reported as
 * ms from its start, so that a slow page shows where its time went (the `id`, the first catch-up
 * frame, the store publishing the last message...).
 */
export function notePhase(name: string, at = performance.now()): void {
  if (measureFrom() >= 0 && !(name in phases)) phases[name] = at;
}

// ---- errors -------------------------------------------------------------------------------------

const errors: string[] = [];
let errorCount = 0;
function noteError(message: string): void {
  errorCount++;
  if (errors.length < 5) errors.push(message.slice(0, 300));
}
window.addEventListener('error', (event) => noteError(`error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => noteError(`unhandledrejection: ${String(event.reason)}`));
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  noteError(`console.error: ${args.map(String).join(' ')}`);
  consoleError(...args);
};

// ---- long tasks ---------------------------------------------------------------------------------

interface Span {
  start: number;
  duration: number;
}
const longTasks: Span[] = [];
let longTaskObserver: PerformanceObserver | null = null;
try {
  longTaskObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  });
  longTaskObserver.observe({ type: 'longtask', buffered: true });
} catch {
  // No Long Tasks API: reported as null.
}
function takeLongTasks(): void {
  if (!longTaskObserver) return;
  for (const entry of longTaskObserver.takeRecords()) longTasks.push({ start: entry.startTime, duration: entry.duration });
}

// ---- keystrokes ---------------------------------------------------------------------------------

let pendingKeys: number[] = [];
window.addEventListener('keydown', (event) => pendingKeys.push(event.timeStamp), true);

// ---- the frame loop -----------------------------------------------------------------------------

let variant: Variant | null = null;
let readyReported = false;
let previousFrame = -1;
/** Set while measuring: from the first message of the scenario on. */
let measuring: Measurement | null = null;
let done = false;

interface Measurement {
  gaps: number[];
  /** Per gap: the messages that arrived in it (what the page did before the frame could run). */
  gapMessages: number[];
  /** Per gap: how late the frame's callbacks ran after its timestamp (ms). */
  gapLate: number[];
  /** `counters.messages` at the previous frame. */
  messagesAtFrame: number;
  latencies: number[];
  frames: number;
  /** When the last message was rendered, or -1. */
  renderedAt: number;
}

function report(kind: string, data: Record<string, unknown>): void {
  window.__benchReport?.(JSON.stringify({ kind, ...data }));
}

function frame(timestamp: number): void {
  const now = performance.now();
  requestAnimationFrame(frame);
  frameStarted();
  if (!variant) return;
  // A join page connects only when started: it is ready as soon as it is loaded.
  const connected = config.scenario === 'join' || (counters.open > 0 && counters.ids > 0 && (variant.ready?.() ?? true));
  if (!readyReported && connected) {
    readyReported = true;
    report('ready', {});
  }
  if (!measuring && !done && measureFrom() >= 0) {
    counters.t0 = measureFrom();
    measuring = { gaps: [], gapMessages: [], gapLate: [], messagesAtFrame: 0, latencies: [], frames: 0, renderedAt: -1 };
    previousFrame = -1;
  }
  if (!measuring) {
    pendingKeys = [];
    previousFrame = timestamp;
    return;
  }
  const m = measuring;
  m.frames++;
  if (previousFrame >= 0) {
    m.gaps.push(timestamp - previousFrame);
    m.gapMessages.push(counters.messages - m.messagesAtFrame);
    m.gapLate.push(now - timestamp);
  }
  m.messagesAtFrame = counters.messages;
  previousFrame = timestamp;
  for (const key of pendingKeys) m.latencies.push(now - key);
  pendingKeys = [];

  const last = config.n - 1;
  const newest = variant.newestRendered();
  if (newest === last && m.renderedAt < 0) m.renderedAt = now;
  const allArrived = counters.messages >= config.n;
  const finished =
    config.scenario === 'steady'
      ? // The stream is over and every keystroke was handled (the slowest ones come last: the
        // window must not close on them).
        allArrived && m.latencies.length >= config.keys
      : m.renderedAt >= 0;
  const timedOut = now - counters.t0 > config.timeoutMs;
  if (finished || timedOut) finish(now, timedOut, newest);
}

/** When the measured window starts (a `performance.now()` time), or -1 while it has not. */
function measureFrom(): number {
  if (config.scenario === 'resume') return counters.openAt[1] ?? -1;
  if (config.scenario === 'join') return counters.openAt[0] ?? -1;
  return counters.messages > 0 ? counters.t0 : -1;
}

function finish(now: number, timedOut: boolean, newest: number): void {
  performance.mark('bench:done');
  const m = measuring!;
  measuring = null;
  done = true;
  takeLongTasks();
  const t0 = counters.t0;
  const end = m.renderedAt >= 0 ? m.renderedAt : now;
  // Tasks that overlap the measured window.
  const inWindow = longTasks.filter((task) => task.start + task.duration > t0 && task.start < end);
  let rendered = -1;
  try {
    rendered = variant!.renderedCount();
  } catch (error) {
    noteError(`renderedCount: ${String(error)}`);
  }
  report('result', {
    variant: config.variant,
    scenario: config.scenario,
    n: config.n,
    timedOut,
    received: counters.messages,
    rendered,
    newestRendered: newest,
    /** First message event to the rAF in which the last message was seen rendered (ms). */
    time: m.renderedAt >= 0 ? m.renderedAt - t0 : null,
    /** First to last message event (ms): how long the messages took to arrive (catch-ups: open to the last history frame). */
    arrival: counters.tLast - t0,
    frames: m.frames,
    gaps: m.gaps,
    gapMessages: m.gapMessages,
    gapLate: m.gapLate,
    latencies: m.latencies,
    phases: Object.fromEntries(
      Object.entries({ ...phases, 'last history frame': counters.historyFrames > 0 ? counters.tLast : undefined }).flatMap(([name, at]) =>
        at === undefined ? [] : [[name, at - t0]],
      ),
    ),
    longTaskSupported: longTaskObserver !== null,
    longTasks: inWindow.map((task) => task.duration),
    errors: errorCount,
    errorSamples: errors,
  });
}

requestAnimationFrame(frame);

export function registerVariant(v: Variant): void {
  variant = v;
}

let deferredStart: (() => void) | null = null;

/**
 * Run `connect` (what opens the page's socket) now, or, in the `join` scenario, when the runner calls
 * `__bench.start()`: the page is loaded, quiet and collected before it joins.
 */
export function onStart(connect: () => void): void {
  if (config.scenario === 'join') deferredStart = connect;
  else connect();
}

// ---- render counts (profiling build) ------------------------------------------------------------

/**
 * Frames, for per-frame render counts: a frame is one rendering update of the event loop, which
 * dispatches scroll events first and then runs the rAF callbacks (then style, layout, resize
 * observers, paint). So a frame starts at its first scroll event or, when there is none, at the
 * first rAF callback, which is the harness's (it asks for the next frame before anyone else can).
 * Renders are attributed to the frame in which they happen, by this counter, not by timestamps
 * (a frame's rAF timestamp can be earlier than the previous frame's late callbacks).
 */
let frameIndex = 0;
let frameOpenedByScroll = false;
window.addEventListener(
  'scroll',
  () => {
    if (!frameOpenedByScroll) {
      frameIndex++;
      frameOpenedByScroll = true;
    }
  },
  { capture: true, passive: true },
);
function frameStarted(): void {
  if (!frameOpenedByScroll) frameIndex++;
  frameOpenedByScroll = false;
}

let frameBase = 0;
let renderLog: { id: string; frame: number; at: number }[] = [];

/** Note a render (`id`) or a Profiler commit (`id (Profiler)`) now. */
export function countRender(id: string): void {
  if (renderLog.length < 1_000_000) renderLog.push({ id, frame: frameIndex, at: performance.now() });
}

export function resetRenderCounts(): void {
  frameBase = frameIndex;
  renderLog = [];
}

function renderCounts(): RenderCounts {
  const commits: Record<string, number> = {};
  const perFrame = new Map<string, number>();
  const maxPerFrame: Record<string, number> = {};
  for (const { id, frame } of renderLog) {
    commits[id] = (commits[id] ?? 0) + 1;
    const key = `${id}\u0000${frame}`;
    const count = (perFrame.get(key) ?? 0) + 1;
    perFrame.set(key, count);
    maxPerFrame[id] = Math.max(maxPerFrame[id] ?? 0, count);
  }
  return { commits, maxPerFrame, frames: frameIndex - frameBase };
}

/** What the runner may call with `Runtime.evaluate` (while the page is quiet). */
export interface Harness {
  counters: typeof counters;
  /** Start a new measurement (the render-count scenario measures a burst after the mount). */
  rearm(n: number): void;
  resetRenderCounts(): void;
  renderCounts(): RenderCounts;
  /** The raw material of `renderCounts`: each render/commit with its frame and time. */
  renderLog(): { id: string; frame: number; at: number }[];
  focusField(): boolean;
  /**
   * Block this page's main thread until the runner releases it: a synchronous XHR to the static
   * server's `/__hold`, during which no task (no WebSocket message, no frame) runs. The runner
   * queues a flood meanwhile, so that the measurement sees it arrive as fast as the page can take
   * it, not as fast as the server writes it.
   */
  hold(): void;
  /** `join`: open the page's socket now (see `onStart`). */
  start(): void;
}

window.__bench = {
  counters,
  rearm(n: number) {
    (config as { n: number }).n = n;
    counters.messages = 0;
    counters.t0 = -1;
    counters.tLast = -1;
    done = false;
    measuring = null;
    longTasks.length = 0;
  },
  resetRenderCounts,
  renderCounts,
  renderLog: () => renderLog,
  hold() {
    const request = new XMLHttpRequest();
    request.open('GET', '/__hold', false);
    request.send();
  },
  start() {
    const connect = deferredStart;
    deferredStart = null;
    connect?.();
  },
  focusField() {
    const field = document.querySelector('textarea');
    field?.focus();
    return document.activeElement === field && field !== null;
  },
};
