// @vitest-environment node
// Fuzzing the connection core: a WebSocketClient on a scripted socket is fed generated frames
// (random text and bytes, truncated and deeply nested JSON, wrong field types, huge strings,
// `__proto__`/`constructor` keys, binary and junk where text is expected) and generated outgoing
// values. Nothing may throw out of the kit, every bad frame must be reported as a typed error (and
// every good one delivered), the snapshot must stay consistent, and no prototype may be polluted.
// Seeded: FUZZ_SEED=<n> replays a run; the seed is printed.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { ReadyState, WebSocketClient, type WebSocketError } from '../../src/core/index.ts';
import { decodeServerPacket } from '../../src/protocol/index.ts';
import { frame, type Frame } from './lib/arbitraries.ts';
import { fuzzSeed, recordFigures } from './lib/figures.ts';
import { pollutionProbe, prototypeFingerprint } from './lib/prototype.ts';

const SEED = fuzzSeed(20_261_126);
const RUNS = 220;
const FRAMES_PER_RUN = { minLength: 50, maxLength: 70 };

/** A socket the test drives by hand: it opens when told and hands over whatever frames it is given. */
class ScriptedSocket {
  static last: ScriptedSocket | null = null;
  readyState = 0;
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  binaryType: BinaryType = 'blob';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  readonly sent: unknown[] = [];
  constructor(readonly url: string) {
    ScriptedSocket.last = this;
  }
  send(data: unknown): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close(code = 1005, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean: true });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
}

type Mode = 'json+validate' | 'json' | 'text' | 'custom';
const MODES: readonly Mode[] = ['json+validate', 'json', 'text', 'custom'];

/** What the core must do with `data` in `mode`, computed independently of it. */
function expected(mode: Mode, data: unknown): 'message' | 'parse' | 'validation' {
  if (mode === 'custom') return typeof data === 'string' && data.length % 3 === 0 ? 'parse' : 'message';
  if (typeof data !== 'string') return 'parse';
  if (mode === 'text') return 'message';
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return 'parse';
  }
  if (mode === 'json') return 'message';
  return decodeServerPacket(value).status === 'packet' ? 'message' : 'validation';
}

/** Outgoing values, some of which JSON cannot encode. */
const outgoing = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(undefined, () => 1, Symbol('s'), 10n),
  fc.constant('cyclic').map(() => {
    const value: Record<string, unknown> = {};
    value.self = value;
    return value;
  }),
  fc.constant('throwing toJSON').map(() => ({
    toJSON() {
      throw new Error('no');
    },
  })),
);

/** Cheap assertions for the hot loop (expect() per frame would dominate the run). */
function fail(message: string, f: Frame): never {
  const shown = typeof f.data === 'string' ? JSON.stringify(f.data.slice(0, 200)) : String(f.data);
  throw new Error(`${message}; frame (${f.kind}): ${shown}`);
}
function check(condition: boolean, message: string, f: Frame): void {
  if (!condition) fail(message, f);
}

const totals = { runs: 0, frames: 0, delivered: 0, errors: {} as Record<string, number>, sends: 0, rejectedSends: 0, maxFrameBytes: 0 };

afterAll(() => {
  recordFigures('Fuzzing: connection core', 'npm test', [
    { what: 'seed', value: String(SEED) },
    { what: 'runs (a fresh client each)', value: totals.runs },
    { what: 'frames fed', value: totals.frames },
    { what: 'frames delivered as messages', value: totals.delivered },
    {
      what: 'typed errors reported',
      value: Object.entries(totals.errors)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    },
    { what: 'outgoing values tried (rejected as send errors)', value: `${totals.sends} (${totals.rejectedSends})` },
    { what: 'largest frame', value: `${totals.maxFrameBytes.toLocaleString('en-US')} chars` },
    { what: 'exceptions out of the kit', value: 0 },
    { what: 'prototype pollution', value: 'none' },
  ]);
});

