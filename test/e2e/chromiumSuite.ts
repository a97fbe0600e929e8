// The set-up most e2e files share: one Chromium for the file's tests, and the servers and raw
// clients the tests start, all closed after the file's tests (clients first, so that no socket
// outlives its server).
import type { Browser } from 'playwright';
import { afterAll, beforeAll } from 'vitest';

import { createChatServer, type ChatServer, type ChatServerOptions } from '../../src/server/index.ts';
import { RawClient, launchChromium } from './helpers.ts';

/** What a test file starts and {@link chromiumSuite} closes after its tests. */
export interface ChromiumSuite {
  /** Launched before the file's tests (read it inside a test or hook, not at import). */
  readonly browser: Browser;
  /** Servers the tests start: push each, to have it closed. */
  readonly servers: { close(): Promise<void> }[];
  /** Raw clients the tests open: push each, to have it closed. */
  readonly clients: RawClient[];
  /** A reference server on 127.0.0.1 and a free port with `options`, closed with the others. */
  startServer(options?: ChatServerOptions): Promise<ChatServer>;
  /**
   * A raw client (closed with the others) signed in on `url` as `name` that has said `count`
   * messages, `${prefix}${i}`, each echoed before the next.
   */
  bot(url: string, name: string, prefix: string, count: number): Promise<RawClient>;
}

/** Launch Chromium before the file's tests and close it, {@link ChromiumSuite.clients} and {@link ChromiumSuite.servers} after them. */
export function chromiumSuite(): ChromiumSuite {
  let browser: Browser | undefined;
  const suite: ChromiumSuite = {
    get browser() {
      if (!browser) throw new Error('chromiumSuite: Chromium is launched in beforeAll; read `browser` inside a test or hook');
      return browser;
    },
    servers: [],
    clients: [],
    async startServer(options = {}) {
      const server = await createChatServer({ host: '127.0.0.1', port: 0, ...options });
      suite.servers.push(server);
      return server;
    },
    async bot(url, name, prefix, count) {
      const client = await RawClient.connect(url);
      suite.clients.push(client);
      await client.register(name);
      for (let i = 0; i < count; i++) await client.say(`${prefix}${i}`, `${prefix}-${i}`);
      return client;
    },
  };
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const client of suite.clients) client.close();
    await browser?.close();
    await Promise.all(suite.servers.map((server) => server.close()));
  });
  return suite;
}
