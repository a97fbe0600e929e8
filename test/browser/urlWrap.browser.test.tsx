// Long URLs in message bubbles, in real Chromium with the stylesheet (#14 item 7): a URL wider than
// its bubble breaks after its slashes, between its parts, never inside a part that fits a line; the
// text is unchanged (the break points are <wbr>, no character).
import '../../src/styles.css';
import { describe, expect, it } from 'vitest';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { showMessages } from '../helpers/showMessages.js';

const roots = pageRootsPerTest();

/** How many lines `part` of `bubble`'s text lies on (1: it is whole on one line), across its text nodes. */
function linesOf(bubble: HTMLElement, part: string): number {
  const walker = document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  const start = nodes
    .map((node) => node.data)
    .join('')
    .indexOf(part);
  expect(start).toBeGreaterThanOrEqual(0);
  /** The text node and offset of character `index` of the joined text (`end`: the end of one). */
  const locate = (index: number, end: boolean): [Text, number] => {
    let at = index;
    for (const node of nodes) {
      if (at < node.length || (end && at === node.length)) return [node, at];
      at -= node.length;
    }
    throw new Error(`No character ${index}`);
  };
  const range = document.createRange();
  range.setStart(...locate(start, false));
  range.setEnd(...locate(start + part.length, true));
  return new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))).size;
}

describe('a long URL in a bubble', () => {
  it('breaks after its slashes, keeping each part whole, and reads unchanged', async () => {
    const url = 'https://github.com/inokawa/virtua/blob/main/src/core/scroller.ts#L120';
    const { chat, log, bubbles } = await showMessages(roots, [`See ${url} and/or the docs`]);
    const bubble = bubbles[0]!;

    expect(bubble.textContent).toBe(`See ${url} and/or the docs`);
    // One <wbr> after each run of slashes: "https://", the seven parts of host and path, "and/".
    expect(bubble.querySelectorAll('wbr')).toHaveLength(9);
    expect(bubble.scrollWidth).toBeLessThanOrEqual(bubble.clientWidth);
    // Several lines, and no part of the URL cut in two.
    expect(linesOf(bubble, url)).toBeGreaterThan(1);
    // A text without a slash is the plain text, nothing added.
    chat.send({ type: 'message', id: 2, name: 'bob', text: 'No link here', date: Date.UTC(2026, 0, 15, 9, 31) });
    await expect.poll(() => log.querySelectorAll('.rwc-chatbox__text').length).toBe(2);
    const plain = log.querySelectorAll<HTMLElement>('.rwc-chatbox__text')[1]!;
    expect([...plain.childNodes].map((node) => node.nodeName)).toEqual(['#text']);
    for (const part of ['https://github.com/', 'inokawa/', 'virtua/', 'blob/', 'main/', 'src/', 'core/', 'scroller.ts#L120']) {
      expect(linesOf(bubble, part), part).toBe(1);
    }
  });
});
