/**
 * `npm start`: the reference chat server on ws://127.0.0.1:6502 and Storybook (dev) on
 * http://localhost:6006, in one command. Run with `node --import tsx`.
 *
 * The server runs in this process, behind a {@link ChatServerSwitch}: keys typed in this console
 * ({@link consoleCommand}) stop, start or restart it while Storybook keeps running (`s`, `r`), so the
 * Live chat story can be watched reconnecting; `q` or Ctrl+C stops both. The console is in raw mode
 * when it is a terminal, so Ctrl+C arrives as a key; without a terminal, keys come line by line.
 * Storybook (`storybook dev -p 6006 --ci --exact-port`: exit rather than move to a port other than
 * the one printed) is a child process that does not read the console. On `q`, Ctrl+C, SIGINT or
 * SIGTERM (e.g. `kill PID` of this process alone) this script sends Storybook SIGTERM, closes the chat
 * server (clients get 1001, "going away"), waits for both, and exits 0. A second one while stopping
 * kills Storybook and exits at once. If either half fails to start, or Storybook exits on its own, the
 * other is stopped and it exits 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createChatServer, type ChatServer, type ChatServerEvent } from '../src/server/index.ts';
import { ChatServerSwitch } from './ChatServerSwitch.ts';
import { CONSOLE_KEYS, consoleCommand, type ConsoleCommand } from './consoleCommand.ts';

const CHAT_HOST = '127.0.0.1';
const CHAT_PORT = 6502;
const STORYBOOK_PORT = 6006;
const STORYBOOK_URL = `http://localhost:${STORYBOOK_PORT}`;
const STORY_URL = `${STORYBOOK_URL}/?path=/story/chat-live-chat--live-chat`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function say(line: string): void {
  process.stdout.write(`[start] ${line}\n`);
}

/** A short line per notable server event: who joined, who left, what was refused. */
function describe(event: ChatServerEvent): string | null {
  switch (event.type) {
    case 'username':
      return `#${event.id} is now "${event.name}"`;
    case 'close':
      return `#${event.id} left (${event.code})`;
    case 'origin-rejected':
    case 'rate-limited':
    case 'heartbeat-timeout':
    case 'slow-consumer':
      return event.type;
    case 'error':
      return `error: ${event.error.message}`;
    default:
      return null;
  }
}

/** A chat server on CHAT_PORT that reports its notable events once it listens. */
async function createStartChatServer(): Promise<ChatServer> {
  let listening = false;
  const server = await createChatServer({
    host: CHAT_HOST,
    port: CHAT_PORT,
    log: (event) => {
      // A failure to listen is reported by whoever started it, once.
      const line = listening ? describe(event) : null;
      if (line !== null) process.stdout.write(`[chat] ${line}\n`);
    },
  });
  listening = true;
  return server;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

const chat = new ChatServerSwitch(createStartChatServer);
try {
  say(`chat server listening on ${(await chat.start()).url}`);
} catch (error) {
  process.stderr.write(`[start] cannot start the chat server on ${CHAT_HOST}:${CHAT_PORT}: ${errorMessage(error)}\n`);
  process.exit(1);
}

// Storybook's own CLI (its package's `bin`), run by this Node: no shell, no npx lookup.
const storybookPackage = createRequire(import.meta.url).resolve('storybook/package.json', { paths: [root] });
const { bin } = JSON.parse(readFileSync(storybookPackage, 'utf8')) as { bin: string | Record<string, string> };
const storybookBin = path.join(path.dirname(storybookPackage), typeof bin === 'string' ? bin : (bin.storybook ?? ''));
const storybook: ChildProcess = spawn(process.execPath, [storybookBin, 'dev', '-p', String(STORYBOOK_PORT), '--ci', '--exact-port'], {
  cwd: root,
  // The console's keys are this script's (below), not Storybook's.
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: process.env.STORYBOOK_DISABLE_TELEMETRY ?? '1' },
});
const storybookExited = new Promise<number>((resolve) => {
  storybook.once('exit', (code, signal) => resolve(code ?? (signal ? 0 : 1)));
  storybook.once('error', (error) => {
    process.stderr.write(`[start] cannot run Storybook: ${error.message}\n`);
    resolve(1);
  });
});

let stopping = false;

async function stop(reason: string, exitCode: number): Promise<never> {
  stopping = true;
  say(`${reason}: stopping Storybook and the chat server…`);
  if (storybook.exitCode === null && storybook.signalCode === null) storybook.kill('SIGTERM');
  await Promise.all([chat.stop(), storybookExited]);
  say('stopped');
  process.exit(exitCode);
}

/** SIGINT, SIGTERM, `q` or Ctrl+C: stop both; a second one while stopping: do not wait any more. */
function quit(reason: string): void {
  if (stopping) {
    storybook.kill('SIGKILL');
    process.exit(130);
  }
  void stop(reason, 0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => quit(signal));

function sayKeys(): void {
  say('Keys:');
  for (const line of CONSOLE_KEYS) say(`  ${line}`);
}

async function run(command: ConsoleCommand): Promise<void> {
  switch (command) {
    case 'quit':
      return quit('quit');
    case 'help':
      return sayKeys();
    case 'toggle': {
      const server = await chat.toggle();
      if (server) say(`chat server listening again on ${server.url}: the Live chat tabs reconnect and send what waited (s stops it)`);
      else say('chat server stopped: the Live chat tabs show “Reconnecting”; write a message, then press s to start it again');
      return;
    }
    case 'restart':
      say('restarting the chat server…');
      say(`chat server listening again on ${(await chat.restart()).url}`);
      return;
  }
}

// Keys, one at a time (raw mode) in a terminal; Storybook does not read the console.
if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.on('exit', () => {
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  for (const key of chunk) {
    const command = consoleCommand(key);
    if (command === null || (stopping && command !== 'quit')) continue;
    run(command).catch((error: unknown) => say(`cannot start the chat server: ${errorMessage(error)} (press s to try again)`));
  }
});

void storybookExited.then((code) => {
  if (!stopping) void stop(`Storybook exited (code ${code})`, 1);
});

// Say where to go once Storybook answers.
const started = Date.now();
for (;;) {
  if (stopping) break;
  try {
    const response = await fetch(STORYBOOK_URL, { signal: AbortSignal.timeout(2000) });
    if (response.ok) {
      say('');
      say(`Chat server: ws://${CHAT_HOST}:${CHAT_PORT}`);
      say(`Storybook:   ${STORYBOOK_URL}`);
      say(`Open the story "Chat/Live chat" in two browser tabs and chat:`);
      say(`  ${STORY_URL}`);
      sayKeys();
      break;
    }
  } catch {
    // Not listening yet.
  }
  if (Date.now() - started > 180_000) {
    say(`Storybook does not answer on ${STORYBOOK_URL} after 3 minutes; still waiting for it to exit or for Ctrl+C.`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
