import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { ChatBox, linkify } from '../../src/components/index.js';
import type { MockChatConnection, MockChatServer } from '../../src/testing/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { getLog } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/Links',
  component: ChatBox,
  args: { style: { blockSize: 360 }, renderText: linkify },
  parameters: {
    docs: {
      description: {
        component:
          'Opt-in links: `<ChatBox renderText={linkify} />` makes the `http:`/`https:` URLs of messages links that open in a new tab ' +
          '(`rel="noopener noreferrer"`). Other schemes, addresses without a scheme and markup stay text; a sentence’s “.” or “)” stays ' +
          'outside the link.',
      },
    },
  },
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <ChatBox {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ChatBox>;

export default meta;
type Story = StoryObj<typeof meta>;

const TEXTS = [
  'The docs: https://github.com/inokawa/virtua/blob/main/README.md.',
  'javascript:alert(1) and <a href="javascript:alert(1)">this</a> stay text',
  'Mine (https://example.org/wiki/C_(language)) and bob@example.com',
];

function scenario(server: MockChatServer, connection: MockChatConnection) {
  const start = Date.now() - 60_000;
  server.send({ type: 'id', id: 1 }, connection);
  server.send({ type: 'userlist', users: ['ada', 'bob'] }, connection);
  for (const [i, text] of TEXTS.entries()) {
    server.send({ type: 'message', id: i === 2 ? 1 : 2, name: i === 2 ? 'ada' : 'bob', text, date: start + i * 1000 });
  }
}

export const Links: Story = {
  ...withMockChatServer({ autoRespond: false, scenario }),
  play: async ({ canvas }) => {
    const log: HTMLElement = getLog(canvas);
    await waitFor(() => expect(log.querySelectorAll('.rwc-chatbox__text').length).toBe(TEXTS.length));
    const texts = [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__text')];
    await expect(texts.map((text) => text.textContent)).toEqual(TEXTS);
    const links = [...log.querySelectorAll('a')];
    await expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.rel, a.target])).toEqual([
      [
        'https://github.com/inokawa/virtua/blob/main/README.md',
        'https://github.com/inokawa/virtua/blob/main/README.md',
        'noopener noreferrer',
        '_blank',
      ],
      ['https://example.org/wiki/C_(language)', 'https://example.org/wiki/C_(language)', 'noopener noreferrer', '_blank'],
    ]);
    // The hostile text made no element but break opportunities.
    await expect([...texts[1]!.querySelectorAll('*')].every((node) => node.tagName === 'WBR')).toBe(true);
  },
};
