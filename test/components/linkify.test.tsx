// linkify, the opt-in renderText that makes http(s) URLs links: a table of tricky texts, each with
// the links it must make (text as written, href) and nothing else; the whole text always reads
// unchanged, and nothing a user wrote ever becomes markup.
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { breakUrls, linkify } from '../../src/components/index.js';

/** [text, the links as [their text, their href]] */
const CASES: readonly [string, readonly (readonly [string, string])[]][] = [
  ['no link here', []],
  ['see https://example.com', [['https://example.com', 'https://example.com/']]],
  ['HTTP://EXAMPLE.COM/A is shouted', [['HTTP://EXAMPLE.COM/A', 'http://example.com/A']]],
  ['at https://example.com/a/b?c=1&d=2#e.', [['https://example.com/a/b?c=1&d=2#e', 'https://example.com/a/b?c=1&d=2#e']]],
  ['(see https://example.com/x)', [['https://example.com/x', 'https://example.com/x']]],
  [
    'https://en.wikipedia.org/wiki/C_(language), really',
    [['https://en.wikipedia.org/wiki/C_(language)', 'https://en.wikipedia.org/wiki/C_(language)']],
  ],
  ['[https://example.com/a]', [['https://example.com/a', 'https://example.com/a']]],
  ['is it https://example.com?!', [['https://example.com', 'https://example.com/']]],
  ['"https://example.com/q"', [['https://example.com/q', 'https://example.com/q']]],
  [
    'one https://a.example, two http://b.example:8080/p.',
    [
      ['https://a.example', 'https://a.example/'],
      ['http://b.example:8080/p', 'http://b.example:8080/p'],
    ],
  ],
  // IDN: shown as written, the href normalized (Punycode host).
  ['https://bücher.example/straße', [['https://bücher.example/straße', 'https://xn--bcher-kva.example/stra%C3%9Fe']]],
  // Other schemes and no scheme: text.
  ['javascript:alert(1)', []],
  ['JaVaScRiPt:alert(document.cookie)//https:', []],
  ['data:text/html,<script>alert(1)</script>', []],
  ['mailto:bob@example.com or bob@example.com', []],
  ['www.example.com and example.com/path', []],
  ['ftp://example.com/file', []],
  ['https://', []],
  // No host where the text shows one (the parser would make "nohost" the host).
  ['http:///nohost', []],
  // Credentials: the visible "host" is not where it goes.
  ['https://bank.example@evil.example/login', []],
  // Markup stays text; the URL stops before it.
  ['<a href="javascript:alert(1)">x</a>', []],
  ['https://example.com/"><img src=x onerror=alert(1)>', [['https://example.com/', 'https://example.com/']]],
  ['https://example.com/<script>alert(1)</script>', [['https://example.com/', 'https://example.com/']]],
  // A scheme glued to a word is no link start.
  ['xhttps://example.com', []],
  ['javascript:https://example.com', [['https://example.com', 'https://example.com/']]],
];

function renderText(text: string) {
  return render(<div data-testid="text">{linkify(text)}</div>).getByTestId('text');
}

describe('linkify', () => {
  it.each(CASES)('%s', (text, links) => {
    const element = renderText(text);
    // The text reads unchanged: no character added, none lost, nothing turned into markup.
    expect(element.textContent).toBe(text);
    const anchors = [...element.querySelectorAll('a')];
    expect(anchors.map((a) => [a.textContent, a.getAttribute('href')])).toEqual(links);
    for (const a of anchors) {
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(a.getAttribute('target')).toBe('_blank');
      expect(new URL(a.href).protocol).toMatch(/^https?:$/);
    }
    // Only links and break opportunities are made: no other element, whatever the text holds.
    expect([...element.querySelectorAll('*')].filter((node) => !['A', 'WBR'].includes(node.tagName))).toEqual([]);
  });

  it('keeps the break opportunities after the slashes, inside the link too', () => {
    const element = renderText('go to https://example.com/a/b and/or');
    const link = element.querySelector('a')!;
    // "https://", "example.com/", "a/", "b": three breaks in the link; " and/", "or" one more after.
    expect(link.querySelectorAll('wbr')).toHaveLength(3);
    expect(element.querySelectorAll('wbr')).toHaveLength(4);
  });

  it('leaves a text without links as the default renderText does', () => {
    for (const text of ['plain', 'a/b/c', 'javascript:alert(1)']) {
      const a = render(<div>{linkify(text)}</div>).container.innerHTML;
      const b = render(<div>{breakUrls(text)}</div>).container.innerHTML;
      expect(a).toBe(b);
    }
  });
});
