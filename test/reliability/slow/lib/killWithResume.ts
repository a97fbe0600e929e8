// The kill test with resume (issue 15, "Tests"): the reference server, its room in Redis (history and
// resend keys there, so they outlive the process, as with `--redis`), is killed (SIGKILL: no close
// frame) and started again on its port again and again while several clients chat both ways:
// Chromium pages of the fixture app and Node clients (the kit's ChatStore on its WebSocketClient over
// `ws`), all with `chatHistory()`. After each restart every client resumes where it stopped and
// resends what the server had not confirmed. At the end every client's log must be the same
// sequence: every message written, exactly once, in the same order, without a gap marker.
import type { Browser } from 'playwright';
import { expect } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';

import { ChatStore, chatHistory, type ChatEntry, type ChatState } from '../../../../src/chat/index.ts';
import { WebSocketClient, autoReconnect, type WebSocketConstructor } from '../../../../src/core/index.ts';
import type { ClientPacket } from '../../../../src/protocol/index.ts';
import { type RedisServer, startRedis } from '../../../helpers/redisServer.ts';
import { openChatPage, type ChatPage } from '../../../e2e/helpers.ts';
import { installRecorder, recorded, startSender, stopSender } from './pageRecorder.ts';
import { type ServerEvent, type ServerProcess, startServerProcess } from './serverProcess.ts';

/** The chat store's default bound on its log (`maxEntries`). */
const MAX_ENTRIES = 5000;

/** How the run goes. */
export interface KillWithResumeOptions {
  readonly browser: Browser;
  /** Times the server is killed and started again. */
  readonly kills: number;
  /** Names of the Chromium pages (at least one) and of the Node clients. */
  readonly pages: readonly string[];
  readonly nodes: readonly string[];
  /** Each client writes a message every this many ms. */
  readonly sendEveryMs: number;
  /** The clients' reconnect backoff ceiling, ms. */
  readonly maxDelay: number;
  /** How long a wait on the clients may take. */
  readonly timeout: number;
}

/** What the run saw, for the figures. */
export interface KillWithResumeResult {
  readonly kills: number;
  readonly clients: number;
  /** Messages written, all clients together. */
  readonly written: number;
  /** Messages checked in every client's log (written × clients). */
  readonly checked: number;
  /** The server's counters at the end (its last process). */
  readonly stats: Record<string, unknown>;
  /** Names the servers registered, in order of first appearance (a user renamed by a restart would show here). */
  readonly names: readonly string[];
  /** Connections the servers accepted, all processes together. */
  readonly connections: number;
  readonly seconds: number;
}

/** A message entry as compared: its text (`WRITER#N`), and its state. */
interface Line {
  readonly text: string;
  readonly own: boolean;
  readonly status: string;
}

/** One client of the run, whatever it runs in. */
interface Chatter {
  readonly name: string;
  signedIn(): Promise<boolean>;
  /** A reconnect is scheduled (it noticed the server is gone). */
  waiting(): Promise<boolean>;
  reconnectAttempt(): Promise<number>;
  startSending(everyMs: number): Promise<void>;
  stopSending(): Promise<void>;
  /** The texts it wrote (accepted by its store), in order. */
  sent(): Promise<string[]>;
  /** Its log's messages, and how many gap markers it holds. */
  log(): Promise<{ lines: Line[]; gaps: number; unconfirmed: number }>;
  errors(): string[];
  /** What it shows, in one line: for a failure's message. */
  status(): Promise<string>;
  dispose(): Promise<void>;
}

/** One line of a client's state (its store's and its connection's). */
function describeState(
  state: Pick<ChatState, 'username' | 'signedIn' | 'unconfirmed' | 'entries' | 'history'>,
  readyState: number | undefined,
): string {
  const messages = state.entries.filter((entry) => entry.kind === 'message').length;
  const catchingUp = state.history?.catchingUp;
  return `${state.username}: readyState ${readyState}, signedIn ${state.signedIn}, catchingUp ${catchingUp}, messages ${messages}, unconfirmed ${state.unconfirmed}`;
}

/** A store's published entries as lines. */
function linesOf(entries: readonly ChatEntry[]): { lines: Line[]; gaps: number } {
  const lines: Line[] = [];
  let gaps = 0;
  for (const entry of entries) {
    if (entry.kind === 'gap') gaps++;
    if (entry.kind === 'message') lines.push({ text: entry.text, own: entry.own, status: entry.status });
  }
  return { lines, gaps };
}

