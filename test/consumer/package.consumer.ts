// The consumer test (`consumer` project of vitest.config.ts): the kit as its users get it. It packs
// the package (`npm pack`, whose `prepack` runs `npm run build`), checks the tarball with publint and
// "are the types wrong", installs it into a fresh Vite + React + TypeScript app in a temporary folder
// (from npm's local cache when it can: `--prefer-offline`), whose src/App.tsx is README's quick start
// pasted as it is, type-checks the app with its own `tsc`, builds it with its own Vite, starts the
// reference server through the installed package's `react-ws-chat-server` bin, and chats in Chromium.
// README's testing example, pasted as it is too, runs there with the app's own Vitest and jsdom.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { Browser } from 'playwright';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { launchChromium, messageTexts, say, userListItems, waitForStatus } from '../e2e/helpers.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The version installed here of a dev dependency: the app asks for exactly it, so npm's cache has it. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The first ```tsx block of README.md under the heading `## <heading>`. */
async function readmeBlock(heading: string): Promise<string> {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split(new RegExp(`^## ${heading}$`, 'm'))[1]?.split(/^## /m)[0];
  const block = section?.match(/```tsx\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error(`README.md has no \`\`\`tsx block under "## ${heading}"`);
  return block;
}

/** This process's environment without Vitest's own variables, which would confuse the app's Vitest. */
function appEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
}

/** Run a command; on failure, throw with its output (what a reader of the test log needs). */
async function sh(file: string, args: string[], cwd: string, timeout = 60_000): Promise<string> {
  try {
    const { stdout } = await run(file, args, {
      cwd,
      timeout,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...appEnv(), npm_config_update_notifier: 'false' },
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
}

let work: string;
let app: string;
let tarball: string;
let browser: Browser | undefined;
let chatServer: ChildProcess | undefined;
let staticServer: Server | undefined;

let appInstalled: Promise<void> | undefined;

/**
 * The fresh app (package.json, configuration, README's blocks as source files), installed with npm
 * from its local cache; once, for the tests that use it.
 */
function installApp(): Promise<void> {
  appInstalled ??= (async () => {
    await mkdir(path.join(app, 'src'), { recursive: true });
    const v = installedVersion;
    await writeFile(
      path.join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'my-chat',
          private: true,
          type: 'module',
          dependencies: { react: v('react'), 'react-dom': v('react-dom'), 'react-ws-chat': `file:${tarball}` },
          devDependencies: {
            '@types/react': v('@types/react'),
            '@types/react-dom': v('@types/react-dom'),
            '@vitejs/plugin-react': v('@vitejs/plugin-react'),
            // What README's testing section has a user install: the testing entry's optional peer,
            // Vitest, jsdom and Testing Library.
            '@testing-library/dom': v('@testing-library/dom'),
            '@testing-library/react': v('@testing-library/react'),
            jsdom: v('jsdom'),
            'mock-socket': v('mock-socket'),
            vitest: v('vitest'),
            typescript: v('typescript'),
            vite: v('vite'),
          },
        },
        null,
        2,
      ),
    );
    // As `npm create vite -- --template react-ts` makes them (one tsconfig instead of three).
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          module: 'ESNext',
          moduleResolution: 'bundler',
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          moduleDetection: 'force',
          noEmit: true,
          jsx: 'react-jsx',
          strict: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          noFallthroughCasesInSwitch: true,
          skipLibCheck: true,
          types: ['vite/client'],
        },
        include: ['src'],
      }),
    );
    await writeFile(
      path.join(app, 'vite.config.ts'),
      "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\n\nexport default defineConfig({ plugins: [react()] });\n",
    );
    await writeFile(
      path.join(app, 'index.html'),
      '<!doctype html>\n<html lang="en">\n<head><meta charset="UTF-8" /><title>my-chat</title></head>\n<body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>\n</html>\n',
    );
    await writeFile(
      path.join(app, 'src/main.tsx'),
      "import { StrictMode } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport App from './App.tsx';\n\ncreateRoot(document.getElementById('root')!).render(\n  <StrictMode>\n    <App />\n  </StrictMode>,\n);\n",
    );
    // README's quick start, pasted as it is; only the server's port is the one this test got.
    await writeFile(path.join(app, 'src/App.tsx'), await readmeBlock('Quick start'));
    // README's testing example, pasted as it is: type-checked with the app and run by its Vitest.
    await writeFile(path.join(app, 'src/App.test.tsx'), await readmeBlock('Testing your chat'));
    // The other entries, as a user's code would use them: only type-checked here.
    await writeFile(
      path.join(app, 'src/entries.check.ts'),
      [
        "import { WebSocketClient, closeCodeMeaning, type WebSocketSnapshot } from 'react-ws-chat/core';",
        "import { createMockChatServer, type MockChatServer } from 'react-ws-chat/testing';",
        "import type { ChatServer, ChatServerOptions } from 'react-ws-chat/server';",
        "import { useWebSocket, type ChatEntry } from 'react-ws-chat';",
        '',
        "export const client = new WebSocketClient<{ type: string }>({ url: 'ws://127.0.0.1:6502', protocols: 'json' });",
        'export const meaning: string = closeCodeMeaning(1006);',
        'export const mock: () => MockChatServer = () => createMockChatServer();',
        'export type Checked = [WebSocketSnapshot, ChatServer, ChatServerOptions, ChatEntry, typeof useWebSocket];',
        '',
      ].join('\n'),
    );

    await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app, 120_000);
  })();
  return appInstalled;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'rwc-consumer-'));
  app = path.join(work, 'app');
  // `prepack` builds dist/ first.
  const packed = JSON.parse(await sh('npm', ['pack', '--json', '--pack-destination', work], repoRoot, 90_000)) as [{ filename: string }];
  tarball = path.join(work, packed[0].filename);
});

