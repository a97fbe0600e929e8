// The fan-out's part of the report (issue 16): its targets and its table.
import type { FanoutRun, FanoutTarget } from './fanout.ts';
import { table, type BenchResults, type Target } from './report.ts';
import { max, median, min } from './stats.ts';

export const FANOUT_LABELS: Record<FanoutTarget, string> = {
  bare: '`ws` broadcast loop (the limit: each frame as received, to every client)',
  memory: 'the reference server, room in memory',
  redis3: '3 reference servers over one Redis (clients spread over them)',
  mdn: "MDN's sample server (the in-repo stand-in)",
};

const fixed = (value: number | null | undefined, digits = 0) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const int = (value: number | null | undefined) => (value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const ratio = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value.toFixed(2)}×`);

/** The measured runs (repeat 0 is a profiled extra run: not counted). */
function measured(results: Omit<BenchResults, 'targets'>): FanoutRun[] {
  return (results.fanout ?? []).filter((run) => run.repeat > 0);
}

const throughput = (run: FanoutRun | undefined) => run?.result?.closedLoop.deliveriesPerSecond ?? null;
/** Server CPU (all its processes, redis-server included) per delivery, in µs. */
const cpuPerDelivery = (run: FanoutRun | undefined) =>
  run?.serverCpuMs != null && run.result && run.result.closedLoop.deliveries > 0
    ? (run.serverCpuMs * 1000) / run.result.closedLoop.deliveries
    : null;

/** Median over repeats of `value(target's run) / value(base's run of the same repeat)`. */
function ratioTo(
  runs: readonly FanoutRun[],
  target: FanoutTarget,
  base: FanoutTarget,
  value: (run: FanoutRun | undefined) => number | null,
): number | null {
  const ratios: number[] = [];
  for (const run of runs.filter((r) => r.target === target)) {
    const a = value(run);
    const b = value(runs.find((other) => other.target === base && other.repeat === run.repeat));
    if (a !== null && b !== null && b > 0) ratios.push(a / b);
  }
  return median(ratios);
}

function exactness(runs: readonly FanoutRun[]): { lost: number; doubled: number; mismatches: number; failed: number } {
  return {
    lost: max(runs.map((run) => run.result?.lost)) ?? 0,
    doubled: max(runs.map((run) => run.result?.doubled)) ?? 0,
    mismatches: max(runs.map((run) => run.result?.orderMismatches)) ?? 0,
    failed: runs.filter((run) => !run.result || run.failure).length,
  };
}

export function fanoutTargets(results: Omit<BenchResults, 'targets'>): Target[] {
  const runs = measured(results);
  if (runs.length === 0) return [];
  const median_ = (target: FanoutTarget) => median(runs.filter((run) => run.target === target).map(throughput));
  const memoryRatio = ratioTo(runs, 'memory', 'bare', throughput);
  const redisRatio = ratioTo(runs, 'redis3', 'memory', throughput);
  const exact = exactness(runs);
  const clients = results.meta.fanout?.clients ?? 0;
  return [
    {
      group: 'Fan-out',
      target: 'reference server in memory ≥ 0.7× the bare `ws` loop (deliveries/s)',
      measured: `${ratio(memoryRatio)} (${int(median_('memory'))} vs ${int(median_('bare'))} deliveries/s; server CPU per delivery ${ratio(ratioTo(runs, 'memory', 'bare', cpuPerDelivery))})`,
      pass: memoryRatio === null ? false : memoryRatio >= 0.7,
    },
    {
      group: 'Fan-out',
      target: '3 nodes over Redis ≥ 0.5× the single node in memory (deliveries/s)',
      measured: `${ratio(redisRatio)} (${int(median_('redis3'))} vs ${int(median_('memory'))} deliveries/s; server CPU per delivery ${ratio(ratioTo(runs, 'redis3', 'memory', cpuPerDelivery))})`,
      pass: redisRatio === null ? false : redisRatio >= 0.5,
    },
    {
      group: 'Fan-out',
      target: `every one of ${int(clients)} clients gets every message once, all in one order (every server, every repeat)`,
      measured: `${exact.lost} lost, ${exact.doubled} doubled, ${exact.mismatches} clients out of order (worst repeat); ${exact.failed} runs failed`,
      pass: exact.lost === 0 && exact.doubled === 0 && exact.mismatches === 0 && exact.failed === 0,
    },
  ];
}

export function fanoutSection(results: BenchResults): string {
  const runs = measured(results);
  const load = results.meta.fanout;
  if (runs.length === 0 || !load) return '';
  const rows = (Object.keys(FANOUT_LABELS) as FanoutTarget[]).map((target) => {
    const own = runs.filter((run) => run.target === target);
    const e = exactness(own);
    const values = own.map(throughput);
    return [
      FANOUT_LABELS[target],
      `${int(median(values))} (${int(min(values))}–${int(max(values))})`,
      target === 'bare' ? '1×' : ratio(ratioTo(runs, target, 'bare', throughput)),
      target === 'memory' ? '1×' : ratio(ratioTo(runs, target, 'memory', throughput)),
      fixed(median(own.map((run) => run.result?.closedLoop.latencyP99))),
      `${fixed(median(own.map((run) => run.result?.fixedRate.latencyP50)), 1)} / ${fixed(median(own.map((run) => run.result?.fixedRate.latencyP99)), 1)}`,
      target === 'bare' ? '1×' : ratio(ratioTo(runs, target, 'bare', (run) => run?.result?.fixedRate.latencyP99 ?? null)),
      fixed(median(own.map(cpuPerDelivery)), 1),
      target === 'bare' ? '1×' : ratio(ratioTo(runs, target, 'bare', cpuPerDelivery)),
      `${e.lost} / ${e.doubled} / ${e.mismatches}${e.failed ? `; ${e.failed} failed: ${own.find((run) => run.failure)?.failure}` : ''}`,
      String(own.length),
    ];
  });
  const profiles = (results.fanout ?? []).filter((run) => run.profile);
  const profileText = profiles
    .map(
      (run) =>
        `**Profile of ${FANOUT_LABELS[run.target]}** (V8 sampling profile of its server processes over the measured window, self time, idle left out):\n\n` +
        table(
          ['function', 'self ms', '%'],
          (run.profile ?? []).slice(0, 15).map((f) => [`\`${f.name}\``, fixed(f.ms, 1), `${f.percent.toFixed(1)}%`]),
        ),
    )
    .join('\n\n');
  return [
    `## Fan-out: ${int(load.clients)} clients on loopback, one room\n`,
    `Each server in its own process, the clients in another; ${load.senders} of the clients write. Closed loop: ${load.window} messages in the room at a time ` +
      `(the next written when one reached every client), ${load.measureMs / 1000} s measured after ${load.warmupMs / 1000} s; a delivery is one message reaching one client. ` +
      `Fixed rate: ${load.rate} messages/s (${int(load.rate * load.clients)} deliveries/s) for ${load.rateMs / 1000} s, latency from the write to each client's receipt. ` +
      'Server CPU: user + system time of the server processes (and redis-server) in the measured window, per delivery. Ratios: medians of the per-repeat ratios.\n',
    table(
      [
        'server',
        'deliveries/s, closed loop (min–max)',
        '× bare',
        '× memory',
        'closed loop p99, ms',
        'fixed rate p50 / p99, ms',
        'p99 × bare',
        'server CPU µs/delivery',
        'CPU × bare',
        'lost / doubled / out of order',
        'repeats',
      ],
      rows,
    ),
    ...(profileText ? ['', profileText] : []),
  ].join('\n');
}
