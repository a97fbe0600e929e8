// The short version of the reliability suite's kill test with resume (issue 15): the reference
// server over Redis killed (SIGKILL) and restarted 3 times while two Chromium pages and two Node
// clients of the kit chat both ways; every client ends with the identical, complete sequence. The
// 20-kill version: test/reliability/slow/killResume.reliability.ts (`npm run test:reliability`).
import { describe, expect, it } from 'vitest';

import { killWithResume } from '../reliability/slow/lib/killWithResume.ts';
import { chromiumSuite } from './chromiumSuite.ts';

const suite = chromiumSuite();

describe('the server over Redis killed during two-way traffic, with resume', () => {
  it('every client ends with the identical, complete sequence after 3 kills', async () => {
    const result = await killWithResume({
      browser: suite.browser,
      kills: 3,
      pages: ['ada', 'bob'],
      nodes: ['cyd', 'dee'],
      sendEveryMs: 100,
      maxDelay: 1000,
      timeout: 15_000,
    });
    console.log(`[kill with resume] ${JSON.stringify({ ...result, stats: undefined })}`);
    expect(result.kills).toBe(3);
    expect(result.written).toBeGreaterThan(0);
  }, 120_000);
});
