/**
 * react-ws-chat/server: the reference chat server (Node only) for the MDN chat protocol, built on `ws`.
 */
export {
  CHAT_SERVER_DEFAULTS,
  MAX_NONCE_LENGTH,
  createChatServer,
  type ChatServer,
  type ChatServerEvent,
  type ChatServerOptions,
  type ChatServerStats,
  type InvalidPacketKind,
  type RateLimitOptions,
} from './createChatServer.js';
