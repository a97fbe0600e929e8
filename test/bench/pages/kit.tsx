// (d) The kit: <ChatProvider> with <ConnectionStatus>, <ChatBox>, <UserList>, <MessageInput> and
// the optional stylesheet, as its README shows. `maxEntries` is raised to the scenario's size (the
// default keeps the newest 5000), so that "lost" means lost, not trimmed. In the catch-up scenarios
// (resume, join) it has `history={chatHistory()}`, and a join page mounts when the runner starts it.
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';

import {
  ChatBox,
  ChatProvider,
  chatHistory,
  ConnectionStatus,
  MessageInput,
  UserList,
  useChatContext,
  type ChatStore,
} from '../../../src/index.ts';
import '../../../src/styles.css';
import { CATCH_UP_SCENARIOS, config, notePhase, onStart, registerVariant, seqOf } from './harness.ts';
import { counted, Measured } from './measured.tsx';

const NAME = 'reader';
// The components themselves in the timed build; wrappers that count their renders in the profiling one.
const ChatBoxC = counted('ChatBox', ChatBox);
const UserListC = counted('UserList', UserList);
const MessageInputC = counted('MessageInput', MessageInput);
let store: ChatStore | null = null;
const history = CATCH_UP_SCENARIOS.includes(config.scenario) ? chatHistory() : undefined;

/** Hands the store to the harness once (no subscription, so it renders once). */
function StoreProbe() {
  const context = useChatContext();
  useEffect(() => {
    store = context.store;
    // The catch-up scenarios: when the store published the last message (a phase of the time).
    if (!history) return;
    return context.store.subscribe(() => {
      const entries = context.store.getState().entries;
      for (let i = entries.length - 1; i >= Math.max(0, entries.length - 5); i--) {
        const entry = entries[i]!;
        if (entry.kind === 'message' && seqOf(entry.text) === config.n - 1) notePhase('store published the last');
      }
    });
  }, [context.store]);
  return null;
}

const root = createRoot(document.getElementById('root')!);
onStart(() =>
  root.render(
    <ChatProvider url={config.server} username={NAME} maxEntries={Math.max(config.n, 5000)} history={history}>
      <div className="rwc-chat">
        <ConnectionStatus />
        <Measured id="ChatBox">
          <ChatBoxC style={{ blockSize: 400 }} />
        </Measured>
        <Measured id="UserList">
          <UserListC />
        </Measured>
        <Measured id="MessageInput">
          <MessageInputC autoFocus />
        </Measured>
        <StoreProbe />
      </div>
    </ChatProvider>,
  ),
);

const texts = document.getElementsByClassName('rwc-chatbox__text');

registerVariant({
  // Signed in, and (with history) the join's catch-up shown.
  ready: () => {
    const state = store?.getState();
    return (state?.users.includes(NAME) ?? false) && (!history || (state?.history?.caughtUp ?? 0) > 0);
  },
  newestRendered() {
    let newest = -1;
    for (let i = 0; i < texts.length; i++) newest = Math.max(newest, seqOf(texts[i]!.textContent));
    return newest;
  },
  renderedCount: () => store?.getState().entries.filter((entry) => entry.kind === 'message').length ?? 0,
});
