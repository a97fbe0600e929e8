import { createFrames, type Frames } from './createFrames.js';

/** Options of {@link installLayoutStub}. */
export interface LayoutStubOptions {
  /**
   * Height, in CSS pixels, of every rendered element that neither scrolls nor has a pixel height in
   * its inline `style`: each row of a list. Default 40: virtua's estimate for a row it has not
   * measured yet, so measuring a row moves nothing.
   */
  rowHeight?: number;
  /**
   * Height of every scroll container (computed `overflow` or `overflow-y` of `auto` or `scroll`):
   * the viewport of a virtualized list such as `<ChatBox>`'s log. Default 768, jsdom's own
   * `innerHeight`: with the default `rowHeight` about 19 rows are in view (virtua renders a 200 px
   * margin more), enough for what a test usually sends while older rows still leave the DOM as they
   * would in a browser.
   */
  viewportHeight?: number;
}

interface Size {
  width: number;
  height: number;
}

let installed = false;

/**
 * Give jsdom (which lays nothing out) a simple, fixed layout and a `ResizeObserver` that reports it,
 * so that virtualized lists, `<ChatBox>` among them, render their rows in jsdom tests.
 *
 * The layout: an element that is not rendered (not in the document, or under `display: none`) is
 * 0 × 0; one with a pixel `height` in its inline style is that tall (virtua sizes its content this
 * way); a scroll container is `viewportHeight` tall; every other element is `rowHeight` tall. Every
 * rendered element is as wide as the window (`innerWidth`, 1024 in jsdom). Elements get
 * `offsetParent`, `offsetHeight`/`offsetWidth`, `clientHeight`/`clientWidth` and `scrollHeight` from
 * it, and `scrollTop`, `scrollTo()` and `scrollBy()` scroll (clamped to the content) with a `scroll`
 * event on the next frame. `getBoundingClientRect()` stays jsdom's (positions are not modelled).
 *
 * Its `ResizeObserver` delivers as a browser does: on the next animation frame after an observation
 * or a change of the DOM (after that frame's scroll events), ONE callback per observer with an entry
 * for every target whose size changed since it was last reported (a new target counts unless it is
 * 0 × 0). A stand-in calling back once per element would make virtua re-render once per row.
 *
 * Frames are `requestAnimationFrame` (jsdom has it under Vitest); under fake timers, advance them.
 * Use it in jsdom only, never in a real browser. Returns a function that restores everything; a
 * second install while one is active does nothing (and returns a function that does nothing).
 *
 * @example
 * ```ts
 * let uninstall: () => void;
 * beforeEach(() => { uninstall = installLayoutStub(); });
 * afterEach(() => uninstall());
 * ```
 */
export function installLayoutStub({ rowHeight = 40, viewportHeight = 768 }: LayoutStubOptions = {}): () => void {
  if (installed) return () => {};
  if (typeof Element === 'undefined') throw new Error('installLayoutStub needs a DOM: run the test in jsdom');
  installed = true;
  const layout = createLayout(rowHeight, viewportHeight);
  const scrolled = new Set<Element>();
  const observers = new Set<{ deliver(): void }>();
  // A frame: layout (offsets clamped to the content), scroll events, then ResizeObserver callbacks.
  const frames = createFrames(() => {
    scrolling.clampAll();
    for (const element of [...scrolled]) {
      scrolled.delete(element);
      const view = element.ownerDocument.defaultView;
      if (view) element.dispatchEvent(new view.Event('scroll'));
    }
    for (const observer of [...observers]) observer.deliver();
  });
  const scrolling = createScrolling(layout, (element) => {
    scrolled.add(element);
    frames.request();
  });
  const restore = [
    ...patchLayout(layout, scrolling),
    replaceGlobal('ResizeObserver', createResizeObserverClass(layout.size, observers, frames)),
    watchMutations(() => {
      if (observers.size > 0 || scrolling.isScrolled()) frames.request();
    }),
  ];
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    frames.cancel();
    for (const undo of restore.reverse()) undo();
    installed = false;
  };
}

type Layout = ReturnType<typeof createLayout>;

/** Sizes follow the DOM and its styles: after a change, the next frame checks the observed targets. */
function watchMutations(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
  return () => observer.disconnect();
}

/** The model: sizes computed from the element's style and place, as {@link installLayoutStub} says. */
function createLayout(rowHeight: number, viewportHeight: number) {
  const rendered = (element: Element): boolean => {
    if (!element.isConnected) return false;
    for (let node: Element | null = element; node; node = node.parentElement) if (getComputedStyle(node).display === 'none') return false;
    return true;
  };
  const scrolls = (element: Element): boolean => {
    const style = getComputedStyle(element);
    return /auto|scroll/.test(style.overflowY) || /auto|scroll/.test(style.overflow);
  };
  const height = (element: Element): number => {
    if (!rendered(element)) return 0;
    const styled = (element as Partial<HTMLElement>).style?.height;
    if (styled?.endsWith('px')) return Number.parseFloat(styled);
    return scrolls(element) ? viewportHeight : rowHeight;
  };
  const width = (element: Element): number => (rendered(element) ? window.innerWidth : 0);
  const size = (element: Element): Size => ({ width: width(element), height: height(element) });
  const scrollHeight = (element: Element): number => {
    const own = height(element);
    if (own === 0 || !scrolls(element)) return own;
    let content = 0;
    for (const child of element.children) content += height(child);
    return Math.max(own, content);
  };
  const offsetParent = (element: Element): Element | null => {
    const body = element.ownerDocument.body;
    if (!rendered(element) || element === body || element === element.ownerDocument.documentElement) return null;
    for (let node = element.parentElement; node && node !== body; node = node.parentElement) {
      if (getComputedStyle(node).position !== 'static') return node;
    }
    return body;
  };
  return { height, width, size, scrollHeight, offsetParent };
}

