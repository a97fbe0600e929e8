// Avatars (#14), opt-in with `<ChatProvider avatars={avatars()}>`, in Chromium with the stylesheet:
// initials on a colour of the name's with a 4.5:1 contrast in both themes, the same colour for the
// same name, an optional image that falls back to the initials, one per group of others' messages
// in the log and one per user in the list, presence, and nothing for screen readers.
import '../../src/styles.css';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { immediateScheduler } from '../../src/chat/index.js';
import { avatars, ChatBox, ChatProvider, UserList, type AvatarRenderer } from '../../src/components/index.js';
import { initials, nameHue } from '../../src/components/avatars.js';
import { createMockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { signIn } from '../helpers/signIn.js';

const { afterThisTest, mountRoot } = pageRootsPerTest();

/** An sRGB colour as drawn (any CSS colour, oklch and light-dark() resolved by the browser). */
function drawn(color: string): [number, number, number] {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!];
}

/** WCAG 2 contrast ratio of two drawn colours. */
function contrast(a: [number, number, number], b: [number, number, number]): number {
  const luminance = (rgb: [number, number, number]) => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** A chat with the log and the user list, signed in as ada (id 1), `users` listed. */
async function mount(render: AvatarRenderer | undefined, users: readonly (string | null)[] = ['ada', 'bob', 'eve']) {
  // Wide: the user list shows (under 40rem it is behind its toggle).
  await page.viewport(1280, 900);
  const chat = createMockChatServer({ autoRespond: false });
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot('width: 600px; font: 16px/20px "DejaVu Sans", sans-serif;');
  root.render(
    <StrictMode>
      <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler} avatars={render}>
        <div className="rwc-chat">
          <ChatBox style={{ blockSize: 400 }} />
          <UserList />
        </div>
      </ChatProvider>
    </StrictMode>,
  );
  await signIn(chat, users);
  await expect.poll(() => container.querySelectorAll('.rwc-user-list__item').length).toBe(users.length);
  return { chat, container };
}

const date = Date.UTC(2026, 0, 15, 9, 30);

