import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { type ChatStrings, LEAVE_DELAY_MS } from '../../src/chat/index.js';
import { ChatBox } from '../../src/components/index.js';
import type { MockChatConnection, MockChatServer } from '../../src/testing/index.js';
import { MockChatProvider } from '../support/ChatLayout.js';
import { getLog } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';

const meta = {
  title: 'Chat/Notices',
  component: ChatBox,
  args: { style: { blockSize: 360 } },
  parameters: {
    docs: {
      description: {
        component:
          'What the log says about people: “User NAME signed in”, “OLD is now NEW” when someone changes name, and “NAME left” when a ' +
          'name leaves the user list and does not come back within `LEAVE_DELAY_MS` (5 s): a reconnect shows nothing. ' +
          'MDN’s protocol announces neither renames nor leaves; the chat store infers them from `username` and `userlist`.',
      },
    },
  },
  render: (args, { loaded, parameters }) => (
    <MockChatProvider chat={chatServerOf(loaded)} strings={parameters.strings as Partial<ChatStrings> | undefined}>
      <ChatBox {...args} />
    </MockChatProvider>
  ),
} satisfies Meta<typeof ChatBox>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * ada connects to a room where `others` are; `renamed` (there before ada) takes a new name, the
 * second of `others` reconnects and writes, and the third leaves.
 */
function room(others: readonly [renamed: string, reconnects: string, leaves: string], newName: string) {
  const [renamed, reconnects, leaves] = others;
  return (server: MockChatServer, connection: MockChatConnection) => {
    const start = Date.now() - 60_000;
    server.send({ type: 'id', id: 1 }, connection);
    server.send({ type: 'userlist', users: ['ada', ...others] });
    server.send({ type: 'username', id: 1, name: 'ada', date: start });
    // The reference server says which name the user had (protocol extension `previous`).
    server.send({ type: 'username', id: 4, name: newName, date: start + 1000, previous: renamed });
    server.send({ type: 'userlist', users: ['ada', newName, reconnects, leaves] });
    // A reconnect: gone from the list a moment, then back (rejoining, with a new id).
    server.send({ type: 'userlist', users: ['ada', newName, leaves] });
    server.send({ type: 'username', id: 5, name: reconnects, date: start + 2000, rejoin: true });
    server.send({ type: 'userlist', users: ['ada', newName, leaves, reconnects] });
    server.send({ type: 'message', id: 5, name: reconnects, text: 'Back again', date: start + 3000 });
    // A leave: logged once LEAVE_DELAY_MS passed without the name coming back.
    server.send({ type: 'userlist', users: ['ada', newName, reconnects] });
  };
}

/** The notices' sentences, and the names each isolates in a `<bdi>`. */
function noticesOf(log: HTMLElement) {
  return [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__notice')].map((notice) => ({
    text: notice.textContent,
    names: [...notice.querySelectorAll('bdi')].map((bdi) => bdi.textContent),
  }));
}

export const RenamesLeavesAndReconnects: Story = {
  name: 'Renames, leaves and reconnects',
  parameters: {
    docs: {
      description: {
        story:
          'guest-2596, there before ada, becomes Alice: one “is now”; bob reconnects: nothing; eve closes her page: “eve left”, ' +
          'five seconds after she left the user list.',
      },
    },
  },
  ...withMockChatServer({ autoRespond: false, scenario: room(['guest-2596', 'bob', 'eve'], 'Alice') }),
  play: async ({ canvas }) => {
    const log = getLog(canvas);
    await waitFor(() => expect(noticesOf(log).at(-1)?.text).toBe('eve left'), { timeout: LEAVE_DELAY_MS + 3000 });
    await expect(noticesOf(log)).toEqual([
      { text: expect.stringMatching(/^User ada signed in at \S/), names: ['ada'] },
      { text: 'guest-2596 is now Alice', names: ['guest-2596', 'Alice'] },
      { text: 'eve left', names: ['eve'] },
    ]);
    await expect([...log.querySelectorAll('.rwc-chatbox__row')].map((row) => row.getAttribute('data-kind'))).toEqual([
      'signin',
      'namechange',
      'message',
      'leave',
    ]);
  },
};

const NOA = 'נועה (היא)';
const BEN = 'ben (he/him)';

export const InRightToLeftPage: Story = {
  name: 'In a right-to-left page',
  parameters: {
    chatWrapper: { dir: 'rtl' },
    strings: {
      signedIn: (name, time) => `${name} נכנס/ה בשעה ${time}`,
      nameChanged: (previous, name) => `${previous} מעכשיו ${name}`,
      left: (name) => `${name} יצא/ה`,
    } satisfies Partial<ChatStrings>,
    docs: {
      description: {
        story:
          'The same in Hebrew, `dir="rtl"`, with names in both directions: each name is in its own `<bdi>`, so “ben (he/him)” ' +
          'keeps its brackets and the sentence its order.',
      },
    },
  },
  ...withMockChatServer({ autoRespond: false, scenario: room([BEN, 'bob', NOA], 'בן') }),
  play: async ({ canvas }) => {
    const log = getLog(canvas);
    await waitFor(() => expect(noticesOf(log).at(-1)?.text).toBe(`${NOA} יצא/ה`), { timeout: LEAVE_DELAY_MS + 3000 });
    await expect(noticesOf(log).slice(1)).toEqual([
      { text: `${BEN} מעכשיו בן`, names: [BEN, 'בן'] },
      { text: `${NOA} יצא/ה`, names: [NOA] },
    ]);
  },
};
