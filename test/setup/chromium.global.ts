// globalSetup of the browser-mode projects: fail fast and readably when Chromium is missing,
// instead of Playwright's stack traces (the run fails either way; this only makes it clear).
import { assertChromium } from './chromium.ts';

export default function setup(): void {
  assertChromium();
}