describe('avatars()', () => {
  it('draws initials with a contrast of 4.5:1 or more on every hue, in the light and the dark theme', async () => {
    const { container } = mountRoot();
    for (const theme of ['light', 'dark']) {
      const chat = document.createElement('div');
      chat.className = 'rwc-chat';
      chat.dataset.theme = theme;
      for (let hue = 0; hue < 360; hue += 3) {
        const avatar = document.createElement('span');
        avatar.className = 'rwc-avatar';
        avatar.style.setProperty('--rwc-avatar-hue', String(hue));
        avatar.textContent = 'AB';
        chat.append(avatar);
      }
      container.append(chat);
      const ratios = [...chat.children].map((avatar) => {
        const style = getComputedStyle(avatar);
        return contrast(drawn(style.color), drawn(style.backgroundColor));
      });
      expect(ratios).toHaveLength(120);
      expect(Math.min(...ratios)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives a name always the same hue, and different names a spread of hues', () => {
    expect(nameHue('ada')).toBe(nameHue('ada'));
    const names = Array.from({ length: 60 }, (_, i) => `guest-${1000 + i}`);
    expect(new Set(names.map(nameHue)).size).toBeGreaterThan(40);
    for (const name of names) expect(nameHue(name)).toBeGreaterThanOrEqual(0);
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('guest-2596')).toBe('G');
    expect(initials('  ')).toBe('?');
    expect(initials('😀 smile')).toBe('😀S');
  });

  it('shows one avatar per group of others in the log and one per user in the list, hidden from screen readers', async () => {
    const { chat, container } = await mount(avatars());
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'one', date });
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'two', date: date + 1000 });
    chat.send({ type: 'message', id: 3, name: 'eve', text: 'three', date: date + 2000 });
    chat.send({ type: 'message', id: 1, name: 'ada', text: 'mine', date: date + 3000 });
    const log = container.querySelector('[role="log"]')!;
    await expect.poll(() => log.querySelectorAll('.rwc-chatbox__text').length).toBe(4);
    const rows = [...log.querySelectorAll('article')];
    // bob's group (two rows), eve's, ada's own: avatars on the groups' first rows of others only.
    expect(rows.map((row) => row.querySelector('.rwc-avatar')?.textContent ?? null)).toEqual(['B', null, 'E', null]);
    const bob = rows[0]!.querySelector<HTMLElement>('.rwc-avatar')!;
    expect(bob.getAttribute('aria-hidden')).toBe('true');
    // Decorative: the row's and the list item's names are what they were.
    await expect.element(page.getByRole('article', { name: /^bob, .*: one$/ })).toBeInTheDocument();
    const items = [...container.querySelectorAll('.rwc-user-list__item')];
    expect(items.map((item) => item.querySelector('.rwc-avatar')?.textContent)).toEqual(['A', 'B', 'E']);
    for (const item of items) expect(item.querySelector('.rwc-avatar')!.getAttribute('aria-hidden')).toBe('true');
    // The same name, the same colour, in the log and in the list.
    const listBob = items[1]!.querySelector<HTMLElement>('.rwc-avatar')!;
    expect(getComputedStyle(listBob).backgroundColor).toBe(getComputedStyle(bob).backgroundColor);
    expect(getComputedStyle(items[2]!.querySelector('.rwc-avatar')!).backgroundColor).not.toBe(getComputedStyle(bob).backgroundColor);
  });

  it('marks presence: listed users while connected; a sender who left, or everyone once offline, not', async () => {
    const { chat, container } = await mount(avatars(), ['ada', 'bob']);
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'here', date });
    chat.send({ type: 'message', id: 5, name: 'zed', text: 'gone', date: date + 1000 });
    const log = container.querySelector('[role="log"]')!;
    await expect.poll(() => log.querySelectorAll('.rwc-avatar').length).toBe(2);
    const present = () => [...container.querySelectorAll('.rwc-avatar')].map((a) => a.hasAttribute('data-present'));
    // Log: bob (listed), zed (not); list: ada, bob.
    expect(present()).toEqual([true, false, true, true]);
    const dot = getComputedStyle(container.querySelector('.rwc-avatar[data-present]')!, '::after');
    expect(dot.content).toBe('""');
    chat.close({ code: 1006 });
    await expect.poll(() => container.querySelector('.rwc-user-list')!.hasAttribute('data-offline')).toBe(true);
    expect(present()).toEqual([false, false, false, false]);
  });

  it('shows the image given, and the initials when it fails to load', async () => {
    const pixel = 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/%3E';
    const image = (name: string) => (name === 'bob' ? pixel : name === 'eve' ? '/no-such-avatar.png' : null);
    const { container } = await mount(avatars({ image }));
    const items = [...container.querySelectorAll('.rwc-user-list__item')];
    const [ada, bob, eve] = items.map((item) => item.querySelector<HTMLElement>('.rwc-avatar')!);
    expect(ada!.textContent).toBe('A');
    const img = bob!.querySelector('img')!;
    expect(img.getAttribute('alt')).toBe('');
    await expect.poll(() => img.complete && img.naturalWidth).toBeGreaterThan(0);
    expect(bob!.hasAttribute('data-image')).toBe(true);
    // The broken one is replaced by the initials once it errs.
    await expect.poll(() => eve!.querySelector('img')).toBeNull();
    expect(eve!.textContent).toBe('E');
    expect(eve!.hasAttribute('data-image')).toBe(false);
  });

  it('adds nothing without the avatars prop', async () => {
    const { chat, container } = await mount(undefined);
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'one', date });
    await expect.poll(() => container.querySelectorAll('.rwc-chatbox__text').length).toBe(1);
    expect(container.querySelector('.rwc-avatar')).toBeNull();
  });
});
