export { ChatProvider, useChatContext, type ChatContextValue, type ChatProviderProps } from './ChatProvider.js';
export { useChat, useChatEntries, useChatSelector, useChatStatus, useChatStrings, useChatUsers, useSendMessage } from './useChat.js';
