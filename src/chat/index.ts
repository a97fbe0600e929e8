export {
  ChatStore,
  type ChatConnection,
  type ChatEntry,
  type ChatError,
  type ChatListener,
  type ChatMessageEntry,
  type ChatRenameEntry,
  type ChatServerFeatures,
  type ChatSignInEntry,
  type ChatState,
  type ChatStoreOptions,
} from './ChatStore.js';
export {
  DEFAULT_PUBLISH_INTERVAL_MS,
  createFrameScheduler,
  frameScheduler,
  immediateScheduler,
  type Scheduler,
} from './createFrameScheduler.js';
export { DEFAULT_GROUP_WINDOW_MS, groupEntries, startsGroup, type EntryGroup } from './groupEntries.js';
export { createTimeFormat, defaultChatStrings, type ChatStrings, type TimeFormat } from './strings.js';
