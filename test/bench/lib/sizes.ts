// Bundle sizes, measured in the same run: esbuild bundles of small entry modules, minified, ESM,
// React and react-dom external, NODE_ENV=production, then gzip -9 (and brotli, for reference).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import { REPO_ROOT } from './paths.ts';

export interface SizeEntry {
  /** Row label. */
  readonly name: string;
  /** What the entry module imports. */
  readonly code: string;
  /** The budget for it, gzipped bytes (a target row), if any. */
  readonly budget?: number;
}

export interface SizeResult {
  readonly name: string;
  readonly code: string;
  readonly minified: number;
  readonly gzip: number;
  readonly brotli: number;
  readonly budget: number | null;
  /** The largest inputs by minified bytes in the bundle (esbuild's metafile): where the size is. */
  readonly inputs: readonly { path: string; bytes: number }[];
}

/** 1 kB = 1000 bytes throughout (the stricter reading of the "KB"). */
export const KB = 1000;

export const SIZE_ENTRIES: readonly SizeEntry[] = [
  {
    name: 'react-ws-chat `useWebSocket`',
    code: "export { useWebSocket } from './src/react/useWebSocket.ts';",
    budget: 3 * KB,
  },
  {
    name: 'react-ws-chat chat kit (ChatProvider, ChatBox, UserList, MessageInput, ConnectionStatus; virtua included)',
    code: "export { ChatProvider, ChatBox, UserList, MessageInput, ConnectionStatus } from './src/components/index.ts';",
    budget: 15 * KB,
  },
  {
    name: 'react-ws-chat, everything (`src/index.ts`: core, hooks, protocol, chat, components)',
    code: "export * from './src/index.ts';",
  },
  // What the budgets buy: the parts of the two bundles above, each measured on its own.
  {
    name: 'react-ws-chat `useWebSocket` + `autoReconnect`',
    code: "export { useWebSocket } from './src/react/useWebSocket.ts'; export { autoReconnect } from './src/core/reconnect.ts';",
  },
  {
    name: 'react-ws-chat core `WebSocketClient` alone (no React)',
    code: "export { WebSocketClient } from './src/core/WebSocketClient.ts';",
  },
  {
    name: 'react-ws-chat core `WebSocketClient` + `autoReconnect`',
    code: "export { WebSocketClient } from './src/core/WebSocketClient.ts'; export { autoReconnect } from './src/core/reconnect.ts';",
  },
  {
    name: 'react-ws-chat `ChatStore` (protocol decoding included, no React)',
    code: "export { ChatStore } from './src/chat/ChatStore.ts';",
  },
  {
    name: 'react-ws-chat `ChatProvider` alone (core, `autoReconnect`, `ChatStore`)',
    code: "export { ChatProvider } from './src/components/ChatProvider.tsx';",
  },
  {
    name: 'react-ws-chat `ChatProvider` + `ChatBox` (virtua included)',
    code: "export { ChatProvider, ChatBox } from './src/components/index.ts';",
  },
  { name: 'virtua `Virtualizer` alone (what `ChatBox` uses)', code: "export { Virtualizer } from 'virtua';" },
  { name: 'react-use-websocket `useWebSocket` (default export)', code: "export { default } from 'react-use-websocket';" },
  { name: 'partysocket `useWebSocket` (partysocket/react)', code: "export { useWebSocket } from 'partysocket/react';" },
  { name: 'partysocket `usePartySocket` (partysocket/react)', code: "export { usePartySocket } from 'partysocket/react';" },
];

export async function measureSizes(entries: readonly SizeEntry[] = SIZE_ENTRIES): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const entry of entries) {
    const output = await build({
      stdin: { contents: entry.code, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'entry.ts' },
      absWorkingDir: REPO_ROOT,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['react', 'react/*', 'react-dom', 'react-dom/*'],
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const code = output.outputFiles[0]!.contents;
    const inputs = Object.entries(Object.values(output.metafile!.outputs)[0]!.inputs)
      .map(([file, info]) => ({ path: file.replace(/^node_modules\//, ''), bytes: info.bytesInOutput }))
      .filter((input) => input.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 8);
    results.push({
      name: entry.name,
      code: entry.code,
      minified: code.byteLength,
      gzip: gzipSync(code, { level: 9 }).byteLength,
      brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
      budget: entry.budget ?? null,
      inputs,
    });
  }
  return results;
}
