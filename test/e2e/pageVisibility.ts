// Hidden and visible pages for tests in headless Chromium, which shows every page as visible
// whatever is done (checked here: another tab brought to front, the window minimized over CDP,
// `Page.setWebLifecycleState` frozen: `visibilityState` stays 'visible', no event fires, timers keep
// running). So the test owns `document.visibilityState` and `hidden`, and dispatches
// `visibilitychange` as the browser does when they change.
import type { Page } from 'playwright';

interface VisibilityControl {
  __setVisibility?: (state: DocumentVisibilityState) => void;
}

/** Make `document.visibilityState` the test's to set, with {@link setVisibility}. Once per page load. */
export async function controlVisibility(page: Page): Promise<void> {
  await page.evaluate(() => {
    let state: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
    (window as VisibilityControl).__setVisibility = (next) => {
      state = next;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
}

/** The page becomes hidden or visible (see {@link controlVisibility}). */
export async function setVisibility(page: Page, state: DocumentVisibilityState): Promise<void> {
  await page.evaluate((next) => {
    const set = (window as VisibilityControl).__setVisibility;
    if (!set) throw new Error('call controlVisibility(page) first');
    set(next);
  }, state);
}
