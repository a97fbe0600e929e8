// The short version of the reliability suite's kill test with resume (issue 15): the reference
// server over Redis killed (SIGKILL) and restarted 3 times while a Chromium page and two Node
// clients of the kit chat both ways; every client ends with the identical, complete sequence. The
// 20-kill version (two pages, two Node clients): test/reliability/slow/killResume.reliability.ts
// (`npm run test:reliability`).
import { describe, expect, it } from 'vitest';

import { recordFigures } from '../reliability/lib/figures.ts';
import { killWithResume } from '../reliability/slow/lib/killWithResume.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();

describe('the server over Redis killed during two-way traffic, with resume', () => {
  it('every client ends with the identical, complete sequence after 3 kills', async () => {
    const result = await killWithResume({
      browser: suite.browser,
      kills: 3,
      pages: ['ada'],
      nodes: ['bob', 'cyd'],
      sendEveryMs: 100,
      maxDelay: 1000,
      timeout: 15_000,
    });
    // (killWithResume asserts the sequences; these say that the run had traffic to check.)
    expect(result.kills).toBe(3);
    expect(result.checked).toBeGreaterThanOrEqual(3 * 3 * 2 * result.clients);
    recordFigures('Faults with resume, short: server over Redis killed and restarted', 'npm test', [
      { what: 'kills, clients', value: `${result.kills}, ${result.clients} (1 Chromium page, 2 Node ChatStores)` },
      { what: 'messages written / checked at every client (identical sequence, no gap)', value: `${result.written} / ${result.checked}` },
      { what: 'time', value: `${result.seconds} s` },
    ]);
  }, 120_000);
});
