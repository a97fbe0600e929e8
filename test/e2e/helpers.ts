// Helpers of the e2e tests: Debian's Chromium through Playwright (never a downloaded browser), pages
// of the fixture app, a reader of the chat log as the user sees it, and raw `ws` clients. Nothing
// here sleeps: every wait is on a condition.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { inject } from 'vitest';
import { WebSocket } from 'ws';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../setup/chromium.ts';

/** How long a wait on the page may take before the test fails with what it saw. */
export const WAIT_MS = 10_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface ChatPageOptions {
  /** The chat server, `ws://HOST:PORT`. */
  server: string;
  /** The name to ask for. */
  name: string;
  /** Block size of the log (the log is virtualized: only rows in view are in the DOM). */
  height?: string;
  /** Ceiling of the reconnect backoff, ms. */
  maxDelay?: number;
  /** Ceiling of the first reconnect delay, ms. */
  initialDelay?: number;
  /** Heartbeat interval and timeout, ms (default: off). */
  heartbeat?: number;
  /** `liveness()` (with `heartbeat`'s times, if given) instead of `heartbeat()`. */
  liveness?: boolean;
  /**
   * Credentials in the URL (`?token=t1`), renewed by `liveness({ refresh })` (needs `liveness`);
   * `'hold'`: each refresh waits for `window.__rwcAuthRelease()`; `'fail'`: refresh rejects.
   */
  auth?: boolean | 'hold' | 'fail';
  /** Install Playwright's clock before the page loads (time flows, and `page.clock.fastForward` jumps it). */
  clock?: boolean;
  /** The typing indicator (default: off). */
  typing?: boolean;
  /** The durable outbox (`persistentOutbox()`) on, with this `failAfter` in ms (true: the default). */
  persist?: boolean | number;
  /** Open the page in this context (its storage: the same browser profile) instead of a new one. */
  context?: BrowserContext;
  /** `chatHistory()` and ChatBox's navigation parts. */
  history?: boolean;
  /** Edits and deletes of own messages (`messageEdits()`, `messageActions()`). */
  edits?: boolean;
  /** One connection for the pages of the context that give this name (`<ChatProvider share={sharedChat({ name })}>`). */
  share?: string;
}

/** A page of the fixture app and what it reported that a user would notice or a test must not miss. */
export interface ChatPage {
  readonly page: Page;
  /** Dialogs opened (alert, confirm, prompt): none may ever open. */
  readonly dialogs: string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
  /** `console.error` output of the page. */
  readonly consoleErrors: string[];
}

/** Open the fixture app in a new context (its own storage, like another person's browser), or in `options.context`. */
export async function openChatPage(browser: Browser, options: ChatPageOptions): Promise<ChatPage> {
  const context = options.context ?? (await browser.newContext());
  const page = await context.newPage();
  const result: ChatPage = { page, dialogs: [], pageErrors: [], consoleErrors: [] };
  page.on('dialog', (dialog) => {
    result.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => result.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') result.consoleErrors.push(message.text());
  });
  const url = new URL(inject('e2eAppUrl'));
  url.searchParams.set('server', options.server);
  url.searchParams.set('name', options.name);
  if (options.height) url.searchParams.set('height', options.height);
  if (options.maxDelay !== undefined) url.searchParams.set('maxDelay', String(options.maxDelay));
  if (options.initialDelay !== undefined) url.searchParams.set('initialDelay', String(options.initialDelay));
  if (options.heartbeat !== undefined) url.searchParams.set('heartbeat', String(options.heartbeat));
  if (options.typing) url.searchParams.set('typing', '1');
  if (options.liveness) url.searchParams.set('liveness', '1');
  if (options.auth) url.searchParams.set('auth', options.auth === true ? '1' : options.auth);
  if (options.persist !== undefined && options.persist !== false) url.searchParams.set('persist', '1');
  if (typeof options.persist === 'number') url.searchParams.set('failAfter', String(options.persist));
  if (options.history) url.searchParams.set('history', '1');
  if (options.edits) url.searchParams.set('edits', '1');
  if (options.clock) await page.clock.install();
  if (options.share) url.searchParams.set('share', options.share);
  await page.goto(url.href);
  return result;
}

/** The connection status (`role="status"`). */
export const status = (page: Page) => page.getByRole('status');

/** Wait until the status says `text` (a substring or a pattern). */
export async function waitForStatus(page: Page, text: string | RegExp, timeout = WAIT_MS): Promise<void> {
  await status(page).filter({ hasText: text }).waitFor({ timeout });
}

