export {
  ChatStore,
  frameScheduler,
  immediateScheduler,
  type ChatConnection,
  type ChatEntry,
  type ChatError,
  type ChatListener,
  type ChatMessageEntry,
  type ChatRenameEntry,
  type ChatSignInEntry,
  type ChatState,
  type ChatStoreOptions,
  type Scheduler,
} from './ChatStore.js';
export { DEFAULT_GROUP_WINDOW_MS, groupEntries, startsGroup, type EntryGroup } from './groupEntries.js';
export { createTimeFormat, defaultChatStrings, type ChatStrings, type TimeFormat } from './strings.js';
