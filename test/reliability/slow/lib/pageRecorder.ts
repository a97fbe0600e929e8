// In-page instruments for the fixture app (test/e2e/app): a recorder of the connection's reconnect
// schedule and closes, and a steady sender writing through the chat store as <MessageInput> does.
import type { Page } from 'playwright';

export interface Recorded {
  /** Every reconnect scheduled: the attempt and its delay (nextReconnectAt minus now, when set). */
  readonly delays: { attempt: number; delay: number }[];
  /** Close codes seen by the page, in order. */
  readonly closes: number[];
  /** Error kinds seen by the page, in order. */
  readonly errors: string[];
  /** Texts written, in order. */
  readonly sent: string[];
}

declare global {
  interface Window {
    __rwcRecorded?: Recorded;
    __rwcSender?: { stop(): void };
  }
}

/** Wait for the fixture's hook and start recording (once per page). */
export async function installRecorder(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__rwcE2E?.client() != null, undefined, { timeout: 20_000 });
  await page.evaluate(() => {
    if (window.__rwcRecorded) return;
    const recorded: Recorded = { delays: [], closes: [], errors: [], sent: [] };
    window.__rwcRecorded = recorded;
    const client = window.__rwcE2E?.client();
    if (!client) throw new Error('no client');
    client.subscribe((snapshot, previous) => {
      if (snapshot.nextReconnectAt !== null && snapshot.nextReconnectAt !== previous.nextReconnectAt) {
        recorded.delays.push({ attempt: snapshot.reconnectAttempt, delay: snapshot.nextReconnectAt - Date.now() });
      }
    });
    client.on('close', (info) => recorded.closes.push(info.code));
    client.on('error', (error) => recorded.errors.push(error.kind));
  });
}

/** Write `${prefix}#1`, `${prefix}#2`... every `everyMs` through the chat store, until stopped. */
export async function startSender(page: Page, prefix: string, everyMs: number): Promise<void> {
  await page.evaluate(
    ([prefix, everyMs]) => {
      const store = window.__rwcE2E?.store();
      const recorded = window.__rwcRecorded;
      if (!store || !recorded) throw new Error('install the recorder first');
      let n = 0;
      const timer = setInterval(() => {
        const text = `${prefix}#${++n}`;
        if (store.send(text)) recorded.sent.push(text);
      }, everyMs);
      window.__rwcSender = { stop: () => clearInterval(timer) };
    },
    [prefix, everyMs] as const,
  );
}

export function stopSender(page: Page): Promise<void> {
  return page.evaluate(() => window.__rwcSender?.stop());
}

export function recorded(page: Page): Promise<Recorded> {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__rwcRecorded)) as Recorded);
}

/** The message entries of the page's chat log: text, sender name, own, status. */
export function messageEntries(page: Page): Promise<{ text: string; name: string; own: boolean; status: string }[]> {
  return page.evaluate(() =>
    (window.__rwcE2E?.chat().entries ?? [])
      .filter((e) => e.kind === 'message')
      .map((e) =>
        e.kind === 'message'
          ? { text: e.text, name: e.name, own: e.own, status: e.status }
          : { text: '', name: '', own: false, status: '' },
      ),
  );
}
