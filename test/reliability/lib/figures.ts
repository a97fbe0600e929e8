// The figures of the reliability suite (cases tried, faults survived, messages checked, peak memory):
// each test file prints its section when it finishes. Under `npm run test:reliability` (which runs
// the fast files too) each section is also stored in .figures/<section>.json and results.md is
// rebuilt from every section on disk; `npm test` only prints, so a test run leaves the tree clean.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const figuresDir = path.join(root, '.figures');

export interface Figure {
  readonly what: string;
  readonly value: string | number;
}

export interface Section {
  readonly section: string;
  /** Which command produces it. */
  readonly run: 'npm test' | 'npm run test:reliability';
  readonly figures: Figure[];
  readonly at: string;
}

/** The seed of the fuzzers: FUZZ_SEED when set (to replay a failure), else a fixed one. */
export function fuzzSeed(fallback: number): number {
  const given = process.env.FUZZ_SEED;
  return given !== undefined && given !== '' ? Number(given) : fallback;
}

/** Print the figures; under `npm run test:reliability`, also store them and rebuild results.md. */
export function recordFigures(section: string, run: Section['run'], figures: Figure[]): void {
  const entry: Section = { section, run, figures, at: new Date().toISOString() };
  console.log(`[reliability] ${section}\n${figures.map((f) => `  ${f.what}: ${f.value}`).join('\n')}`);
  if (process.env.RELIABILITY !== '1') return;
  mkdirSync(figuresDir, { recursive: true });
  writeFileSync(path.join(figuresDir, `${slug(section)}.json`), JSON.stringify(entry, null, 2));
  writeResults();
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function writeResults(): void {
  const sections: Section[] = readdirSync(figuresDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(path.join(figuresDir, name), 'utf8')) as Section)
    .sort((a, b) => a.section.localeCompare(b.section));
  const lines = [
    '# Reliability figures',
    '',
    'Written by `npm run test:reliability`, which runs the whole suite (test/reliability): the fast parts',
    '(fuzzing, leaks; also part of `npm test`, which only prints them) and the slow ones (faults, half-open',
    'and slow links, forged packets, soak, server load). Each section shows when it was last produced and',
    'which command also runs it.',
    '',
  ];
  for (const s of sections) {
    lines.push(`## ${s.section}`, '', `\`${s.run}\`, ${s.at}`, '', '| figure | value |', '|---|---|');
    for (const f of s.figures) lines.push(`| ${f.what} | ${typeof f.value === 'number' ? f.value.toLocaleString('en-US') : f.value} |`);
    lines.push('');
  }
  writeFileSync(path.join(root, 'results.md'), lines.join('\n'));
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
