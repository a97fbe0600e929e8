// The Chromium component tests' set-up (test/browser): boxes in the page with a React root in each,
// removed after every test together with whatever else a test registers.
import { createRoot, type Root } from 'react-dom/client';
import { afterEach } from 'vitest';

/** What {@link pageRootsPerTest} gives a test file. */
export interface PageRoots {
  /** Run `cleanup` after the current test; clean-ups run in the reverse order of registration. */
  afterThisTest(cleanup: () => void): void;
  /** A `<div>` with `css` (and `dir`) appended to the page, and a React root in it: both gone after the test. */
  mountRoot(css?: string, dir?: string): { container: HTMLDivElement; root: Root };
}

/** Call at the top level of a test file: its tests' roots and clean-ups, undone after each test. */
export function pageRootsPerTest(): PageRoots {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });
  const afterThisTest = (cleanup: () => void) => {
    cleanups.push(cleanup);
  };
  return {
    afterThisTest,
    mountRoot(css = '', dir) {
      const container = document.createElement('div');
      if (dir) container.dir = dir;
      container.style.cssText = css;
      document.body.append(container);
      const root = createRoot(container);
      afterThisTest(() => {
        root.unmount();
        container.remove();
      });
      return { container, root };
    },
  };
}
