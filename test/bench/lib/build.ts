// Build the variant pages (test/bench/pages) once per run with Vite's JS API, in production mode
// (React's production build), into a temporary directory; and serve them with a tiny static server.
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import react from '@vitejs/plugin-react';
import { build } from 'vite';

import { REPO_ROOT } from './paths.ts';

export const VARIANTS = ['limit', 'dom', 'ruw', 'kit'] as const;
export type VariantName = (typeof VARIANTS)[number];

export type BuildName = 'prod' | 'profiling' | 'readable';

/**
 * Build every page three times, all in production mode: `prod/` (what is timed), `profiling/` (the
 * same pages with react-dom's profiling build and the render counters on, for render counts only)
 * and `readable/` (`prod` unminified, so that a CPU profile names functions).
 */
export async function buildPages(outDir: string, names: readonly BuildName[] = ['prod', 'profiling', 'readable']): Promise<void> {
  const root = path.join(REPO_ROOT, 'test/bench/pages');
  for (const name of names) {
    const profiling = name === 'profiling';
    await build({
      configFile: false,
      root,
      base: './',
      mode: 'production',
      logLevel: 'warn',
      clearScreen: false,
      plugins: [react()],
      define: { __BENCH_PROFILING__: JSON.stringify(profiling) },
      resolve: profiling ? { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] } : {},
      build: {
        outDir: path.join(outDir, name),
        emptyOutDir: true,
        minify: name !== 'readable',
        reportCompressedSize: false,
        sourcemap: false,
        rollupOptions: { input: Object.fromEntries(VARIANTS.map((v) => [v, path.join(root, `${v}.html`)])) },
      },
    });
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface StaticServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  /**
   * Answer the pending and next `GET /__hold` requests (see `hold()` in pages/harness.ts: a page
   * blocks on one with a synchronous XHR while a flood is queued for it).
   */
  release(): void;
  /** Resolves once a `GET /__hold` request is waiting. */
  holding(): Promise<void>;
  close(): Promise<void>;
}

/** Serve `dir` on 127.0.0.1 (GET only, no directory listing), plus the `/__hold` rendezvous. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  let held: ServerResponse[] = [];
  let holdWaiters: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (pathname === '/__hold') {
      held.push(response);
      for (const waiter of holdWaiters) waiter();
      holdWaiters = [];
      return;
    }
    const file = path.join(dir, pathname);
    if (!file.startsWith(dir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    release() {
      for (const response of held) response.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      held = [];
    },
    holding: () => (held.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => holdWaiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
