// @vitest-environment node
// Fuzzing the protocol: the decoders (server packets as the page reads them, client packets as the
// server reads them) against an independent model of the MDN protocol, and the ChatStore fed the
// same hostile packets mixed with user actions and disconnects. Nothing may throw, every bad packet
// must be classified (and counted and reported by the store), the store's state must stay
// consistent, and no prototype may be polluted. Seeded: FUZZ_SEED=<n> replays; the seed is printed.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { ChatStore, immediateScheduler, type ChatConnection, type ChatState } from '../../src/chat/index.ts';
import type { WebSocketError } from '../../src/core/index.ts';
import { decodeClientPacket, decodeServerPacket, type ClientPacket } from '../../src/protocol/index.ts';
import { nearPacket, parsedValue, textFrame, safeParse } from './lib/arbitraries.ts';
import { fuzzSeed, recordFigures } from './lib/figures.ts';
import { pollutionProbe, prototypeFingerprint } from './lib/prototype.ts';

const SEED = fuzzSeed(6_2026);

// ---- an independent model of the protocol's shapes ----------------------------------------------

type Want = 'packet' | 'unknown' | 'malformed';
const str = (v: unknown) => typeof v === 'string';
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const users = (v: unknown) => Array.isArray(v) && v.every((u) => u === null || typeof u === 'string');

const SERVER_MODEL: Record<string, Record<string, (v: unknown) => boolean>> = {
  id: { id: num },
  rejectusername: { id: num, name: str },
  userlist: { users },
  username: { id: num, name: str, date: num },
  message: { id: num, name: str, text: str, date: num, nonce: optStr },
};
const CLIENT_MODEL: Record<string, Record<string, (v: unknown) => boolean>> = {
  username: { name: str },
  message: { text: str, nonce: optStr },
};

