/**
 * `npm start`: the reference chat server on ws://127.0.0.1:6502 and Storybook (dev) on
 * http://localhost:6006, in one command; Ctrl+C stops both. Run with `node --import tsx`.
 *
 * The server runs in this process; Storybook (`storybook dev -p 6006 --ci --exact-port`: exit rather
 * than move to a port other than the one printed) is a child process in the same process group, so
 * a terminal's Ctrl+C reaches it too. On SIGINT or SIGTERM (e.g. `kill PID` of this process alone)
 * this script sends Storybook SIGTERM, closes the chat server (clients get 1001, "going away"),
 * waits for both, and exits 0. A second signal while stopping kills Storybook and exits at once. If
 * either half fails to start, or Storybook exits on its own, the other is stopped and it exits 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createChatServer, type ChatServer, type ChatServerEvent } from '../src/server/index.ts';

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

let server: ChatServer;
let listening = false;
try {
  server = await createChatServer({
    host: CHAT_HOST,
    port: CHAT_PORT,
    log: (event) => {
      // A failure to listen is reported below, once.
      const line = listening ? describe(event) : null;
      if (line !== null) process.stdout.write(`[chat] ${line}\n`);
    },
  });
  listening = true;
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`[start] cannot start the chat server on ${CHAT_HOST}:${CHAT_PORT}: ${message}\n`);
  process.exit(1);
}
say(`chat server listening on ${server.url}`);

// Storybook's own CLI (its package's `bin`), run by this Node: no shell, no npx lookup.
const storybookPackage = createRequire(import.meta.url).resolve('storybook/package.json', { paths: [root] });
const { bin } = JSON.parse(readFileSync(storybookPackage, 'utf8')) as { bin: string | Record<string, string> };
const storybookBin = path.join(path.dirname(storybookPackage), typeof bin === 'string' ? bin : (bin.storybook ?? ''));
const storybook: ChildProcess = spawn(process.execPath, [storybookBin, 'dev', '-p', String(STORYBOOK_PORT), '--ci', '--exact-port'], {
  cwd: root,
  stdio: 'inherit',
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
  await Promise.all([server.close(), storybookExited]);
  say('stopped');
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second Ctrl+C: do not wait any more.
      storybook.kill('SIGKILL');
      process.exit(130);
    }
    void stop(signal, 0);
  });
}

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
      say(`Chat server: ${server.url}`);
      say(`Storybook:   ${STORYBOOK_URL}`);
      say(`Open the story "Chat/Live chat" in two browser tabs and chat:`);
      say(`  ${STORY_URL}`);
      say('Ctrl+C stops both.');
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
