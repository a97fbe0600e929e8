#!/usr/bin/env node
// Launcher of the reference chat server: `react-ws-chat-server --host 127.0.0.1 --port 6502`.
// All the logic is in src/server/cli.ts. Once the package is built (the build writes
// dist/server/cli.js), this runs the built file with plain Node. In a source checkout without a build
// it runs the TypeScript source through tsx (a devDependency), so `node src/server/bin.js` works
// there too; `npm run server -- --port 6502` is the same.
import { existsSync } from 'node:fs';

const built = new URL('../../dist/server/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('./cli.ts', import.meta.url).href);
}