/** A Chromium page of the fixture app with `chatHistory()`, writing through its store as `<MessageInput>` does. */
async function pageChatter(browser: Browser, url: string, name: string, maxDelay: number): Promise<Chatter> {
  const chat: ChatPage = await openChatPage(browser, { server: url, name, height: '400px', history: true, maxDelay });
  const { page } = chat;
  await installRecorder(page);
  return {
    name,
    signedIn: () => page.evaluate(() => window.__rwcE2E?.chat().signedIn === true),
    waiting: () => page.evaluate(() => window.__rwcE2E?.connection()?.nextReconnectAt != null),
    reconnectAttempt: () => page.evaluate(() => window.__rwcE2E?.connection()?.reconnectAttempt ?? 0),
    startSending: (everyMs) => startSender(page, name, everyMs),
    stopSending: () => stopSender(page),
    sent: async () => (await recorded(page)).sent,
    log: async () => {
      const state = await page.evaluate(() => {
        const store = window.__rwcE2E?.store();
        store?.flush();
        const { entries, unconfirmed } = store?.getState() ?? { entries: [], unconfirmed: -1 };
        return { entries: JSON.parse(JSON.stringify(entries)) as ChatEntry[], unconfirmed };
      });
      return { ...linesOf(state.entries), unconfirmed: state.unconfirmed };
    },
    errors: () => [...chat.pageErrors, ...chat.dialogs],
    status: async () => {
      const { state, readyState } = await page.evaluate(() => {
        const store = window.__rwcE2E?.store();
        store?.flush();
        const { username, signedIn, unconfirmed, entries, history } = store?.getState() ?? ({} as ChatState);
        const light = { username, signedIn, unconfirmed, entries: entries?.map((e) => ({ kind: e.kind })) ?? [], history };
        return { state: JSON.parse(JSON.stringify(light)), readyState: window.__rwcE2E?.connection()?.readyState };
      });
      return `page ${describeState(state, readyState)}`;
    },
    dispose: () => page.context().close(),
  };
}

