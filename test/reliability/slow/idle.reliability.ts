// An idle room with the heartbeat on, for minutes: the reference server answers every `ping`, so a
// quiet but healthy connection is never dropped (before the fix it was, every interval + timeout:
// about 860-1 350 closes an hour at 1000/1000), and no sign-in notice repeats at the other page.
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../../src/server/index.ts';
import { launchChromium, notices, openChatPage, waitForStatus, type ChatPage } from '../../e2e/helpers.ts';
import { recordFigures } from '../lib/figures.ts';
import { installRecorder, recorded } from './lib/pageRecorder.ts';

/** How many pings the idle room lives through (one a second or so: about 5 minutes), and the heartbeat's interval and timeout. */
const PINGS = 300;
const BEAT = 1000;

let browser: Browser;
let server: ChatServer;
const pages: ChatPage[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await createChatServer({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('an idle room with the heartbeat on', () => {
  it(`stays up through ${PINGS} pings at ${BEAT}/${BEAT} ms: no close, no repeated sign-in`, async () => {
    const ada = await openChatPage(browser, { server: server.url, name: 'ada' });
    pages.push(ada);
    await waitForStatus(ada.page, 'Connected');
    const bob = await openChatPage(browser, { server: server.url, name: 'bob', heartbeat: BEAT });
    pages.push(bob);
    await installRecorder(bob.page);
    await expect.poll(() => bob.page.evaluate(() => window.__rwcE2E?.chat().signedIn)).toBe(true);
    const started = Date.now();
    const pongsBefore = server.stats().pongs;
    // Idle until the server has answered PINGS pings: what is tested is that nothing else happens meanwhile.
    await expect
      .poll(() => server.stats().pongs - pongsBefore, { timeout: PINGS * 4 * BEAT, interval: 1000 })
      .toBeGreaterThanOrEqual(PINGS);
    const idleMs = Date.now() - started;
    const { closes, errors } = await recorded(bob.page);
    const signIns = (await notices(ada.page)).filter((notice) => /^User bob signed in at /.test(notice));
    expect(closes).toEqual([]);
    expect(errors).toEqual([]);
    expect(signIns).toHaveLength(1);
    expect(server.stats()).toMatchObject({ totalConnections: 2, closes: {}, heartbeatTimeouts: 0 });
    recordFigures('Idle room with the heartbeat on', 'npm run test:reliability', [
      { what: 'idle time, heartbeat interval / timeout', value: `${(idleMs / 60_000).toFixed(1)} min, ${BEAT} / ${BEAT} ms` },
      { what: 'pings answered (pong)', value: server.stats().pongs - pongsBefore },
      { what: 'closes (per hour)', value: `${closes.length} (${((closes.length * 3_600_000) / idleMs).toFixed(0)})` },
      { what: 'sign-in notices of the idle user at the other page', value: signIns.length },
    ]);
  });
});
