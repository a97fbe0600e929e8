// The catch-up scenarios' part of the report (issue 15): their targets and their tables.
import { ratioToLimit, summarizeFlood, table, VARIANT_LABELS, type BenchResults, type Target } from './report.ts';
import type { FloodRun } from './scenarios.ts';
import { max, median } from './stats.ts';

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(0));
const int = (value: number | null | undefined) => (value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const ratio = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value.toFixed(2)}×`);

function runsOf(results: Omit<BenchResults, 'targets'>, scenario: 'resume' | 'join'): FloodRun[] {
  return (results.catchUp ?? []).filter((run) => run.scenario === scenario);
}

/** Lost or doubled in any repeat of `variant`, and repeats that did not finish. */
function exactness(runs: readonly FloodRun[], variant: string): { lost: number; doubled: number; unfinished: number; repeats: number } {
  const own = runs.filter((run) => run.variant === variant);
  return {
    lost: max(own.map((run) => run.lost)) ?? 0,
    doubled: max(own.map((run) => run.doubled ?? 0)) ?? 0,
    unfinished: own.filter((run) => !run.completed).length,
    repeats: own.length,
  };
}

export function catchUpTargets(results: Omit<BenchResults, 'targets'>): Target[] {
  const targets: Target[] = [];
  const resume = runsOf(results, 'resume');
  if (resume.length > 0) {
    const n = resume[0]!.n;
    const kit = summarizeFlood(resume, 'kit');
    const limit = summarizeFlood(resume, 'limit');
    const group = `Resume after ${int(n)} missed`;
    targets.push({
      group,
      target: "reconnect → last missed message rendered within 1.5× the limit page's",
      measured:
        kit.ratio === null
          ? `did not complete (${kit.failure ?? 'timeout'})`
          : `${ratio(kit.ratio)} (${ms(kit.time)} ms vs ${ms(limit.time)} ms)`,
      pass: kit.ratio === null ? false : kit.ratio <= 1.5,
    });
    const exact = ['kit', 'limit'].map((variant) => ({ variant, ...exactness(resume, variant) }));
    targets.push({
      group,
      target: 'every missed message shown exactly once (counted in every repeat)',
      measured: exact
        .map((e) => `${e.variant}: ${e.lost} lost, ${e.doubled} doubled, ${e.unfinished} of ${e.repeats} unfinished (worst repeat)`)
        .join('; '),
      pass: exact.every((e) => e.repeats > 0 && e.lost === 0 && e.doubled === 0 && e.unfinished === 0),
    });
    targets.push({
      group,
      target: 'no task longer than 50 ms',
      measured:
        kit.repeatsWithLongTask === 0
          ? 'none in any repeat'
          : `${kit.repeatsWithLongTask} of ${kit.repeats} repeats had one (worst ${ms(kit.longestTaskMax)} ms; limit page: ${summarizeFlood(resume, 'limit').repeatsWithLongTask} repeats)`,
      pass: kit.repeats > 0 && kit.repeatsWithLongTask === 0,
    });
  }
  const join = runsOf(results, 'join');
  if (join.length > 0) {
    const kit = summarizeFlood(join, 'kit');
    const limit = summarizeFlood(join, 'limit');
    const exact = ['kit', 'limit'].map((variant) => ({ variant, ...exactness(join, variant) }));
    // The time has no target of its own (reported against the limit page); the counts do.
    targets.push({
      group: `Join with ${int(join[0]!.n)} in history`,
      target: 'every history message shown once (open → last history row rendered: reported, no target)',
      measured:
        `${ratio(kit.ratio)} (${ms(kit.time)} ms vs ${ms(limit.time)} ms; longest task ${kit.longestTaskMax ? `${ms(kit.longestTaskMax)} ms` : '< 50 ms'}); ` +
        exact.map((e) => `${e.variant}: ${e.lost} lost, ${e.doubled} doubled, ${e.unfinished} of ${e.repeats} unfinished`).join('; '),
      pass: exact.every((e) => e.repeats > 0 && e.lost === 0 && e.doubled === 0 && e.unfinished === 0),
    });
  }
  return targets;
}

function catchUpTable(runs: readonly FloodRun[], variants: readonly string[]): string {
  return table(
    [
      'variant',
      'open → last rendered, ms (min–max)',
      '× limit',
      'open → last history frame, ms',
      'lost / doubled (worst repeat)',
      'longest task, ms',
      'largest frame gap, ms',
      'JS + Blink heap after, MB',
      'page errors',
      'repeats',
    ],
    variants.map((variant) => {
      const s = summarizeFlood(runs, variant);
      const own = runs.filter((run) => run.variant === variant);
      const e = exactness(runs, variant);
      const heap = s.heapJs === null ? null : s.heapJs + (s.heapBlink ?? 0);
      return [
        VARIANT_LABELS[variant] ?? variant,
        s.completed === 0 ? `did not finish${s.failure ? `: ${s.failure}` : ''}` : `${ms(s.time)} (${ms(s.timeMin)}–${ms(s.timeMax)})`,
        variant === 'limit' ? '1×' : ratio(ratioToLimit(runs, variant, (run) => (run.completed ? run.time : null))),
        ms(median(own.map((run) => run.arrival))),
        `${e.lost} / ${e.doubled}${e.unfinished ? `, ${e.unfinished} unfinished` : ''}`,
        s.longestTask ? `${ms(s.longestTask)} (${s.repeatsWithLongTask}/${s.repeats} repeats)` : '< 50 (none)',
        ms(s.maxFrameGap),
        heap === null ? '—' : (heap / 1e6).toFixed(1),
        int(s.errors),
        String(s.repeats),
      ];
    }),
  );
}

/** The catch-up scenarios' section of results.md, or '' when none ran. */
export function catchUpSection(results: BenchResults): string {
  const parts: string[] = [];
  const variants = results.meta.variants.filter((v) => v === 'limit' || v === 'kit');
  const resume = runsOf(results, 'resume');
  if (resume.length > 0) {
    parts.push(
      `## Resume: ${int(resume[0]!.n)} messages missed while the link was cut, then a reconnect\n\n` +
        'The kit with `chatHistory()`; the limit page asks for the same catch-up (`after` its last `seq`) and parses its frames. ' +
        "Timed from the reconnecting socket's `open` (the kit's backoff before it is left out).\n\n" +
        catchUpTable(resume, variants),
    );
  }
  const join = runsOf(results, 'join');
  if (join.length > 0) {
    parts.push(
      `## Join: a room with ${int(join[0]!.n)} messages of history\n\n` +
        "The page is loaded and quiet, then opens its socket; timed from its `open` to the frame that shows the history's last message.\n\n" +
        catchUpTable(join, variants),
    );
  }
  return parts.join('\n\n');
}
