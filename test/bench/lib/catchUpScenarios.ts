// The catch-up scenarios (issue 15): a reader that comes back after missing a flood (`resume`), and
// a reader that joins a room with history (`join`). Each measurement has its own server (its
// history holds only this measurement's packets) and one fresh page, closed after.
import type { BuildName } from './build.ts';
import type { RawPage } from './cdp.ts';
import { startFeed, type Feed } from './feed.ts';
import { startLink, type CuttableLink } from './link.ts';
import {
  openReady,
  pageUrl,
  failedFlood,
  readMemory,
  reportedFlood,
  type BenchContext,
  type FloodRun,
  type PageResult,
} from './scenarios.ts';

/**
 * The server of a catch-up measurement: the benchmark's options, with a history that holds the whole
 * resume (its messages and the few sign-in and user-list packets around them: twice the size) and a
 * join's history of `joinHistory` packets.
 */
export function catchUpServerOptions(resume: number, joinHistory: number) {
  return { historyLimit: Math.max(10_000, 2 * resume), historyOnJoin: joinHistory };
}

export interface CatchUpOptions {
  readonly profile?: { start(page: RawPage): Promise<void>; stop(page: RawPage): Promise<void> };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * `resume`: the page (signed in, its join's catch-up shown) is held (its main thread blocked); the
 * link is cut; once the server saw it go, the sender writes `n` messages and the server relays them
 * (to the sender alone) and keeps them; then the page is released: it finds its socket dropped,
 * reconnects and catches up. Measured from the reconnect's `open` to the frame that shows message
 * `n - 1`.
 * `join`: the server holds `n` messages; the page, loaded and quiet, opens its socket when told.
 * Measured from the `open` to the frame that shows message `n - 1`.
 */
export async function measureCatchUp(
  ctx: BenchContext,
  scenario: 'resume' | 'join',
  variant: string,
  repeat: number,
  n: number,
  timeoutMs: number,
  serverOptions: ReturnType<typeof catchUpServerOptions>,
  options: CatchUpOptions = {},
): Promise<FloodRun> {
  let feed: Feed | null = null;
  let link: CuttableLink | null = null;
  let page: RawPage | null = null;
  let relayMs = 0;
  try {
    feed = await startFeed(serverOptions);
    const start = performance.now();
    if (scenario === 'join') {
      feed.flood(n);
      await feed.relayed(n, 60_000);
      relayMs = performance.now() - start;
    } else link = await startLink(feed.server.port);
    const build: BuildName = options.profile ? 'readable' : 'prod';
    page = await openReady(ctx, pageUrl(ctx, build, variant, scenario, n, timeoutMs, 0, link?.url ?? feed.url));
    await options.profile?.start(page);
    if (scenario === 'resume') relayMs = await missFlood(ctx, page, feed, link!, n);
    else await page.evaluate('__bench.start()');
    const result = await page.waitForReport<PageResult>('result', timeoutMs + 60_000);
    await options.profile?.stop(page);
    const memory = await readMemory(page, 20_000).catch(() => null);
    // Shown once each: fewer is lost, more is doubled (both fail the scenario).
    const counts = { lost: Math.max(0, n - result.rendered), doubled: Math.max(0, result.rendered - n), phases: result.phases ?? {} };
    return reportedFlood({ scenario, variant, repeat, n }, result, memory, relayMs, counts);
  } catch (error) {
    return failedFlood({ scenario, variant, repeat, n }, relayMs, error);
  } finally {
    await page?.close();
    await link?.close().catch(() => {});
    await feed?.close().catch(() => {});
  }
}

/** Hold the page, cut its link, have `n` messages sent and kept meanwhile, release it. Returns the relay time. */
async function missFlood(ctx: BenchContext, page: RawPage, feed: Feed, link: CuttableLink, n: number): Promise<number> {
  const held = page.evaluate('__bench.hold()', 600_000).catch(() => {});
  await ctx.web.holding();
  link.cut();
  // The page's connection gone from the room (the sender's stays): what follows is missed.
  await until(() => feed.server.clientCount === 1, 10_000, 'the server to see the page go');
  feed.resetRelayed();
  const start = performance.now();
  feed.flood(n);
  await feed.relayed(n, 180_000);
  const relayMs = performance.now() - start;
  ctx.web.release();
  void held;
  return relayMs;
}
