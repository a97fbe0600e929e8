// Single source of truth for the system Chromium used by every browser-mode project.
// Playwright must never download its own browser: the network is closed and we run as root.
import { accessSync, constants } from 'node:fs';

/** Debian's chromium package by default; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // running as root
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Throws a readable error when the Chromium binary is missing or not executable. */
export function assertChromium(path: string = CHROMIUM_PATH): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found or not executable at "${path}". ` +
        'Install it (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
}