function own(value: object, key: string): unknown {
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function model(value: unknown, shapes: Record<string, Record<string, (v: unknown) => boolean>>): Want {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'malformed';
  const type = own(value, 'type');
  if (typeof type !== 'string') return 'malformed';
  if (!Object.hasOwn(shapes, type)) return 'unknown';
  for (const [field, ok] of Object.entries(shapes[type] as object))
    if (!(ok as (v: unknown) => boolean)(own(value, field))) return 'malformed';
  return 'packet';
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const figures = {
  decoderServer: 0,
  decoderClient: 0,
  byStatus: {} as Record<string, number>,
  storeRuns: 0,
  storePackets: 0,
  storeMalformed: 0,
  storeUnknown: 0,
  storeSends: 0,
};

afterAll(() => {
  recordFigures('Fuzzing: protocol decoders and chat store', 'npm test', [
    { what: 'seed', value: String(SEED) },
    { what: 'values fed to decodeServerPacket', value: figures.decoderServer },
    { what: 'values fed to decodeClientPacket', value: figures.decoderClient },
    {
      what: 'decoder outcomes (packet / unknown / malformed)',
      value: ['packet', 'unknown', 'malformed'].map((k) => figures.byStatus[k] ?? 0).join(' / '),
    },
    { what: 'ChatStore runs', value: figures.storeRuns },
    { what: 'packets fed to ChatStore', value: figures.storePackets },
    { what: 'malformed packets reported by ChatStore', value: figures.storeMalformed },
    { what: 'unknown packets counted by ChatStore', value: figures.storeUnknown },
    { what: 'user messages written during the runs', value: figures.storeSends },
    { what: 'disagreements with the model, exceptions, pollution', value: 0 },
  ]);
});

describe('fuzzing the protocol decoders', () => {
  const fingerprint = prototypeFingerprint();

  it(`decodeServerPacket agrees with the model on 12 000 hostile values (seed ${SEED})`, { timeout: 120_000 }, () => {
    console.log(`[reliability] fuzz-protocol seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    fc.assert(
      fc.property(parsedValue, (value) => {
        figures.decoderServer++;
        const result = decodeServerPacket(value);
        figures.byStatus[result.status] = (figures.byStatus[result.status] ?? 0) + 1;
        expect(result.status).toBe(model(value, SERVER_MODEL));
        if (result.status === 'packet') {
          const packet = result.packet as unknown as Record<string, unknown>;
          // A clean, frozen copy: never the input, only known fields, plain prototype.
          expect(packet).not.toBe(value);
          expect(Object.isFrozen(packet)).toBe(true);
          expect(Object.getPrototypeOf(packet)).toBe(Object.prototype);
          const allowed = ['type', ...Object.keys(SERVER_MODEL[packet.type as string] as object)];
          for (const key of Reflect.ownKeys(packet)) expect(allowed).toContain(key);
          if (packet.type === 'userlist') {
            expect(Object.isFrozen(packet.users)).toBe(true);
            expect(packet.users).not.toBe(own(value as object, 'users'));
          }
        } else if (result.status === 'unknown') {
          expect(Array.from(result.type).length).toBeLessThanOrEqual(101);
        } else {
          expect(result.message).toMatch(/^Malformed packet: /);
        }
      }),
      { seed: SEED, numRuns: 12_000 },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
    expect(pollutionProbe()).toEqual([undefined, undefined, undefined, undefined]);
  });

  it(`decodeClientPacket agrees with the model on 12 000 hostile values (seed ${SEED + 1})`, { timeout: 120_000 }, () => {
    const clientShaped = nearPacket.map((p) =>
      p.type === 'id' ? { ...p, type: 'username' } : p.type === 'rejectusername' ? { ...p, type: 'message' } : p,
    );
    fc.assert(
      fc.property(fc.oneof(clientShaped, parsedValue), (value) => {
        figures.decoderClient++;
        const result = decodeClientPacket(value);
        expect(result.status).toBe(model(value, CLIENT_MODEL));
        if (result.status === 'packet') {
          const packet = result.packet as unknown as Record<string, unknown>;
          expect(Object.isFrozen(packet)).toBe(true);
          // A client can never smuggle a name into a message, or anything else the server did not ask for.
          const allowed = packet.type === 'message' ? ['type', 'text', 'id', 'date', 'nonce'] : ['type', 'name', 'id', 'date'];
          for (const key of Reflect.ownKeys(packet)) expect(allowed).toContain(key);
          for (const key of ['id', 'date']) if (key in packet) expect(Number.isFinite(packet[key])).toBe(true);
        }
      }),
      { seed: SEED + 1, numRuns: 12_000 },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
    expect(pollutionProbe()).toEqual([undefined, undefined, undefined, undefined]);
  });
});

// ---- the chat store --------------------------------------------------------------------------------

/** A connection the test drives: it emits what it is told and records what the store sends. */
class ScriptedConnection {
  readonly sent: ClientPacket[] = [];
  accept = true;
  private readonly listeners = {
    message: new Set<(v: unknown) => void>(),
    close: new Set<() => void>(),
    error: new Set<(e: WebSocketError) => void>(),
  };
  on(type: 'message' | 'close' | 'error', listener: (value: never) => void): () => void {
    const set = this.listeners[type] as Set<typeof listener>;
    set.add(listener);
    return () => set.delete(listener);
  }
  sendJson(value: ClientPacket): 'sent' | 'rejected' {
    if (!this.accept) return 'rejected';
    this.sent.push(value);
    return 'sent';
  }
  emit(value: unknown): void {
    for (const listener of this.listeners.message) listener(value);
  }
  drop(): void {
    for (const listener of this.listeners.close) listener();
  }
  get listenerCount(): number {
    return this.listeners.message.size + this.listeners.close.size + this.listeners.error.size;
  }
}

type Step =
  | { readonly op: 'packet'; readonly value: unknown }
  | { readonly op: 'frame'; readonly text: string }
  | { readonly op: 'id'; readonly id: number }
  | { readonly op: 'say'; readonly text: string }
  | { readonly op: 'echo'; readonly forge: boolean }
  | { readonly op: 'drop' }
  | { readonly op: 'rename'; readonly name: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: nearPacket.map((value) => ({ op: 'packet' as const, value })) },
  { weight: 2, arbitrary: textFrame.map((text) => ({ op: 'frame' as const, text })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }).map((id) => ({ op: 'id' as const, id })) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map((text) => ({ op: 'say' as const, text })) },
  { weight: 2, arbitrary: fc.boolean().map((forge) => ({ op: 'echo' as const, forge })) },
  { weight: 1, arbitrary: fc.constant({ op: 'drop' as const }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((name) => ({ op: 'rename' as const, name })) },
);

describe('fuzzing the chat store', () => {
  it(`keeps a consistent state through 10 000+ hostile packets, sends and disconnects (seed ${SEED + 2})`, { timeout: 120_000 }, () => {
    const fingerprint = prototypeFingerprint();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(step, { minLength: 50, maxLength: 80 }), (maxEntries, steps) => {
        figures.storeRuns++;
        const connection = new ScriptedConnection();
        const store = new ChatStore(connection as unknown as ChatConnection, {
          username: 'ada',
          maxEntries,
          schedule: immediateScheduler,
          now: () => 1_000,
        });
        const detach = store.attach();
        let malformed = 0;
        let unknown = 0;
        let clientId: number | null = null;
        const written: string[] = [];
        for (const s of steps) {
          switch (s.op) {
            case 'packet':
            case 'frame': {
              const value = s.op === 'packet' ? s.value : safeParse(s.text);
              figures.storePackets++;
              const want = model(value, SERVER_MODEL);
              if (want === 'malformed') malformed++;
              if (want === 'unknown') unknown++;
              if (want === 'packet' && (value as { type: string }).type === 'id') clientId = (value as { id: number }).id;
              const before = store.getState();
              connection.emit(value);
              if (want === 'malformed')
                check(
                  store.getState().error?.kind === 'packet' && store.getState().error?.data === value,
                  'a malformed packet was not reported',
                );
              if (want !== 'packet') check(store.getState().entries === before.entries, 'a bad packet changed the log');
              break;
            }
            case 'id':
              figures.storePackets++;
              clientId = s.id;
              connection.emit({ type: 'id', id: s.id });
              break;
            case 'say': {
              figures.storeSends++;
              const entry = store.send(s.text);
              if (s.text.trim() === '') check(entry === null, 'a blank message was accepted');
              else written.push(s.text);
              break;
            }
            case 'echo': {
              // The server echoes the oldest message the store sent (or a forger replays it under another id).
              const message = connection.sent.find((p) => p.type === 'message');
              if (message?.type !== 'message') break;
              figures.storePackets++;
              connection.emit({ ...message, id: s.forge ? 999 : (clientId ?? 0), name: s.forge ? 'mallory' : 'ada' });
              break;
            }
            case 'drop':
              clientId = null;
              connection.drop();
              break;
            case 'rename':
              store.setUsername(s.name);
              break;
          }
          const state: ChatState = store.getState();
          // Consistency after every step (plain checks: expect() per step would dominate the run).
          const where = `after ${JSON.stringify(s).slice(0, 200)}`;
          check(Object.isFrozen(state) && Object.isFrozen(state.entries) && Object.isFrozen(state.users), `state not frozen ${where}`);
          check(state.entries.length <= maxEntries, `history over maxEntries ${where}`);
          check(new Set(state.entries.map((e) => e.key)).size === state.entries.length, `duplicate keys ${where}`);
          check(state.malformedPackets === malformed, `malformed count ${state.malformedPackets} != ${malformed} ${where}`);
          check(state.unknownPackets === unknown, `unknown count ${state.unknownPackets} != ${unknown} ${where}`);
          check(state.unconfirmed >= 0 && state.unconfirmed <= written.length, `unconfirmed out of range ${where}`);
          check(state.signedIn === (state.clientId !== null), `signedIn without an id ${where}`);
          check(typeof state.username === 'string', `username not a string ${where}`);
          check(
            state.users.every((user) => user === null || typeof user === 'string'),
            `users not strings ${where}`,
          );
          check(
            state.entries.every(
              (e) =>
                typeof e.key === 'string' &&
                Number.isFinite(e.date) &&
                (e.kind !== 'message' || ['pending', 'sent', 'delivered'].includes(e.status)),
            ),
            `malformed entry ${where}`,
          );
          // Own messages still unconfirmed are at most those the store counts.
          const unconfirmedShown = state.entries.filter((e) => e.kind === 'message' && e.own && e.status !== 'delivered').length;
          check(unconfirmedShown <= state.unconfirmed, `more unconfirmed shown than counted ${where}`);
        }
        figures.storeMalformed += malformed;
        figures.storeUnknown += unknown;
        // Whatever the store sent is a well-formed client packet the server would accept.
        for (const packet of connection.sent) expect(decodeClientPacket(JSON.parse(JSON.stringify(packet))).status).toBe('packet');
        detach();
        expect(connection.listenerCount).toBe(0);
      }),
      { seed: SEED + 2, numRuns: 260 },
    );
    expect(figures.storePackets).toBeGreaterThanOrEqual(10_000);
    expect(prototypeFingerprint()).toBe(fingerprint);
    expect(pollutionProbe()).toEqual([undefined, undefined, undefined, undefined]);
  });
});
