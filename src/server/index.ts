/**
 * react-ws-chat/server: the reference chat server (Node only) for the MDN chat protocol, built on `ws`.
 */
export { MAX_NONCE_LENGTH, PING_SPACING } from './ChatConnection.js';
export { REJOINED_CLOSE_CODE } from './ChatRoom.js';
export { TYPING_SPACING } from './TypingRelay.js';
export { CATCH_UP_OVERFLOW_CODE } from './catchUp.js';
export { createChatServer } from './createChatServer.js';
export { MemoryHistory } from './MemoryHistory.js';
export { CHAT_SERVER_DEFAULTS, type ChatServerOptions, type RateLimitOptions, type RedisRoomOptions } from './options.js';
export type { HistoryEntry, HistoryPage, HistoryPosition, MaybePromise, RoomHistory } from './RoomHistory.js';
export type { ChatServer, ChatServerEvent, ChatServerStats, InvalidPacketKind } from './types.js';