/** A Node client: the kit's ChatStore with `chatHistory()` on its WebSocketClient over `ws`. */
function nodeChatter(url: string, name: string, maxDelay: number): Chatter {
  const client = new WebSocketClient<unknown, ClientPacket>({
    url,
    protocols: 'json',
    WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
    reconnect: autoReconnect({ maxDelay }),
  });
  const store = new ChatStore(client, { username: name, history: chatHistory() });
  const detach = store.attach();
  client.connect();
  const sent: string[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  const state = () => {
    store.flush();
    return store.getState();
  };
  return {
    name,
    signedIn: async () => state().signedIn,
    waiting: async () => client.getSnapshot().nextReconnectAt !== null,
    reconnectAttempt: async () => client.getSnapshot().reconnectAttempt,
    startSending: async (everyMs) => {
      let n = 0;
      timer = setInterval(() => {
        const text = `${name}#${++n}`;
        if (store.send(text)) sent.push(text);
      }, everyMs);
    },
    stopSending: async () => clearInterval(timer),
    sent: async () => [...sent],
    log: async () => ({ ...linesOf(state().entries), unconfirmed: state().unconfirmed }),
    errors: () => [],
    status: async () => `node ${describeState(state(), client.getSnapshot().readyState)}`,
    dispose: async () => {
      clearInterval(timer);
      detach();
      client.dispose();
    },
  };
}

/** The writer of a message: its text is `NAME#N`. */
const writerOf = (text: string) => text.slice(0, text.indexOf('#'));

/**
 * Run it: start Redis and the server, the clients, the traffic; kill and restart the server
 * `kills` times; then check every client's log against every other's and against what was written.
 */
export async function killWithResume(options: KillWithResumeOptions): Promise<KillWithResumeResult> {
  const { browser, kills, sendEveryMs, maxDelay, timeout } = options;
  const started = performance.now();
  const names: string[] = [];
  let connections = 0;
  const onEvent = (event: ServerEvent) => {
    if (event.type === 'connection') connections++;
    if (event.type === 'username' && event.name && !names.includes(event.name)) names.push(event.name);
  };
  let redis: RedisServer | undefined;
  let server: ServerProcess | undefined;
  const chatters: Chatter[] = [];
  const all = async (check: (chatter: Chatter) => Promise<boolean>) => (await Promise.all(chatters.map(check))).every(Boolean);
  /** Wait until `check` holds; else fail saying what every client shows. */
  const until = async (what: string, check: () => Promise<boolean>) => {
    try {
      await expect.poll(check, { timeout, interval: 50 }).toBe(true);
    } catch {
      const statuses = await Promise.all(chatters.map((c) => c.status()));
      throw new Error(`timed out waiting until ${what}:\n${statuses.join('\n')}\nnames registered: ${names.join(', ')}`);
    }
  };
  try {
    redis = await startRedis();
    const room = { url: redis.url, key: `rwc:kill:${Date.now()}` };
    server = await startServerProcess(0, onEvent, 'default', { redis: room });
    const { port, url } = server;
    for (const name of options.pages) chatters.push(await pageChatter(browser, url, name, maxDelay));
    for (const name of options.nodes) chatters.push(nodeChatter(url, name, maxDelay));
    await until('every client signed in', () => all((c) => c.signedIn()));
    for (const chatter of chatters) await chatter.startSending(sendEveryMs);

    /** Messages each client shows (all writers), to see traffic flow. */
    const shown = () => Promise.all(chatters.map(async (c) => (await c.log()).lines.filter((l) => l.status === 'delivered').length));
    for (let kill = 0; kill < kills; kill++) {
      // Traffic flows both ways on this server before it dies: every client sees several new messages.
      const before = await shown();
      await until(`traffic flows before kill ${kill + 1}`, async () =>
        (await shown()).every((n, i) => n >= (before[i] as number) + 2 * chatters.length),
      );
      await server.kill();
      // Every client noticed and waits to reconnect; some kills leave the server down for a failed
      // attempt or two, so that more is written meanwhile (pending, resent after the resume).
      await until(`every client waits to reconnect after kill ${kill + 1}`, () => all((c) => c.waiting()));
      if (kill % 3 === 2) {
        await until(`a second attempt failed after kill ${kill + 1}`, async () =>
          (await Promise.all(chatters.map((c) => c.reconnectAttempt()))).every((attempt) => attempt >= 2),
        );
      }
      server = await startServerProcess(port, onEvent, 'default', { redis: room });
      await until(`every client signed in again after kill ${kill + 1}`, () => all((c) => c.signedIn()));
    }
    for (const chatter of chatters) await chatter.stopSending();

    const written = (await Promise.all(chatters.map((c) => c.sent()))).flat();
    // (Every client must hold the whole run: more than the store keeps would be trimmed.)
    expect(written.length).toBeLessThan(MAX_ENTRIES);
    // Settled: every client shows every message written, and has nothing of its own unconfirmed.
    await until(`every client shows all ${written.length} messages written`, () =>
      all(async (c) => {
        const { lines, unconfirmed } = await c.log();
        return unconfirmed === 0 && lines.length >= written.length;
      }),
    );

    const logs = await Promise.all(chatters.map((c) => c.log()));
    const [first] = logs;
    if (!first) throw new Error('no client');
    const sequence = first.lines.map((line) => line.text);
    // Every message written, exactly once.
    expect([...sequence].sort()).toEqual([...written].sort());
    // Each writer's messages in the order written.
    for (const chatter of chatters) {
      expect(sequence.filter((text) => writerOf(text) === chatter.name)).toEqual(await chatter.sent());
    }
    // Nobody renamed by a restart: each rejoined with its session (kept in Redis) and got its name back.
    expect([...names].sort()).toEqual(chatters.map((c) => c.name).sort());
    for (const [i, log] of logs.entries()) {
      const chatter = chatters[i] as Chatter;
      // The identical sequence, without a gap marker, everything delivered, one's own marked own.
      expect({ client: chatter.name, texts: log.lines.map((l) => l.text) }).toEqual({ client: chatter.name, texts: sequence });
      expect({ client: chatter.name, gaps: log.gaps }).toEqual({ client: chatter.name, gaps: 0 });
      expect(log.lines.every((l) => l.status === 'delivered' && l.own === (writerOf(l.text) === chatter.name))).toBe(true);
      expect(chatter.errors()).toEqual([]);
    }
    return {
      kills,
      clients: chatters.length,
      written: written.length,
      checked: written.length * chatters.length,
      stats: await server.stats(),
      names,
      connections,
      seconds: Math.round((performance.now() - started) / 1000),
    };
  } finally {
    for (const chatter of chatters) await chatter.dispose();
    await server?.kill();
    await redis?.dispose();
  }
}
