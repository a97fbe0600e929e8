/**
 * react-ws-chat/server: the reference chat server (Node only) for the MDN chat protocol, built on `ws`.
 */
export {
  CHAT_SERVER_DEFAULTS,
  MAX_NONCE_LENGTH,
  PING_SPACING,
  REJOINED_CLOSE_CODE,
  createChatServer,
  type ChatServer,
  type ChatServerEvent,
  type ChatServerOptions,
  type ChatServerStats,
  type InvalidPacketKind,
  type RateLimitOptions,
} from './createChatServer.js';
