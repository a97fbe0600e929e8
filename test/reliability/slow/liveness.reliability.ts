// Time to notice a dead connection when the page is shown again (issue 17's figure), real Chromium
// and the real reference server, with a proxy between them whose open connections go silent (nothing
// passes, nothing closes). Each round: the page is hidden, its link dies, the page is shown; timed in
// the page from `visibilitychange` to the close (4000) and to the next open. With `liveness()` the
// check is at once (target under 1 s); with `heartbeat()` alone the same event changes nothing, and
// the link is found dead only after the heartbeat's interval and timeout.
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../../src/server/index.ts';
import { launchChromium, openChatPage } from '../../e2e/helpers.ts';
import { startSilenceableProxy, type SilenceableProxy } from '../../e2e/linkFaults.ts';
import { controlVisibility, setVisibility } from '../../e2e/pageVisibility.ts';
import { recordFigures } from '../lib/figures.ts';

let browser: Browser;
const servers: { close(): Promise<void> }[] = [];
const figures: { what: string; value: string | number }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  recordFigures('Liveness: a dead link noticed on visibility', 'npm run test:reliability', figures);
});

interface Timings {
  /** performance.now() of each visibilitychange to visible, each close, each open (after the first). */
  shown: number[];
  closes: { at: number; code: number }[];
  opens: number[];
}

declare global {
  interface Window {
    __rwcTimings?: Timings;
  }
}

async function timePage(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__rwcE2E?.client() != null);
  await page.evaluate(() => {
    const timings: Timings = { shown: [], closes: [], opens: [] };
    window.__rwcTimings = timings;
    const client = window.__rwcE2E?.client();
    client?.on('close', (info) => timings.closes.push({ at: performance.now(), code: info.code }));
    client?.on('open', () => timings.opens.push(performance.now()));
    // After the kit's own listener (it listened at mount), whose check only starts timers.
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && timings.shown.push(performance.now()), {
      capture: true,
    });
  });
  await controlVisibility(page);
}

const timings = (page: Page) => page.evaluate(() => window.__rwcTimings as Timings);
const signedIn = (page: Page) => page.evaluate(() => window.__rwcE2E?.chat().signedIn ?? false);

/** `rounds` of hide, kill the link, show; returns, per round, ms from shown to the 4000 close and to the next open. */
async function rounds(options: { liveness: boolean; beat: number; rounds: number }): Promise<{ noticed: number[]; back: number[] }> {
  const server: ChatServer = await createChatServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  const proxy: SilenceableProxy = await startSilenceableProxy(server.url);
  servers.push(proxy);
  const chat = await openChatPage(browser, { server: proxy.url, name: 'ada', heartbeat: options.beat, liveness: options.liveness });
  await timePage(chat.page);
  const noticed: number[] = [];
  const back: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    await expect.poll(() => signedIn(chat.page), { timeout: 30_000 }).toBe(true);
    await setVisibility(chat.page, 'hidden');
    proxy.silence();
    await setVisibility(chat.page, 'visible');
    await expect.poll(async () => (await timings(chat.page)).opens.length, { timeout: 4 * options.beat + 10_000 }).toBe(round + 1);
    const t = await timings(chat.page);
    const shown = t.shown[round] as number;
    const close = t.closes[round];
    expect(close?.code).toBe(4000);
    noticed.push(Math.round((close?.at as number) - shown));
    back.push(Math.round((t.opens[round] as number) - shown));
  }
  expect([chat.pageErrors, chat.consoleErrors]).toEqual([[], []]);
  await chat.page.context().close();
  return { noticed, back };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const summary = (values: number[]) => `median ${median(values)} ms, max ${Math.max(...values)} ms (${values.length} rounds)`;

describe('a dead link, the page shown again', () => {
  it('liveness() notices it within a second; heartbeat() alone after its interval and timeout', async () => {
    const BEAT = 5000;
    const live = await rounds({ liveness: true, beat: BEAT, rounds: 10 });
    const beat = await rounds({ liveness: false, beat: BEAT, rounds: 3 });
    figures.push(
      { what: 'liveness(): shown again → dead link closed (4000)', value: summary(live.noticed) },
      { what: 'liveness(): shown again → new connection open', value: summary(live.back) },
      { what: `heartbeat(${BEAT} + ${BEAT}) alone: shown again → dead link closed`, value: summary(beat.noticed) },
      { what: `heartbeat(${BEAT} + ${BEAT}) alone: shown again → new connection open`, value: summary(beat.back) },
    );
    expect(median(live.back)).toBeLessThan(1000);
    // The heartbeat alone waits for its timeout at least, whenever its last ping went out.
    expect(Math.min(...beat.noticed)).toBeGreaterThanOrEqual(BEAT - 100);
  });
});
