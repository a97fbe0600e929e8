// Polyfills for Node 20 must load before Vitest's reporters run in this (main) process.
import './test/setup/node-polyfills.ts';

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/setup/chromium.ts';

const dirname = path.dirname(fileURLToPath(import.meta.url));

/** Shared browser-mode config (system Chromium via Playwright) for `browser` and `storybook`. */
function chromiumBrowser() {
  return {
    enabled: true,
    headless: true,
    provider: playwright({
      launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    }),
    instances: [{ browser: 'chromium' as const }],
  };
}

const chromiumGlobalSetup = ['test/setup/chromium.global.ts'];

export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/browser/**', 'test/e2e/**', '**/node_modules/**'],
          setupFiles: ['test/setup/unit.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.{ts,tsx}'],
          globalSetup: [...chromiumGlobalSetup, 'test/setup/realServer.global.ts'],
          browser: chromiumBrowser(),
        },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
        test: {
          name: 'storybook',
          globalSetup: chromiumGlobalSetup,
          browser: chromiumBrowser(),
        },
      },
      {
        // End to end: the reference server and the fixture app (test/e2e/app, served by Vite) in
        // Debian's Chromium, driven from Node by Playwright (test/e2e/helpers.ts).
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          setupFiles: ['test/setup/node-polyfills.ts'],
          globalSetup: [...chromiumGlobalSetup, 'test/e2e/setup/app.global.ts'],
          // A group of its own (Vitest runs groups one after another): its Chromiums, servers and
          // Vite never compete for the CPU with the timing-sensitive browser and story tests.
          sequence: { groupOrder: 1 },
          // Alone, then: two files at a time, each with its own chat server and Chromium.
          maxWorkers: 2,
          testTimeout: 45_000,
          hookTimeout: 30_000,
          // Waits are on conditions (expect.poll); this is only how long one may take.
          expect: { poll: { timeout: 10_000, interval: 50 } },
        },
      },
      // The slow half of the reliability suite (test/reliability/slow: faults, half-open and slow
      // links, forged packets, soak, server load), only for `npm run test:reliability`
      // (RELIABILITY=1): never part of the default run. Its fast half runs in `unit`.
      ...(process.env.RELIABILITY === '1'
        ? [
            {
              extends: true,
              test: {
                name: 'reliability',
                environment: 'node',
                include: ['test/reliability/slow/**/*.reliability.ts'],
                setupFiles: ['test/setup/node-polyfills.ts'],
                globalSetup: [...chromiumGlobalSetup, 'test/e2e/setup/app.global.ts'],
                // One file at a time: the timings and the memory they measure are their own.
                maxWorkers: 1,
                fileParallelism: false,
                testTimeout: 600_000,
                hookTimeout: 60_000,
                expect: { poll: { timeout: 20_000, interval: 50 } },
              },
            },
          ]
        : []),
      {
        // The published package in a fresh Vite + React app (test/consumer): npm pack (which builds),
        // publint, "are the types wrong", npm install from the local cache, tsc, vite build, the
        // installed server bin, Chromium. Runs after the browser groups, alone.
        extends: true,
        test: {
          name: 'consumer',
          environment: 'node',
          include: ['test/consumer/**/*.consumer.ts'],
          setupFiles: ['test/setup/node-polyfills.ts'],
          globalSetup: chromiumGlobalSetup,
          sequence: { groupOrder: 2 },
          testTimeout: 150_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 10_000, interval: 50 } },
        },
      },
      {
        // The benchmark's short mode (`npm run bench -- --short`, test/bench/short.check.ts): it checks
        // that the benchmark works (every variant produced numbers, nothing crashed), never a time.
        // Last and alone: it runs its own Vite build, chat server and Chromium.
        extends: true,
        test: {
          name: 'bench',
          environment: 'node',
          include: ['test/bench/**/*.check.ts'],
          setupFiles: ['test/setup/node-polyfills.ts'],
          globalSetup: chromiumGlobalSetup,
          sequence: { groupOrder: 3 },
          testTimeout: 10_000,
          // The whole short run: 2-3 min on the shared machine since the catch-up and fan-out scenarios.
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
