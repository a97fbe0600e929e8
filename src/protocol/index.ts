export {
  PROTOCOL_EXTENSION_VERSION,
  encodeMessage,
  encodeUsername,
  type ClientHistoryPacket,
  type ClientMessagePacket,
  type ClientPacket,
  type ClientTypingPacket,
  type ClientUsernamePacket,
  type HistoryPacket,
  type IdPacket,
  type MessagePacket,
  type RejectUsernamePacket,
  type RoomPacket,
  type TypingPacket,
  type ServerPacket,
  type UserListPacket,
  type UsernamePacket,
} from './packets.js';
export { SERVER_PACKET_TYPES, decodeServerPacket, type DecodeResult } from './decodeServerPacket.js';
export { decodeClientPacket, type ClientDecodeResult, type DecodedClientPacket } from './decodeClientPacket.js';
