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
    ],
  },
});
