export { ChatProvider, useChatContext, type AvatarRenderer, type ChatContextValue, type ChatProviderProps } from './ChatProvider.js';
export { Avatar, avatars, type AvatarOptions, type AvatarProps } from './avatars.js';
export { UsernameInput, type UsernameInputProps } from './UsernameInput.js';
export {
  useChat,
  type UseChatResult,
  useChatEntries,
  useChatSelector,
  useChatStatus,
  type ChatStatus,
  useChatStrings,
  useChatUsers,
  useDeferredChatEntries,
  useSendMessage,
  useSetUsername,
} from './useChat.js';
export { ConnectionStatus, connectionState, type ConnectionStatusProps, type ConnectionStatusState } from './ConnectionStatus.js';
export { DEFAULT_MESSAGE_MAX_LENGTH, MessageInput, type MessageInputProps } from './MessageInput.js';
export { UserList, type UserListProps } from './UserList.js';
export { ChatBox, type ChatBoxEntryInfo, type ChatBoxProps } from './ChatBox.js';
export type { RenderText } from './ChatBoxRow.js';
export { breakUrls } from './breakUrls.js';
export { linkify } from './linkify.js';
export { TypingIndicator, typingText, useTyping, type TypingIndicatorProps } from './TypingIndicator.js';
export { daySeparators, type DaySeparators, type DaySeparatorsOptions } from './daySeparators.js';
export { unreadDivider, type UnreadDividerOptions } from './unreadDivider.js';
export { olderHistory } from './olderHistory.js';
export { navigationKeys } from './navigationKeys.js';
export { keepFocusIn, type ChatBoxMark, type ChatBoxPart, type ChatBoxPartProps } from './ChatBoxPart.js';
export {
  defaultMessageActionsStrings,
  messageActions,
  useEditLastMessage,
  type MessageActionsOptions,
  type MessageActionsStrings,
} from './messageActions.js';
export { sharedChat, type ChatShare } from './sharedChat.js';
