// globalSetup of the `e2e` project: serve the fixture app (test/e2e/app) with Vite's dev server on
// 127.0.0.1 and a free port, once for every e2e test file; each file brings its own chat server and
// Chromium. The app's dependencies are pre-bundled before the URL is handed out, so that no test
// sees Vite discover a dependency and reload the page under it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { createServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:PORT/`: the fixture app's page. */
    e2eAppUrl: string;
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await createServer({
    configFile: false,
    root: path.join(repoRoot, 'test/e2e/app'),
    cacheDir: path.join(repoRoot, 'node_modules/.vite/e2e-app'),
    plugins: [react()],
    logLevel: 'warn',
    clearScreen: false,
    optimizeDeps: {
      // Everything the app imports from node_modules, known up front: no re-optimization mid-test.
      include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'virtua'],
    },
    server: {
      host: '127.0.0.1',
      port: 0,
      strictPort: true,
      // Nothing edits the app during a run: no file watching, no HMR socket in the page.
      hmr: false,
      watch: null,
    },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the e2e app server has no TCP address');
  const url = `http://127.0.0.1:${address.port}/`;
  // Transform the entry (and so pre-bundle its dependencies) now, not during the first test.
  const response = await fetch(new URL('main.tsx', url));
  if (!response.ok) throw new Error(`the e2e app does not build: GET main.tsx answered ${response.status}`);
  project.provide('e2eAppUrl', url);
  return () => server.close();
}
