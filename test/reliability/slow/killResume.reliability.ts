// Issue 15's kill test with resume: the reference server over Redis (its history and resend keys
// outlive the process) killed (SIGKILL) and started again 20 times during two-way traffic of four
// clients, two Chromium pages of the fixture app and two Node clients of the kit (ChatStore and
// WebSocketClient on `ws`), all with chatHistory(): every client ends with the identical, complete
// sequence (every message exactly once, in the same order, no gap marker). The short version (3
// kills) runs in `npm test`: test/e2e/killResume.e2e.test.ts.
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium } from '../../e2e/helpers.ts';
import { recordFigures } from '../lib/figures.ts';
import { killWithResume } from './lib/killWithResume.ts';

const KILLS = 20;
// Slow enough that the whole run (four writers, 20 restarts) stays under the store's 5 000 entries:
// every client must still hold every message at the end.
const SEND_EVERY_MS = 400;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('server over Redis killed and restarted during two-way traffic, with resume', () => {
  it(`every client ends with the identical, complete sequence after ${KILLS} kills`, async () => {
    const result = await killWithResume({
      browser,
      kills: KILLS,
      pages: ['ada', 'bob'],
      nodes: ['cyd', 'dee'],
      sendEveryMs: SEND_EVERY_MS,
      maxDelay: 1500,
      timeout: 30_000,
    });
    expect(result.kills).toBe(KILLS);
    const { stats } = result;
    recordFigures('Faults with resume: server over Redis killed and restarted', 'npm run test:reliability', [
      { what: 'server kills (SIGKILL) survived, the room in Redis', value: result.kills },
      {
        what: 'clients, two-way traffic',
        value: `${result.clients} (2 Chromium pages, 2 Node ChatStores), a message each every ${SEND_EVERY_MS} ms`,
      },
      { what: 'messages written', value: result.written },
      { what: 'messages checked: every client holds every one, once, in the same order, no gap', value: result.checked },
      { what: 'resends the last server process confirmed without relaying (duplicateMessages)', value: String(stats.duplicateMessages) },
      { what: 'names the servers registered (each user rejoins under its own)', value: result.names.join(', ') },
      { what: 'connections accepted, all processes', value: result.connections },
      { what: 'time', value: `${result.seconds} s` },
    ]);
  });
});
