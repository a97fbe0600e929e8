export type {
  ChatEntry,
  ChatError,
  ChatGapEntry,
  ChatHistoryState,
  ChatMessageEntry,
  ChatRenameEntry,
  ChatServerFeatures,
  ChatSignInEntry,
  ChatState,
} from './ChatState.js';
export { chatHistory, type ChatHistory, type ChatHistoryOptions, type UpdateStore } from './chatHistory.js';
export { ChatStore, type ChatConnection, type ChatListener, type ChatStoreOptions } from './ChatStore.js';
export {
  DEFAULT_PUBLISH_INTERVAL_MS,
  createFrameScheduler,
  frameScheduler,
  immediateScheduler,
  type Scheduler,
} from './createFrameScheduler.js';
export { DEFAULT_GROUP_WINDOW_MS, groupEntries, startsGroup, type EntryGroup } from './groupEntries.js';
export { createTimeFormat, defaultChatStrings, type ChatStrings, type TimeFormat } from './strings.js';
