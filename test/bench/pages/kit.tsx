// (d) The kit: <ChatProvider> with <ConnectionStatus>, <ChatBox>, <UserList>, <MessageInput> and
// the optional stylesheet, as its README shows. `maxEntries` is raised to the scenario's size (the
// default keeps the newest 5000), so that "lost" means lost, not trimmed.
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';

import { ChatBox, ChatProvider, ConnectionStatus, MessageInput, UserList, useChatContext, type ChatStore } from '../../../src/index.ts';
import '../../../src/styles.css';
import { config, registerVariant, seqOf } from './harness.ts';
import { counted, Measured } from './measured.tsx';

const NAME = 'reader';
// The components themselves in the timed build; wrappers that count their renders in the profiling one.
const ChatBoxC = counted('ChatBox', ChatBox);
const UserListC = counted('UserList', UserList);
const MessageInputC = counted('MessageInput', MessageInput);
let store: ChatStore | null = null;

/** Hands the store to the harness once (no subscription, so it renders once). */
function StoreProbe() {
  const context = useChatContext();
  useEffect(() => {
    store = context.store;
  }, [context.store]);
  return null;
}

createRoot(document.getElementById('root')!).render(
  <ChatProvider url={config.server} username={NAME} maxEntries={Math.max(config.n, 5000)}>
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
);

const texts = document.getElementsByClassName('rwc-chatbox__text');

registerVariant({
  ready: () => store?.getState().users.includes(NAME) ?? false,
  newestRendered() {
    let newest = -1;
    for (let i = 0; i < texts.length; i++) newest = Math.max(newest, seqOf(texts[i]!.textContent));
    return newest;
  },
  renderedCount: () => store?.getState().entries.filter((entry) => entry.kind === 'message').length ?? 0,
});
