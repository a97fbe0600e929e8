import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import type { ChatStrings } from '../../src/chat/index.js';
import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList } from '../../src/components/index.js';
import type { MockChatConnection, MockChatServer } from '../../src/testing/index.js';
import { ChatLayout, MockChatProvider } from '../support/ChatLayout.js';
import { rowWithText } from '../support/play.js';
import { chatServerOf, withMockChatServer } from '../support/withMockChatServer.js';
import { boxOf } from '../support/textBoxes.js';

/** The interface in Hebrew, for the right-to-left page. */
const hebrew: Partial<ChatStrings> = {
  messagesLabel: 'הודעות',
  usersLabel: 'משתתפים',
  messageLabel: 'הודעה',
  send: 'שליחה',
  messagePlaceholder: 'כתיבת הודעה',
  you: '(את/ה)',
  userCount: (count) => (count === 1 ? 'משתתף אחד' : `${count} משתתפים`),
  signedIn: (name, time) => `${name} נכנס/ה בשעה ${time}`,
  renamed: (name) => `שמך שונה ל־${name} כי השם שבחרת תפוס.`,
  charactersLeft: (left) => `נותרו ${left} תווים`,
  noMessages: 'אין עדיין הודעות',
  connecting: 'מתחבר…',
  connected: 'מחובר',
};

const meta = {
  title: 'Chat/Mixed directions',
  component: ChatLayout,
  subcomponents: { ChatProvider, ChatBox, UserList, MessageInput, ConnectionStatus },
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'Hebrew, Arabic and English messages and names in one chat. Every text and name a user wrote has `dir="auto"`: ' +
          'it takes the direction of its own first strong letter and is isolated from the page’s, so an English “?” stays at the ' +
          'end of its sentence in a right-to-left page. Names inside notices (“User NAME signed in”) are in a `<bdi>`.',
      },
    },
  },
} satisfies Meta<typeof ChatLayout>;

export default meta;
type Story = StoryObj<typeof meta>;

const MINUTE = 60_000;

/** Names that end in neutral characters (brackets), which take the direction around them unless isolated. */
const BEN = 'ben (he/him)';
const NOA = 'נועה (היא)';
const LAYLA = 'ليلى';

/** What each page shows: the text, its first word, its last character, its direction. */
const MESSAGES = [
  { id: 2, name: BEN, text: 'Hi all! Is the demo at 5pm?', first: 'Hi', direction: 'ltr' },
  { id: 3, name: NOA, text: 'כן, ב־17:00. מי מגיע?', first: 'כן', direction: 'rtl' },
  { id: 4, name: LAYLA, text: 'أنا قادمة، إن شاء الله!', first: 'أنا', direction: 'rtl' },
  { id: 1, name: 'ada', text: 'I will bring the slides (v2).', first: 'I', direction: 'ltr' },
] as const;

function scenario(server: MockChatServer, connection: MockChatConnection) {
  server.send({ type: 'id', id: 1 }, connection);
  const start = Date.now() - 10 * MINUTE;
  // Sign-ins are of names not in the user list yet (a name already listed was there before).
  server.send({ type: 'username', id: 2, name: BEN, date: start });
  server.send({ type: 'username', id: 3, name: NOA, date: start + 1000 });
  server.send({ type: 'userlist', users: ['ada', BEN, NOA, LAYLA] }, connection);
  for (const [index, { id, name, text }] of MESSAGES.entries()) {
    server.send({ type: 'message', id, name, text, date: start + (index + 2) * MINUTE });
  }
}

/** Whether `element`'s last character shows at the end of `first` in `direction`: right of it in LTR, left in RTL. */
function endsAtItsEnd(element: Element, first: string, direction: 'ltr' | 'rtl'): boolean {
  const word = boxOf(element, first);
  const last = boxOf(element, element.textContent!.at(-1)!);
  return direction === 'ltr' ? last.left >= word.right - 0.5 : last.right <= word.left + 0.5;
}

