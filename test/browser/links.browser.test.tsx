// Links in message texts, in real Chromium with the stylesheet (#14 build list): with
// `renderText={linkify}`, an http(s) URL is an <a> with a safe href, rel and target, breakable after
// its slashes; a javascript: "link" and markup stay text; without linkify nothing is a link. Safety is
// shown by the attributes and the text: nothing is clicked.
import '../../src/styles.css';
import { describe, expect, it } from 'vitest';
import { linkify, type ChatBoxProps } from '../../src/components/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';
import { showMessages } from '../helpers/showMessages.js';

const roots = pageRootsPerTest();

const TEXTS = [
  'Docs: https://github.com/inokawa/virtua/blob/main/README.md.',
  'javascript:alert(document.domain) and <a href="javascript:alert(1)">click</a>',
  '(mirror: http://example.org/a_(b))',
];

/** TEXTS as bob's messages in a ChatBox with `props`: their bubbles. */
async function showTexts(props: ChatBoxProps): Promise<HTMLElement[]> {
  return (await showMessages(roots, TEXTS, props)).bubbles;
}

describe('links in messages', () => {
  it('with renderText={linkify}: http(s) URLs are links with safe attributes, everything else text', async () => {
    const [docs, hostile, mirror] = await showTexts({ renderText: linkify });
    // Every text reads as written.
    expect([docs, hostile, mirror].map((text) => text!.textContent)).toEqual(TEXTS);

    const link = docs!.querySelector('a')!;
    expect(link.textContent).toBe('https://github.com/inokawa/virtua/blob/main/README.md');
    expect(link.href).toBe('https://github.com/inokawa/virtua/blob/main/README.md');
    expect(link.rel).toBe('noopener noreferrer');
    expect(link.target).toBe('_blank');
    // The sentence's "." is outside the link; the link still breaks after its slashes.
    expect(docs!.lastChild?.textContent).toBe('.');
    expect(link.querySelectorAll('wbr')).toHaveLength(6);
    expect(docs!.scrollWidth).toBeLessThanOrEqual(docs!.clientWidth);
    // A link is reachable by keyboard and named by its text.
    link.focus();
    expect(document.activeElement).toBe(link);

    // A javascript: URL and markup are text: no element at all but the break opportunities.
    expect([...hostile!.querySelectorAll('*')].map((node) => node.tagName)).toEqual(['WBR']);

    // The ")" the URL opened is its own; the one of the sentence is not.
    expect([...mirror!.querySelectorAll('a')].map((a) => [a.textContent, a.href])).toEqual([
      ['http://example.org/a_(b)', 'http://example.org/a_(b)'],
    ]);
  });

  it('without linkify: no links (the base kit shows text only)', async () => {
    const texts = await showTexts({});
    expect(texts.map((text) => text.textContent)).toEqual(TEXTS);
    for (const text of texts) expect(text.querySelector('a')).toBeNull();
  });
});
