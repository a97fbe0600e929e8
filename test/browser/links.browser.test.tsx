// Links in message texts, in real Chromium with the stylesheet (#14 build list): with
// `renderText={linkify}`, an http(s) URL is an <a> with a safe href, rel and target, breakable after
// its slashes; a javascript: "link" and markup stay text; without linkify nothing is a link. Safety is
// shown by the attributes and the text: nothing is clicked.
import '../../src/styles.css';
import { describe, expect, it } from 'vitest';
import { immediateScheduler } from '../../src/chat/index.js';
import { ChatBox, ChatProvider, linkify, type ChatBoxProps } from '../../src/components/index.js';
import { createMockChatServer } from '../../src/testing/index.js';
import { pageRootsPerTest } from '../helpers/pageRoots.js';

const { afterThisTest, mountRoot } = pageRootsPerTest();

const TEXTS = [
  'Docs: https://github.com/inokawa/virtua/blob/main/README.md.',
  'javascript:alert(document.domain) and <a href="javascript:alert(1)">click</a>',
  '(mirror: http://example.org/a_(b))',
];

async function showTexts(props: ChatBoxProps): Promise<HTMLElement[]> {
  const chat = createMockChatServer({ autoRespond: false });
  afterThisTest(() => chat.stop());
  const { container, root } = mountRoot('width: 320px; font: 16px/20px "DejaVu Sans", sans-serif;');
  root.render(
    <ChatProvider url={chat.url} username="ada" WebSocket={chat.WebSocket} schedule={immediateScheduler}>
      <div className="rwc-chat">
        <ChatBox style={{ blockSize: 400 }} {...props} />
      </div>
    </ChatProvider>,
  );
  await expect.poll(() => chat.connections.length).toBe(1);
  chat.send({ type: 'id', id: 1 });
  for (const [i, text] of TEXTS.entries()) {
    chat.send({ type: 'message', id: 2, name: 'bob', text, date: Date.UTC(2026, 0, 15, 9, 30 + i) });
  }
  const log = container.querySelector<HTMLElement>('[role="log"]')!;
  await expect.poll(() => log.querySelectorAll('.rwc-chatbox__text').length).toBe(TEXTS.length);
  return [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__text')];
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