/** The checks both pages share: each text, sender and listed name in its own direction, the notices' names isolated. */
async function expectOwnDirections(canvasElement: HTMLElement, labels: { messages: string; users: string }) {
  const canvas = within(canvasElement);
  const log = canvas.getByRole('log', { name: labels.messages });
  await waitFor(() => expect(rowWithText(log, MESSAGES.at(-1)!.text)).toBeDefined());
  for (const { name, text, first, direction } of MESSAGES) {
    const row = rowWithText(log, text)!;
    const bubble = row.querySelector<HTMLElement>('.rwc-chatbox__text')!;
    await expect(bubble).toHaveAttribute('dir', 'auto');
    await expect(getComputedStyle(bubble).direction).toBe(direction);
    // "?" (or "!", ".") at the end of the sentence, on its own side, whatever the page's direction.
    await expect(endsAtItsEnd(bubble, first, direction)).toBe(true);
    const sender = row.querySelector<HTMLElement>('.rwc-chatbox__sender')!;
    await expect(sender).toHaveTextContent(name);
    await expect(sender.matches(':dir(rtl)')).toBe(/[\u0590-\u06ff]/.test(name));
  }
  // Sign-in notices: the page's sentence, the name inside it in a <bdi> with its brackets intact.
  const notices = [...log.querySelectorAll<HTMLElement>('.rwc-chatbox__notice')];
  await expect(notices.map((notice) => notice.querySelector('bdi')?.textContent)).toEqual([BEN, NOA]);
  await expect(endsAtItsEnd(notices[0]!.querySelector('bdi')!, 'ben', 'ltr')).toBe(true);
  await expect(endsAtItsEnd(notices[1]!.querySelector('bdi')!, 'נועה', 'rtl')).toBe(true);
  // The user list: each name in its own direction.
  const users = canvas.getByRole('list', { name: labels.users });
  const names = [...users.querySelectorAll<HTMLElement>('.rwc-user-list__name')];
  await expect(names.map((name) => getComputedStyle(name).direction)).toEqual(['ltr', 'ltr', 'rtl', 'rtl']);
  // Bubbles stay on the page's sides whatever their text's direction: others' at the inline start,
  // the own one (English here) at the inline end.
  const rtl = getComputedStyle(log).direction === 'rtl';
  for (const { id, text } of MESSAGES) {
    const gaps = gapsAround(rowWithText(log, text)!, rtl);
    if (id === 1) await expect(gaps.end).toBeLessThan(gaps.start);
    else await expect(gaps.start).toBeLessThan(gaps.end);
  }
}

/** The space between a row's bubble and the row's inline start and end edges. */
function gapsAround(row: HTMLElement, rtl: boolean): { start: number; end: number } {
  const outer = row.getBoundingClientRect();
  const bubble = row.querySelector<HTMLElement>('.rwc-chatbox__text')!.getBoundingClientRect();
  const left = bubble.left - outer.left;
  const right = outer.right - bubble.right;
  return rtl ? { start: right, end: left } : { start: left, end: right };
}

export const InRightToLeftPage: Story = {
  name: 'In a right-to-left page',
  parameters: {
    chatWrapper: { dir: 'rtl' },
    docs: {
      description: {
        story:
          'A Hebrew interface (`strings`) in `dir="rtl"`. The English message keeps its “?” at its end (on the right), ' +
          '“ben (he/him)” keeps its brackets, in the log, the notice and the user list; the own English message stays on the left (the inline end).',
      },
    },
  },
  ...withMockChatServer({ autoRespond: false, scenario }),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)} strings={hebrew} locale="he">
      <ChatLayout {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas, canvasElement, userEvent }) => {
    await expectOwnDirections(canvasElement, { messages: 'הודעות', users: 'משתתפים' });
    const field = canvas.getByRole('textbox', { name: 'הודעה' });
    await userEvent.type(field, 'OK, thanks?');
    await expect(getComputedStyle(field).direction).toBe('ltr');
  },
};

export const InLeftToRightPage: Story = {
  name: 'In a left-to-right page',
  parameters: {
    chatWrapper: { dir: 'ltr' },
    docs: {
      description: {
        story:
          'The same chat in English, `dir="ltr"`. The Hebrew and Arabic messages keep their final “?” and “!” at their end (on the left), ' +
          'and “נועה (היא)” keeps its brackets.',
      },
    },
  },
  ...withMockChatServer({ autoRespond: false, scenario }),
  render: (args, { loaded }) => (
    <MockChatProvider chat={chatServerOf(loaded)}>
      <ChatLayout {...args} />
    </MockChatProvider>
  ),
  play: async ({ canvas, canvasElement, userEvent }) => {
    await expectOwnDirections(canvasElement, { messages: 'Messages', users: 'Users' });
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(field, 'תודה!');
    await expect(getComputedStyle(field).direction).toBe('rtl');
  },
};