/** The message field and its form. */
export const messageField = (page: Page) => page.getByRole('textbox', { name: 'Message' });

/** Write `text` in the message field and press Enter, as a user does. */
export async function say(page: Page, text: string): Promise<void> {
  const field = messageField(page);
  await field.fill(text);
  await field.press('Enter');
}

/** Rename through the "Your name" field. */
export async function rename(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Change name' }).click();
}

/** One row of the log, as rendered (textContent, so exactly the characters shown). */
export interface LogRow {
  readonly kind: string | null;
  /** Message rows: the sender, the text, the status shown (null when delivered). */
  readonly sender: string | null;
  readonly text: string | null;
  readonly status: string | null;
  readonly dataStatus: string | null;
  readonly own: boolean;
  /** Notice rows (sign-in, rename): the sentence. */
  readonly notice: string | null;
}

/** The rows of the log in order (only those rendered: give the page a tall enough log). */
export function readLog(page: Page): Promise<LogRow[]> {
  return page
    .getByRole('log', { name: 'Messages' })
    .locator('.rwc-chatbox__row')
    .evaluateAll((rows) =>
      rows.map((row) => {
        const text = (selector: string) => row.querySelector(selector)?.textContent ?? null;
        return {
          kind: row.getAttribute('data-kind'),
          sender: text('.rwc-chatbox__sender'),
          text: text('.rwc-chatbox__text'),
          status: text('.rwc-chatbox__status'),
          dataStatus: row.getAttribute('data-status'),
          own: row.hasAttribute('data-own'),
          notice: text('.rwc-chatbox__notice'),
        };
      }),
    );
}

/** The message rows' texts, in order. */
export async function messageTexts(page: Page): Promise<string[]> {
  return (await readLog(page)).filter((row) => row.kind === 'message').map((row) => row.text ?? '');
}

/** The notices, in order. */
export async function notices(page: Page): Promise<string[]> {
  return (await readLog(page)).filter((row) => row.notice !== null).map((row) => row.notice ?? '');
}

/** The user list's items as read (name, then " (you)" on the current user's). */
export function userListItems(page: Page): Promise<string[]> {
  return page
    .getByRole('list', { name: 'Users' })
    .getByRole('listitem')
    .evaluateAll((items) => items.map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/** A parsed frame a raw client received. */
export type Packet = Record<string, unknown> & { type?: unknown };

/** A raw `ws` client of the chat protocol, keeping every packet it receives. */
export class RawClient {
  readonly received: Packet[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.received.push(JSON.parse(String(data)) as Packet);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {
      // Reported through 'close'.
    });
  }

  /** Connect (offering `json`) and wait for the server's `id`. */
  static async connect(url: string): Promise<RawClient> {
    const client = new RawClient(new WebSocket(url, 'json'));
    await client.waitFor((packet) => packet.type === 'id', 'id');
    return client;
  }

  get id(): number {
    const packet = this.received.find((p) => p.type === 'id');
    return packet?.id as number;
  }

  send(packet: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(packet));
  }

  /** Ask for `name`; resolves with the name the server gave (its `username` echo for this id). */
  async register(name: string): Promise<string> {
    const from = this.received.length;
    this.send({ type: 'username', name, id: this.id, date: Date.now() });
    const echo = await this.waitFor((p) => p.type === 'username' && p.id === this.id, `username echo of ${JSON.stringify(name)}`, from);
    return echo.name as string;
  }

  /** Send a message; resolves when the server echoed it. */
  async say(text: string, nonce: string): Promise<void> {
    const from = this.received.length;
    this.send({ type: 'message', text, id: this.id, date: Date.now(), nonce });
    await this.waitFor((p) => p.type === 'message' && p.nonce === nonce, `echo of message ${nonce}`, from);
  }

  /** The texts of the messages received, in order (optionally only from `name`). */
  messageTexts(name?: string): string[] {
    return this.received.filter((p) => p.type === 'message' && (name === undefined || p.name === name)).map((p) => p.text as string);
  }

  /** Wait for a packet matching `predicate` received at index `from` or later. */
  waitFor(predicate: (packet: Packet) => boolean, what: string, from = 0, timeout = WAIT_MS): Promise<Packet> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.slice(from).find(predicate);
        if (found) {
          done();
          resolve(found);
        } else if (this.closed) {
          done();
          reject(new Error(`connection closed while waiting for ${what}; received ${JSON.stringify(this.received.slice(-5))}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; last received ${JSON.stringify(this.received.slice(-5))}`));
      }, timeout);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.socket.terminate();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
