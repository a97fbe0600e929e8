// The clients of the fan-out benchmark, in their own process (forked by lib/fanout.ts): `clients`
// WebSocket clients spread evenly over the server URLs, `senders` of them writing MDN `message`
// packets. Each message's text starts with `#<k>` (k numbers the messages); a client finds k in the
// raw frame (no JSON.parse: the clients' cost should be the same whatever the server, and small).
// Every client checks nothing itself; the process counts, per message, how many clients got it, and
// hashes each client's sequence (every client must see the same order), and times each delivery
// from the moment its message was written.
//
// Two phases, each followed by a drain (every message written has reached every client, or the
// drain times out):
// 1. a saturating closed loop: `window` messages in the room at any time (the next is written when
//    one has reached every client), round-robin over the senders; after `warmupMs`, deliveries are
//    counted for `measureMs`: the throughput;
// 2. a fixed offered rate, `rate` messages/s for `rateMs`, written evenly by the senders on a timer
//    whatever the server does: the delivery latency at a load every server should carry.
import { WebSocket } from 'ws';

export interface FanoutClientConfig {
  readonly urls: readonly string[];
  readonly clients: number;
  readonly senders: number;
  readonly window: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly rate: number;
  readonly rateMs: number;
  readonly drainMs: number;
}

export interface FanoutPhase {
  /** Messages written in the phase (the measured window, for the closed loop). */
  readonly messages: number;
  /** Deliveries (a message reaching one client) counted in the phase's window. */
  readonly deliveries: number;
  readonly seconds: number;
  readonly deliveriesPerSecond: number;
  readonly latencyP50: number | null;
  readonly latencyP99: number | null;
  readonly latencyMax: number | null;
}

export interface FanoutClientResult {
  readonly closedLoop: FanoutPhase;
  readonly fixedRate: FanoutPhase;
  /** Messages written in all. */
  readonly written: number;
  /** Message × client pairs missing at the end (after the drains). */
  readonly lost: number;
  /** Deliveries beyond one per client and message. */
  readonly doubled: number;
  /** Clients whose sequence differs from the first client's (order or content). */
  readonly orderMismatches: number;
  /** CPU time of this process in the closed loop's window (ms). */
  readonly clientsCpuMs: number;
  readonly failure?: string;
}

const MARK = Buffer.from('"text":"#');
const FILLER = ' sounds good, I will push the fix after lunch and ping you when CI is green again';
const MAX_MESSAGES = 2_000_000;

function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function run(config: FanoutClientConfig, tell: (event: string) => void): Promise<FanoutClientResult> {
  const n = config.clients;
  const sentAt = new Float64Array(MAX_MESSAGES);
  const counts = new Uint16Array(MAX_MESSAGES);
  const hashes = new Uint32Array(n);
  let written = 0;
  let complete = 0;
  let doubled = 0;
  // What the current phase collects.
  let phase: 'idle' | 'closed' | 'rate' = 'idle';
  let windowOpen = false;
  let windowFrom = 0;
  let deliveries = 0;
  let latencies: number[] = [];
  let onComplete: (() => void) | null = null;

  const sockets: WebSocket[] = [];
  const receive = (client: number, data: Buffer) => {
    const at = data.indexOf(MARK);
    if (at < 0) return;
    let k = 0;
    for (let i = at + MARK.length; i < data.length; i++) {
      const digit = data[i]! - 48;
      if (digit < 0 || digit > 9) break;
      k = k * 10 + digit;
    }
    const now = performance.now();
    hashes[client] = (Math.imul(hashes[client]!, 31) + k + 1) >>> 0;
    const count = ++counts[k]!;
    if (count > n) doubled++;
    if (windowOpen) {
      deliveries++;
      if (sentAt[k]! >= windowFrom) latencies.push(now - sentAt[k]!);
    }
    if (count === n) {
      complete++;
      onComplete?.();
    }
  };
  await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const socket = new WebSocket(config.urls[i % config.urls.length]!, 'json', { perMessageDeflate: false, skipUTF8Validation: true });
      sockets.push(socket);
      socket.on('message', (data: Buffer) => receive(i, data));
      return new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
    }),
  );
  // Let the sign-in traffic (ids, user lists) pass.
  await new Promise((resolve) => setTimeout(resolve, 500));

  const write = () => {
    const k = written++;
    const sender = sockets[k % config.senders]!;
    sentAt[k] = performance.now();
    sender.send(`{"type":"message","text":"#${k}${FILLER}","id":0,"date":${Date.now()}}`);
  };
  const drain = async () => {
    const deadline = performance.now() + config.drainMs;
    while (complete < written && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const summary = (messages: number, seconds: number): FanoutPhase => {
    const sorted = Float64Array.from(latencies).sort();
    return {
      messages,
      deliveries,
      seconds,
      deliveriesPerSecond: deliveries / seconds,
      latencyP50: percentile(sorted, 50),
      latencyP99: percentile(sorted, 99),
      latencyMax: sorted.length ? sorted[sorted.length - 1]! : null,
    };
  };

  // 1. The closed loop.
  phase = 'closed';
  onComplete = () => {
    if (phase === 'closed') write();
  };
  for (let i = 0; i < config.window; i++) write();
  await new Promise((resolve) => setTimeout(resolve, config.warmupMs));
  const cpuStart = process.cpuUsage();
  tell('window-start');
  windowFrom = performance.now();
  const writtenBefore = written;
  windowOpen = true;
  await new Promise((resolve) => setTimeout(resolve, config.measureMs));
  windowOpen = false;
  const closedSeconds = (performance.now() - windowFrom) / 1000;
  tell('window-end');
  const cpu = process.cpuUsage(cpuStart);
  const closedLoop = summary(written - writtenBefore, closedSeconds);
  phase = 'idle';
  await drain();

  // 2. The fixed rate.
  deliveries = 0;
  latencies = [];
  phase = 'rate';
  const rateStart = performance.now();
  windowFrom = rateStart;
  windowOpen = true;
  const total = Math.round((config.rate * config.rateMs) / 1000);
  let rateWritten = 0;
  while (rateWritten < total) {
    const due = Math.min(total, Math.floor(((performance.now() - rateStart) * config.rate) / 1000) + 1);
    for (; rateWritten < due; rateWritten++) write();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await drain();
  windowOpen = false;
  const fixedRate = summary(total, (performance.now() - rateStart) / 1000);
  phase = 'idle';

  let lost = 0;
  for (let k = 0; k < written; k++) lost += Math.max(0, n - counts[k]!);
  const orderMismatches = hashes.filter((hash) => hash !== hashes[0]).length;
  for (const socket of sockets) socket.terminate();
  return {
    closedLoop,
    fixedRate,
    written,
    lost,
    doubled,
    orderMismatches,
    clientsCpuMs: (cpu.user + cpu.system) / 1000,
    ...(complete < written && { failure: `${written - complete} of ${written} messages had not reached every client after the drain` }),
  };
}

process.on('message', (message: { run: FanoutClientConfig }) => {
  run(message.run, (event) => process.send?.({ event })).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: String(error instanceof Error ? error.stack : error) }, () => process.exit(1)),
  );
});
