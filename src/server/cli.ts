/**
 * The command line of the reference chat server: `npm run server -- --port 6502` (runs this file
 * with tsx), or `react-ws-chat-server` (src/server/bin.js). Importing this module runs it.
 *
 * Prints `react-ws-chat server listening on ws://HOST:PORT` (the actual port, also with --port 0)
 * on stdout; stops cleanly on SIGINT/SIGTERM (clients get 1001) and exits 0. Exit 2 on a bad
 * argument, 1 when the server cannot start (e.g. the --redis server cannot be reached).
 */
import { parseArgs } from 'node:util';

import { CHAT_SERVER_DEFAULTS, createChatServer, type ChatServerEvent } from './index.js';
import { MIN_REDIS_LEASE_MS, REDIS_LEASE_MS } from './options.js';

const USAGE = `Usage: react-ws-chat-server [options]

The reference chat server of the MDN chat protocol (sub-protocol "json").

Options:
  --host HOST            interface to listen on (default ${CHAT_SERVER_DEFAULTS.host}; 0.0.0.0 for all)
  --port PORT            port to listen on, 0 for any free one (default ${CHAT_SERVER_DEFAULTS.port})
  --allow-origin ORIGIN  accept only pages from ORIGIN (repeatable; default: any origin)
  --history-limit N      packets the room's history keeps for catch-ups (default ${CHAT_SERVER_DEFAULTS.historyLimit}; 0: no history)
  --redis URL            share the room with every server on this Redis (redis://HOST:PORT; needs @redis/client)
  --redis-lease MS       with --redis: this server's lease in Redis, in ms (default ${REDIS_LEASE_MS}, at least ${MIN_REDIS_LEASE_MS});
                         if it dies, its users leave the list at most a lease and a third later
  --verbose              log connections, names, closes and rejected frames to stderr
  -h, --help             show this help
`;

function fail(message: string, code: number): never {
  process.stderr.write(`react-ws-chat-server: ${message}\n`);
  if (code === 2) process.stderr.write(`\n${USAGE}`);
  process.exit(code);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string', default: CHAT_SERVER_DEFAULTS.host },
        port: { type: 'string', default: String(CHAT_SERVER_DEFAULTS.port) },
        'allow-origin': { type: 'string', multiple: true },
        'history-limit': { type: 'string', default: String(CHAT_SERVER_DEFAULTS.historyLimit) },
        redis: { type: 'string' },
        'redis-lease': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), 2);
  }
}

function describe(event: ChatServerEvent): string {
  const { type, ...rest } = event;
  const fields = Object.entries(rest).map(([key, value]) => `${key}=${value instanceof Error ? value.message : JSON.stringify(value)}`);
  return [new Date().toISOString(), type, ...fields].join(' ');
}

const values = parse(process.argv.slice(2));
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
if (!(port >= 0 && port <= 65535)) fail(`--port must be a number from 0 to 65535, not "${values.port}"`, 2);
if (values.host.trim() === '') fail('--host must not be empty', 2);
const historyLimit = /^\d+$/.test(values['history-limit']) ? Number(values['history-limit']) : Number.NaN;
if (!Number.isSafeInteger(historyLimit)) fail(`--history-limit must be a whole number, not "${values['history-limit']}"`, 2);
const leaseText = values['redis-lease'];
const lease = leaseText !== undefined && /^\d+$/.test(leaseText) ? Number(leaseText) : Number.NaN;
if (leaseText !== undefined && !(Number.isSafeInteger(lease) && lease >= MIN_REDIS_LEASE_MS))
  fail(`--redis-lease must be a whole number of ms, at least ${MIN_REDIS_LEASE_MS}, not "${leaseText}"`, 2);
if (leaseText !== undefined && values.redis === undefined) fail('--redis-lease needs --redis', 2);

let server;
try {
  server = await createChatServer({
    host: values.host,
    port,
    historyLimit,
    ...(values.redis !== undefined && { redis: leaseText === undefined ? values.redis : { url: values.redis, lease } }),
    ...(values['allow-origin'] && { allowedOrigins: values['allow-origin'] }),
    ...(values.verbose && { log: (event: ChatServerEvent) => process.stderr.write(`${describe(event)}\n`) }),
  });
} catch (error) {
  // A RangeError is an option the server refused (a bad --redis URL...): a bad argument.
  fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`, error instanceof RangeError ? 2 : 1);
}
const running = server;

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: closing ${running.clientCount} connection(s)\n`);
  running.close().then(
    () => process.exit(0),
    (error: unknown) => fail(`error while closing: ${String(error)}`, 1),
  );
};
// `on`, not `once`: a second signal while closing (which takes at most shutdownTimeout) is ignored
// instead of killing the process with the default action.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Printed once the signal handlers are in place: whoever reads the URL may signal at once.
process.stdout.write(`react-ws-chat server listening on ${running.url}\n`);
