// Debian's Chromium, launched through Playwright (test/setup/chromium.ts: never a downloaded browser),
// with the measured pages created and driven over raw DevTools sessions, not as Playwright pages.
//
// Why: Playwright turns on the DevTools `Network` domain in every page it drives, and Chromium then
// reports each WebSocket frame to the driver, which about doubles what a frame costs the page
// (../shared/testing-notes.md). Here each measured page is a target created with
// `Target.createTarget` in a browser context created with `Target.createBrowserContext`, both over
// `browser.newBrowserCDPSession()`. Playwright knows neither, so it detaches from them
// (crBrowser `_onAttachedToTarget`: no known context, no default one), and the only domains enabled
// in the page are the ones this file enables: none by default (no Network, no Runtime, no Page;
// bindings and `Runtime.evaluate` work without `Runtime.enable`). Playwright's CDP session cannot
// address a flattened child session, so commands go through `Target.sendMessageToTarget`.
import { chromium, type Browser, type CDPSession } from 'playwright';

import { CHROMIUM_ARGS, CHROMIUM_PATH, assertChromium } from '../../setup/chromium.ts';

/** The project's Chromium flags, plus the ones that keep a benchmark page from being throttled. */
export const BENCH_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS,
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export interface BenchBrowser {
  readonly browser: Browser;
  readonly session: CDPSession;
  readonly version: string;
  /** A new page in a new browser context (its own renderer process), with no domain enabled. */
  openPage(url: string, size?: { width: number; height: number }): Promise<RawPage>;
  close(): Promise<void>;
}

/** What the page's harness reports: `{ kind: 'ready' }`, `{ kind: 'result', ... }`. */
export interface Report {
  readonly kind: string;
  readonly [key: string]: unknown;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  method: string;
}

/** A page driven over a raw DevTools session. */
export class RawPage {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  private closed = false;

  constructor(
    private readonly browser: CDPSession,
    readonly targetId: string,
    readonly sessionId: string,
    readonly browserContextId: string,
  ) {}

  /**
   * Send a command; resolves with its result. Rejects after `timeoutMs`: a page still busy with a
   * flood answers nothing that needs its main thread (`Runtime.evaluate`, `HeapProfiler.*`).
   */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`page closed (${method})`));
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
        method,
      });
      this.browser
        .send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
        .catch((error: Error) => {
          this.pending.delete(id);
          reject(error);
        });
    });
  }

  on(event: string, listener: (params: Record<string, unknown>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  private readonly reports: Report[] = [];
  private reportWaiters: { kind: string; resolve: (report: Report) => void }[] = [];

  /** @internal a report of the harness */
  report(report: Report): void {
    const index = this.reportWaiters.findIndex((waiter) => waiter.kind === report.kind);
    if (index >= 0) {
      const [waiter] = this.reportWaiters.splice(index, 1);
      waiter!.resolve(report);
    } else {
      this.reports.push(report);
    }
  }

  /** The next report of `kind` from the harness (one already received counts). */
  waitForReport<T extends Report = Report>(kind: string, timeoutMs: number): Promise<T> {
    const index = this.reports.findIndex((report) => report.kind === kind);
    if (index >= 0) return Promise.resolve(this.reports.splice(index, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reportWaiters = this.reportWaiters.filter((waiter) => waiter !== entry);
        reject(new Error(`no "${kind}" report from the page within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry = {
        kind,
        resolve: (report: Report) => {
          clearTimeout(timer);
          resolve(report as T);
        },
      };
      this.reportWaiters.push(entry);
    });
  }

  /** Evaluate an expression and return its value (by value). Throws the page's exception. */
  async evaluate<T>(expression: string, timeoutMs = 30_000): Promise<T> {
    const reply = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, returnByValue: true },
      timeoutMs,
    );
    if (reply.exceptionDetails) {
      throw new Error(`${reply.exceptionDetails.text} ${reply.exceptionDetails.exception?.description ?? ''}`.trim());
    }
    return reply.result.value as T;
  }

  /** @internal a message of this page's session */
  dispatch(raw: string): void {
    const message = JSON.parse(raw) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: Record<string, unknown>;
    };
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
      return;
    }
    if (message.method) for (const listener of this.listeners.get(message.method) ?? []) listener(message.params ?? {});
  }

  /** Close the page and dispose of its browser context. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.pending.values()) waiter.reject(new Error(`page closed (${waiter.method})`));
    this.pending.clear();
    await this.browser.send('Target.closeTarget', { targetId: this.targetId }).catch(() => {});
    await this.browser.send('Target.disposeBrowserContext', { browserContextId: this.browserContextId }).catch(() => {});
  }
}

export async function launchBenchBrowser(): Promise<BenchBrowser> {
  assertChromium();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: BENCH_CHROMIUM_ARGS, headless: true });
  const session = await browser.newBrowserCDPSession();
  const pages = new Map<string, RawPage>();
  session.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    pages.get(event.sessionId)?.dispatch(event.message);
  });

  return {
    browser,
    session,
    version: browser.version(),
    async openPage(url, size = { width: 1280, height: 800 }) {
      const { browserContextId } = (await session.send('Target.createBrowserContext', {})) as { browserContextId: string };
      // Created on the page's origin (any URL of it: a 404 will do), so that the navigation below
      // stays in the same renderer process and keeps the binding added in between.
      const { targetId } = (await session.send('Target.createTarget', {
        url: new URL('/__blank', url).href,
        browserContextId,
        width: size.width,
        height: size.height,
      })) as { targetId: string };
      const { sessionId } = (await session.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
      const page = new RawPage(session, targetId, sessionId, browserContextId);
      pages.set(sessionId, page);
      // The harness reports through this binding (from rAF callbacks: see pages/harness.ts).
      await page.send('Runtime.enable');
      await page.send('Runtime.addBinding', { name: '__benchReport' });
      page.on('Runtime.bindingCalled', (params) => {
        if (params.name === '__benchReport') page.report(JSON.parse(params.payload as string) as Report);
      });
      await page.send('Page.navigate', { url });
      const close = page.close.bind(page);
      page.close = async () => {
        pages.delete(sessionId);
        await close();
      };
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}