describe('fuzzing the connection core', () => {
  it(`survives ${RUNS} runs of hostile frames and values (seed ${SEED})`, { timeout: 120_000 }, () => {
    const fingerprint = prototypeFingerprint();
    console.log(`[reliability] fuzz-core seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    fc.assert(
      fc.property(
        fc.constantFrom(...MODES),
        fc.array(
          fc.oneof({ weight: 12, arbitrary: frame.map((f) => ({ in: f })) }, { weight: 1, arbitrary: outgoing.map((v) => ({ out: v })) }),
          FRAMES_PER_RUN,
        ),
        (mode, steps) => {
          totals.runs++;
          const client = new WebSocketClient<unknown, unknown>({
            url: 'ws://127.0.0.1:1/',
            WebSocket: ScriptedSocket as unknown as typeof WebSocket,
            reconnect: false,
            parse:
              mode === 'custom'
                ? (data) => {
                    if (typeof data === 'string' && data.length % 3 === 0) throw new TypeError('custom parser refuses');
                    return { wrapped: data };
                  }
                : mode === 'json+validate'
                  ? 'json'
                  : mode,
            validate: mode === 'json+validate' ? (value: unknown) => decodeServerPacket(value).status === 'packet' : undefined,
          });
          const delivered: unknown[] = [];
          const errors: WebSocketError[] = [];
          let snapshots = 0;
          client.on('message', (message) => delivered.push(message));
          client.on('error', (error) => errors.push(error));
          client.subscribe(() => snapshots++);
          client.connect();
          const socket = ScriptedSocket.last as ScriptedSocket;
          socket.open();
          expect(client.getSnapshot().readyState).toBe(ReadyState.OPEN);

          let wantMessages = 0;
          let wantErrors = 0;
          for (const step of steps) {
            if ('out' in step) {
              totals.sends++;
              const before = errors.length;
              let result: string | undefined;
              expect(() => (result = client.sendJson(step.out))).not.toThrow();
              if (result === 'rejected') {
                totals.rejectedSends++;
                expect(errors.length).toBe(before + 1);
                expect(errors.at(-1)?.kind).toBe('send');
                wantErrors++;
              } else {
                expect(result).toBe('sent');
                expect(errors.length).toBe(before);
              }
              continue;
            }
            const f: Frame = step.in;
            totals.frames++;
            if (typeof f.data === 'string') totals.maxFrameBytes = Math.max(totals.maxFrameBytes, f.data.length);
            const want = expected(mode, f.data);
            const beforeErrors = errors.length;
            const beforeMessages = delivered.length;
            try {
              socket.onmessage?.({ data: f.data });
            } catch (thrown) {
              fail(`a frame threw out of the kit: ${String(thrown)}`, f);
            }
            if (want === 'message') {
              wantMessages++;
              check(
                delivered.length === beforeMessages + 1 && errors.length === beforeErrors,
                'a good frame was not delivered exactly once',
                f,
              );
            } else {
              wantErrors++;
              check(
                delivered.length === beforeMessages && errors.length === beforeErrors + 1,
                `a bad frame was not reported once as ${want}`,
                f,
              );
              const error = errors.at(-1) as WebSocketError;
              check(error.kind === want, `expected a '${want}' error, got '${error.kind}'`, f);
              check(
                Object.isFrozen(error) && typeof error.message === 'string' && Number.isFinite(error.timestamp),
                'a malformed error value',
                f,
              );
              // The raw frame travels with the error, untouched.
              check(Object.is(error.data, f.data), 'the error does not carry the raw frame', f);
              totals.errors[error.kind] = (totals.errors[error.kind] ?? 0) + 1;
            }
            const snapshot = client.getSnapshot();
            check(Object.isFrozen(snapshot) && snapshot.readyState === ReadyState.OPEN, 'the snapshot changed state', f);
            check(snapshot.messageCount === delivered.length, 'messageCount differs from the messages delivered', f);
          }
          totals.delivered += delivered.length;
          const snapshot = client.getSnapshot();
          expect(delivered.length).toBe(wantMessages);
          expect(errors.length).toBe(wantErrors);
          expect(snapshot.messageCount).toBe(wantMessages);
          if (delivered.length > 0) expect(snapshot.lastMessage).toBe(delivered.at(-1));
          if (errors.length > 0) expect(snapshot.error).toBe(errors.at(-1));
          expect(snapshot.queued).toBe(0);
          expect(snapshots).toBeGreaterThan(0);
          // Nothing reached any prototype.
          expect(prototypeFingerprint()).toBe(fingerprint);
          expect(pollutionProbe()).toEqual([undefined, undefined, undefined, undefined]);

          client.dispose();
          expect(client.getSnapshot().readyState).toBe(ReadyState.CLOSED);
          expect(socket.readyState).toBe(3);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(totals.frames).toBeGreaterThanOrEqual(10_000);
  });
});
