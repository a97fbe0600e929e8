/**
 * jsdom has no `ResizeObserver`, and `<ChatBox>`'s virtualizer needs one to mount. Install an
 * inert stand-in (it never reports a size, so jsdom still renders no rows: test rows and scrolling
 * in a real browser). Does nothing where one exists. Returns a function that removes it again.
 */
export function installResizeObserverStub(): () => void {
  const scope = globalThis as { ResizeObserver?: unknown };
  if (typeof scope.ResizeObserver === 'function') return () => {};
  scope.ResizeObserver = class ResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
  return () => {
    delete scope.ResizeObserver;
  };
}
