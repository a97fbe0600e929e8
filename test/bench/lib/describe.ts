// The one-line summaries of a run that `npm run bench` logs as it goes.
import type { FanoutRun } from './fanout.ts';
import type { FloodRun, SteadyRun } from './scenarios.ts';

const fmt = (value: number | null) => (value === null ? '—' : value.toFixed(1));

export function describeSteady(run: SteadyRun): string {
  return `key p50 ${fmt(run.keyP50)} p95 ${fmt(run.keyP95)} ms (${run.keys} keys), frame gap p95 ${fmt(run.frameGapP95)} ms, errors ${run.errors}${run.timedOut ? ', fell behind' : ''}${run.failure ? `, ${run.failure}` : ''}`;
}

export function describeFanout(run: FanoutRun): string {
  const r = run.result;
  if (!r) return `FAILED: ${run.failure}`;
  const c = r.closedLoop;
  const f = r.fixedRate;
  const perDelivery = run.serverCpuMs === null || c.deliveries === 0 ? '—' : ((run.serverCpuMs * 1000) / c.deliveries).toFixed(1);
  return (
    `${c.deliveriesPerSecond.toFixed(0)} deliveries/s (closed loop, p99 ${fmt(c.latencyP99)} ms), ` +
    `at ${f.messages} messages: p50 ${fmt(f.latencyP50)} p99 ${fmt(f.latencyP99)} ms; server CPU ${perDelivery} µs/delivery, clients CPU ${r.clientsCpuMs.toFixed(0)} ms; ` +
    `lost ${r.lost}, doubled ${r.doubled}, order mismatches ${r.orderMismatches}${run.failure ? `, FAILURE ${run.failure}` : ''}`
  );
}

export function describeFlood(run: FloodRun): string {
  const memory = run.memory
    ? `, heap ${(run.memory.heapJs / 1e6).toFixed(1)}+${(run.memory.heapBlink / 1e6).toFixed(1)} MB, ${run.memory.domNodes} nodes`
    : '';
  // Where the largest gap was (0 = first gap, 1 = last), the messages that arrived in it, how late the frame ran.
  const w = run.worstFrame;
  const worst = w ? ` (at ${w.at.toFixed(2)}, ${w.messages} messages, ${w.late.toFixed(0)} ms late)` : '';
  return (
    `${run.completed ? `${run.time!.toFixed(0)} ms` : `did not finish (${run.rendered} of ${run.received} rendered)`}, lost ${run.lost}${run.doubled ? `, DOUBLED ${run.doubled}` : ''}, ` +
    `${run.arrival !== null ? `last frame in ${run.arrival.toFixed(0)} ms, ` : ''}longest task ${run.longestTask.toFixed(0)} ms (${run.longTasks}), max gap ${fmt(run.maxFrameGap)} ms${worst}${memory}, errors ${run.errors}, relay ${run.relayMs.toFixed(0)} ms` +
    (run.phases && Object.keys(run.phases).length > 0
      ? `; phases: ${Object.entries(run.phases)
          .sort(([, a], [, b]) => a - b)
          .map(([name, at]) => `${name} ${at.toFixed(0)}`)
          .join(', ')}`
      : '') +
    (run.failure ? `, FAILURE ${run.failure}` : '')
  );
}
