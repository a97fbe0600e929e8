/**
 * The page under test of the e2e project: the kit's full chat, as an app would assemble it, served by
 * Vite (test/e2e/setup/app.global.ts). Its URL says what to do:
 *
 *   ?server=ws://127.0.0.1:PORT   the chat server (required)
 *   &name=ada                     the name to ask for (default "guest")
 *   &height=400px                 block size of the log (default 400px; the log is virtualized, so a
 *                                 test that reads every row asks for a tall one, which the chat then
 *                                 keeps even past the screen: `max-block-size: none` on .rwc-chat)
 *   &maxDelay=2000                the reconnect backoff's ceiling in ms (default: the kit's)
 *   &initialDelay=20000           the ceiling of its first delay in ms (default: the kit's)
 *   &heartbeat=500                the heartbeat's interval and timeout in ms (default: off)
 *   &liveness=1                   `liveness()` instead of `heartbeat()` (with &heartbeat's interval
 *                                 and timeout, else the defaults): checks at once on visibility,
 *                                 online and a wake
 *   &auth=1                       credentials: the URL carries `?token=tN`, and `liveness({ refresh })`
 *                                 takes the next token (t1, t2...) after a 4401; window.__rwcAuth counts
 *   &auth=hold                    the same, but each refresh waits until the test calls window.__rwcAuthRelease()
 *   &auth=fail                    the same, but refresh rejects (the token service is down)
 *   &typing=1                     the typing indicator: typingIndicator() and <TypingIndicator> under the log
 *   &persist=1                    the durable outbox, `persistentOutbox()` (default: none)
 *   &failAfter=3000               its `failAfter` in ms (default: the kit's)
 *   &theme=dark&dir=rtl           `data-theme` and `dir` of the .rwc-chat wrapper (default: none)
 *   &avatars                      `<ChatProvider avatars={avatars()}>` (default: no avatars)
 *   &share=NAME                   one connection for the pages of this browser context (`sharedChat({ name })`)
 *   &history=1                    the history (`chatHistory()`) and ChatBox's navigation parts
 *                                 (older pages, the unread divider, keys, day separators)
 *   &edits=1                      edits and deletes of own messages: `messageEdits()`,
 *                                 `renderText={messageActions()}`, ArrowUp (`useEditLastMessage()`)
 *
 * A "Your name" field (`<UsernameInput>`) renames, as in the Live chat story. `window.__rwcE2E` (hook.ts) reads the
 * chat state and the connection snapshot for the few checks the DOM cannot answer.
 */
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';

import {
  ChatBox,
  ChatProvider,
  ConnectionStatus,
  MessageInput,
  TypingIndicator,
  UserList,
  UsernameInput,
  avatars,
  heartbeat,
  liveness,
  typingIndicator,
  persistentOutbox,
  chatHistory,
  sharedChat,
  daySeparators,
  navigationKeys,
  olderHistory,
  unreadDivider,
  useChatContext,
  messageActions,
  messageEdits,
  useEditLastMessage,
  type ReconnectOptions,
} from '../../../src/index.ts';
import '../../../src/styles.css';
import './hook.ts';

const params = new URLSearchParams(location.search);
const server = params.get('server');
const initialName = params.get('name') ?? 'guest';
const height = params.get('height') ?? '400px';
const maxDelay = params.get('maxDelay');
const initialDelay = params.get('initialDelay');
/** A number from the URL, or undefined (the backoff takes an undefined option as its default). */
const msParam = (value: string | null) => (value ? Number(value) : undefined);
const reconnect: ReconnectOptions | undefined =
  maxDelay || initialDelay ? { maxDelay: msParam(maxDelay), initialDelay: msParam(initialDelay) } : undefined;
const heartbeatMs = params.get('heartbeat');
const beatTimes = heartbeatMs ? { interval: Number(heartbeatMs), timeout: Number(heartbeatMs) } : {};
/** The credentials of `&auth=1`: a token the test's gateway checks, renewed by `refresh`. */
const auth = params.has('auth') ? { token: 't1', refreshes: 0 } : undefined;
const authMode = params.get('auth');
window.__rwcAuth = auth;
const refresh = async () => {
  if (!auth) return;
  auth.refreshes++;
  if (authMode === 'hold') await new Promise<void>((resolve) => (window.__rwcAuthRelease = resolve));
  if (authMode === 'fail') throw new Error('the token service is down');
  auth.token = `t${auth.refreshes + 1}`;
};
const beat = params.has('liveness') ? liveness({ ...beatTimes, refresh }) : heartbeatMs ? heartbeat(beatTimes) : undefined;
const chatUrl = auth ? () => `${server}/?token=${auth.token}` : server;
const typing = params.has('typing') ? typingIndicator() : undefined;

const failAfter = params.get('failAfter');
const persist = params.has('persist') ? persistentOutbox({ failAfter: msParam(failAfter) }) : undefined;

const withAvatars = params.has('avatars') ? avatars() : undefined;

const shareName = params.get('share');
const share = shareName ? sharedChat({ name: shareName }) : undefined;

const withHistory = params.get('history') === '1';
const history = withHistory ? chatHistory() : undefined;
const parts = withHistory ? [olderHistory(), unreadDivider(), navigationKeys()] : undefined;
const days = withHistory ? daySeparators() : undefined;

const edits = params.get('edits') === '1' ? messageEdits() : undefined;
const renderText = edits ? messageActions() : undefined;

/** The message field; with edits, ArrowUp in it empty edits the last own message. */
function Input() {
  const editLast = useEditLastMessage();
  return <MessageInput onKeyDown={edits ? editLast : undefined} />;
}

/** The stylesheet keeps the chat within the screen; a test's explicit log height wins over that. */
const UNCAPPED = { maxBlockSize: 'none' } as const;

/** Publishes the test hook. */
function Hook() {
  const { store, client } = useChatContext('Hook');
  useEffect(() => {
    window.__rwcE2E = { chat: store.getState, connection: () => client?.getSnapshot() ?? null, client: () => client, store: () => store };
    return () => {
      delete window.__rwcE2E;
    };
  }, [store, client]);
  return null;
}

function App() {
  if (!server) return <p role="alert">Missing ?server=ws://HOST:PORT</p>;
  return (
    <ChatProvider
      url={chatUrl}
      username={initialName}
      reconnect={reconnect}
      heartbeat={beat}
      typing={typing}
      persist={persist}
      avatars={withAvatars}
      history={history}
      edits={edits}
      share={share}
    >
      <Hook />
      <div
        className="rwc-chat"
        style={params.has('height') ? UNCAPPED : undefined}
        data-theme={params.get('theme') ?? undefined}
        dir={params.get('dir') ?? undefined}
      >
        <UsernameInput />
        <ConnectionStatus />
        <ChatBox style={{ blockSize: height }} parts={parts} daySeparators={days} renderText={renderText} />
        {typing && <TypingIndicator />}
        <UserList />
        <Input />
      </div>
    </ChatProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