afterAll(async () => {
  await browser?.close();
  chatServer?.kill('SIGTERM');
  await new Promise((resolve) => (staticServer ? staticServer.close(resolve) : resolve(undefined)));
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the published package', () => {
  test('"are the types wrong" finds no problem (ESM only; the stylesheet has no types)', async () => {
    const attw = path.join(repoRoot, 'node_modules/.bin/attw');
    // Exit code 1 (so `sh` throws, with the report) on any problem. `esm-only`: the package has no
    // CommonJS build, so node10 and require() resolutions are not checked.
    const report = await sh(attw, [tarball, '--profile', 'esm-only', '--exclude-entrypoints', './styles.css', '--format', 'ascii'], work);
    const checked = report.split('\n').filter((line) => /^(node16 \(from ESM\)|bundler):/.test(line));
    expect(checked).toHaveLength(2 * 5); // ., core, server, testing, package.json
    for (const line of checked) expect(line).toMatch(/: 🟢/u);
  });

  test('installs into a fresh Vite + React app, which type-checks, builds and chats in Chromium', async () => {
    await installApp();
    const installed = path.join(app, 'node_modules/react-ws-chat');
    const lint = await publint({ pkgDir: installed, pack: false, strict: true });
    const pkg = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(lint.messages.map((message) => formatMessage(message, pkg))).toEqual([]);
    // React is the app's, once: the kit neither bundles nor installs a copy of its own.
    await expect(readFile(path.join(installed, 'node_modules/react/package.json'))).rejects.toThrow();
    expect(await readFile(path.join(installed, 'dist/components/ChatBox.js'), 'utf8')).toMatch(/from 'react'/);
    // 'use client' survives the build (React Server Components).
    expect(await readFile(path.join(installed, 'dist/components/ChatBox.js'), 'utf8')).toMatch(/^'use client';/);

    // The app's own TypeScript.
    await sh(path.join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], app);
    await sh(path.join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], app, 60_000);

    // The reference server, through the installed package's bin (plain Node, `ws` from the kit's dependencies).
    const server = spawn(path.join(app, 'node_modules/.bin/react-ws-chat-server'), ['--host', '127.0.0.1', '--port', '0'], { cwd: app });
    chatServer = server;
    const serverUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (chunk: Buffer) => {
        out += String(chunk);
        const found = out.match(/listening on (ws:\/\/\S+)/);
        if (found?.[1]) resolve(found[1]);
      });
      server.stderr.on('data', (chunk: Buffer) => (out += String(chunk)));
      server.on('exit', (code) => reject(new Error(`react-ws-chat-server exited ${code}: ${out}`)));
    });

    // Serve the built app; the quick start's URL is replaced by this server's (in the built bundle).
    const dist = path.join(app, 'dist');
    staticServer = createServer((request, response) => {
      if (request.url === '/favicon.ico') return void response.writeHead(204).end();
      const file = request.url === '/' || !request.url ? 'index.html' : request.url.split('?')[0]!.slice(1);
      readFile(path.join(dist, path.normalize(file)))
        .then((body) => {
          const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
          const text = type === 'text/javascript' ? body.toString('utf8').replaceAll('ws://127.0.0.1:6502', serverUrl) : body;
          response.writeHead(200, { 'content-type': type }).end(text);
        })
        .catch(() => response.writeHead(404).end());
    });
    await new Promise<void>((resolve) => staticServer!.listen(0, '127.0.0.1', resolve));
    const address = staticServer.address();
    if (!address || typeof address === 'string') throw new Error('no address');

    browser = await launchChromium();
    const pageErrors: string[] = [];
    const open = async () => {
      const page = await (await browser!.newContext()).newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${address.port}/`);
      await waitForStatus(page, 'Connected');
      return page;
    };
    const ada = await open();
    const second = await open();
    // The stylesheet is applied (the theme's custom properties are defined on .rwc-chat).
    expect(
      await ada.locator('.rwc-chat').evaluate((element) => getComputedStyle(element).getPropertyValue('--rwc-accent').trim()),
    ).not.toBe('');
    await expect.poll(() => userListItems(ada)).toHaveLength(2);
    await say(ada, 'hello from the packed kit');
    await expect.poll(() => messageTexts(second)).toContain('hello from the packed kit');
    expect(pageErrors).toEqual([]);
  });

  test("runs README's testing example in the app, with the app's own Vitest and jsdom", async () => {
    await installApp();
    // src/App.test.tsx is the example as it is (the test above type-checks it with the rest of src/).
    const report = path.join(work, 'vitest-report.json');
    await sh(path.join(app, 'node_modules/.bin/vitest'), ['run', '--reporter=json', `--outputFile=${report}`], app, 90_000);
    const result = JSON.parse(await readFile(report, 'utf8')) as { numTotalTests: number; numPassedTests: number };
    expect(result.numTotalTests).toBeGreaterThan(0);
    expect(result.numPassedTests).toBe(result.numTotalTests);
  });
});
