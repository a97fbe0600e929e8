export type {
  ChatEntry,
  ChatError,
  ChatEditsState,
  ChatLeaveEntry,
  ChatGapEntry,
  ChatHistoryState,
  ChatMessageChange,
  ChatMessageEntry,
  ChatNameChangeEntry,
  ChatRenameEntry,
  ChatServerFeatures,
  ChatSignInEntry,
  ChatState,
} from './ChatState.js';
export { LEAVE_DELAY_MS } from './createPresence.js';
export { chatHistory, type ChatHistory, type ChatHistoryOptions, type UpdateStore } from './chatHistory.js';
export type { ChatOutbox, OutboxChange, OutboxEntry, OutboxHost, OutboxMessage } from './ChatOutbox.js';
export { indexedDbOutboxStorage, type OutboxRecord, type OutboxStorage } from './indexedDbOutboxStorage.js';
export { OUTBOX_LOCK_PREFIX, persistentOutbox, type PersistentOutboxOptions } from './persistentOutbox.js';
export { ChatStore } from './ChatStore.js';
export { messageEdits, type ChatEdits, type MessageEditsOptions, type UpdateEntries } from './messageEdits.js';
export type { ChatConnection, ChatListener, ChatStoreOptions } from './ChatStoreOptions.js';
export {
  DEFAULT_PUBLISH_INTERVAL_MS,
  createFrameScheduler,
  frameScheduler,
  immediateScheduler,
  type Scheduler,
} from './createFrameScheduler.js';
export { DEFAULT_GROUP_WINDOW_MS, groupEntries, startsGroup, type EntryGroup } from './groupEntries.js';
export { createTimeFormat, defaultChatStrings, type ChatStrings, type TimeFormat } from './strings.js';
export {
  TYPING_EXPIRY_MS,
  TYPING_RENEW_MS,
  typingIndicator,
  type ChatTyping,
  type TypingIndicatorOptions,
  type TypingState,
} from './typingIndicator.js';
export { ChatTabsClient, type ChatShareOptions } from './ChatTabsClient.js';