/**
 * Scroll offsets, kept within the content as a browser keeps them: set beyond it, or left beyond it
 * by content that shrank (seen when read, or at the next frame), the offset moves to the end; every
 * move fires a scroll event on the next frame.
 */
function createScrolling(layout: Layout, onScroll: (element: Element) => void) {
  const offsets = new Map<Element, number>();
  const end = (element: Element) => Math.max(0, layout.scrollHeight(element) - layout.height(element));
  const get = (element: Element): number => {
    const stored = offsets.get(element) ?? 0;
    const top = Math.min(end(element), stored);
    if (top !== stored) move(element, top);
    return top;
  };
  const move = (element: Element, top: number) => {
    if (top === 0) offsets.delete(element);
    else offsets.set(element, top);
    onScroll(element);
  };
  const set = (element: Element, value: number) => {
    const top = Math.min(end(element), Math.max(0, Number.isFinite(value) ? value : 0));
    if (top !== get(element)) move(element, top);
  };
  const clampAll = () => {
    for (const element of [...offsets.keys()]) get(element);
  };
  return { get, set, clampAll, isScrolled: () => offsets.size > 0 };
}

type Scrolling = ReturnType<typeof createScrolling>;

/** Define the layout's properties on jsdom's prototypes; returns how to put the originals back. */
function patchLayout(layout: Layout, scrolling: Scrolling): (() => void)[] {
  // scrollTo({ top }) or scrollTo(x, y); only the vertical axis is modelled.
  const vertical = (options: ScrollToOptions | number | undefined, y: number | undefined) =>
    typeof options === 'object' ? options.top : y;
  const E = Element.prototype;
  const H = HTMLElement.prototype;
  return [
    getter(E, 'clientHeight', layout.height),
    getter(E, 'clientWidth', layout.width),
    getter(E, 'scrollHeight', layout.scrollHeight),
    getter(H, 'offsetHeight', layout.height),
    getter(H, 'offsetWidth', layout.width),
    getter(H, 'offsetParent', layout.offsetParent),
    define(E, 'scrollTop', {
      get(this: Element) {
        return scrolling.get(this);
      },
      set(this: Element, value: number) {
        scrolling.set(this, value);
      },
    }),
    define(E, 'scrollTo', {
      value(this: Element, options?: ScrollToOptions | number, y?: number) {
        const top = vertical(options, y);
        if (top !== undefined) scrolling.set(this, top);
      },
    }),
    define(E, 'scrollBy', {
      value(this: Element, options?: ScrollToOptions | number, y?: number) {
        const by = vertical(options, y);
        if (by !== undefined) scrolling.set(this, scrolling.get(this) + by);
      },
    }),
  ];
}

function getter<T extends object>(target: T, name: string, get: (element: Element) => unknown): () => void {
  return define(target, name, {
    get(this: Element) {
      return get(this);
    },
  });
}

/** Define a configurable property; the returned function restores the own property it replaced (or its absence). */
function define(target: object, name: string, descriptor: PropertyDescriptor): () => void {
  const original = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { configurable: true, ...descriptor });
  return () => {
    if (original) Object.defineProperty(target, name, original);
    else Reflect.deleteProperty(target, name);
  };
}

function replaceGlobal(name: string, value: unknown): () => void {
  return define(globalThis, name, { value, writable: true });
}

/** A `ResizeObserver` class over the layout, delivering on the shared frames. */
function createResizeObserverClass(size: (element: Element) => Size, live: Set<{ deliver(): void }>, frames: Frames) {
  return class ResizeObserver {
    readonly #callback: ResizeObserverCallback;
    /** The size last reported per target; a new target starts at 0 × 0, as the specification says. */
    readonly #targets = new Map<Element, Size>();

    constructor(callback: ResizeObserverCallback) {
      this.#callback = callback;
    }

    observe(target: Element): void {
      this.#targets.set(target, { width: 0, height: 0 });
      live.add(this);
      frames.request();
    }

    unobserve(target: Element): void {
      this.#targets.delete(target);
    }

    disconnect(): void {
      this.#targets.clear();
      live.delete(this);
    }

    /** Called once per frame: one callback with every changed target, or none. */
    deliver(): void {
      const entries: ResizeObserverEntry[] = [];
      for (const [target, last] of this.#targets) {
        const now = size(target);
        if (now.width === last.width && now.height === last.height) continue;
        this.#targets.set(target, now);
        entries.push(resizeEntry(target, now));
      }
      if (entries.length === 0) return;
      try {
        this.#callback(entries, this);
      } catch (error) {
        // As a browser reports an observer's exception and goes on with the others.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
}

function resizeEntry(target: Element, { width, height }: Size): ResizeObserverEntry {
  const box = [{ inlineSize: width, blockSize: height }];
  return {
    target,
    contentRect: new DOMRectReadOnly(0, 0, width, height),
    borderBoxSize: box,
    contentBoxSize: box,
    devicePixelContentBoxSize: box,
  };
}
