// The layout at three widths (320, 768, 1280 px) in light, dark and right-to-left (#14), in Debian's
// Chromium on the fixture app with avatars, against the reference server: at each, nothing runs
// past the screen sideways, the log and the message field are on screen, and the user list is
// behind its toggle at 320 px only. With UPDATE_SCREENSHOTS=1 it also writes the ones the README
// shows as test/e2e/screenshots/WIDTH-VARIANT.png.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createChatServer, type ChatServer } from '../../src/server/index.ts';
import { launchChromium, messageField, RawClient, WAIT_MS } from './helpers.ts';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const WRITE = process.env.UPDATE_SCREENSHOTS === '1';
/** The pictures in the README (a few: they are committed). */
const SHOWN = new Set(['1280-light', '768-dark', '320-rtl']);

let browser: Browser;
let server: ChatServer;
const clients: RawClient[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await createChatServer({ host: '127.0.0.1', port: 0 });
  // Two people, who talk once the page has joined.
  const [bob, eve] = await Promise.all([RawClient.connect(server.url), RawClient.connect(server.url)]);
  clients.push(bob!, eve!);
  await bob!.register('Bob Marsh');
  await eve!.register('إيمان');
  if (WRITE) await mkdir(OUT, { recursive: true });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await server?.close();
});

const WIDTHS = [
  [320, 640],
  [768, 720],
  [1280, 720],
] as const;
const VARIANTS = [
  { variant: 'light', theme: 'light', dir: 'ltr' },
  { variant: 'dark', theme: 'dark', dir: 'ltr' },
  { variant: 'rtl', theme: 'light', dir: 'rtl' },
] as const;

describe.each(WIDTHS)('the chat at %i px', (width, height) => {
  it.each(VARIANTS)('$variant: on screen, nothing sideways, the list a toggle only when narrow', async ({ variant, theme, dir }) => {
    const context = await browser.newContext({ viewport: { width, height }, reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      const url = new URL(inject('e2eAppUrl'));
      url.search = new URLSearchParams({ server: server.url, name: `ada-${width}-${variant}`, theme, dir, avatars: '' }).toString();
      await page.goto(url.href);
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: WAIT_MS });
      const [bob, eve] = clients;
      const key = `${width}-${variant}`;
      await bob!.say('Morning! Did the deploy go out?', `${key}-1`);
      await bob!.say('The staging one, I mean.', `${key}-2`);
      await eve!.say('نعم، في التاسعة. كل شيء أخضر', `${key}-3`);
      const log = page.getByRole('log', { name: 'Messages' });
      await log.getByText('كل شيء أخضر').waitFor({ timeout: WAIT_MS });
      await page.locator('.rwc-avatar').first().waitFor({ timeout: WAIT_MS });
      await messageField(page).fill('Hello everyone');

      const layout = await page.evaluate(() => {
        const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect().toJSON() as DOMRect;
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          innerHeight: window.innerHeight,
          log: box('[role="log"]'),
          field: box('.rwc-message-input__field'),
          send: box('.rwc-message-input__send'),
          name: box('.rwc-username-input__field'),
          direction: getComputedStyle(document.querySelector('.rwc-chat')!).direction,
        };
      });
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.direction).toBe(dir);
      for (const part of [layout.log, layout.field, layout.send, layout.name]) {
        expect(part.left).toBeGreaterThanOrEqual(0);
        expect(part.right).toBeLessThanOrEqual(layout.innerWidth);
        expect(part.top).toBeGreaterThanOrEqual(0);
        expect(part.bottom).toBeLessThanOrEqual(layout.innerHeight);
      }
      expect(layout.log.height).toBeGreaterThanOrEqual(120);
      const toggle = page.getByRole('button', { name: 'Users' });
      const users = page.getByRole('list', { name: 'Users' });
      if (width < 640) {
        await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
        expect(await users.isVisible()).toBe(false);
        await toggle.click();
        await expect.poll(() => users.isVisible()).toBe(true);
        expect(await messageField(page).isVisible()).toBe(true);
        await toggle.click();
      } else {
        expect(await toggle.isVisible()).toBe(false);
        expect(await users.isVisible()).toBe(true);
      }
      if (WRITE && SHOWN.has(key)) await page.locator('.rwc-chat').screenshot({ path: path.join(OUT, `${key}.png`) });
    } finally {
      await context.close();
    }
  });
});
