export {
  PROTOCOL_EXTENSION_VERSION,
  SERVER_PACKET_TYPES,
  encodeMessage,
  encodeUsername,
  type ClientMessagePacket,
  type ClientPacket,
  type ClientUsernamePacket,
  type IdPacket,
  type MessagePacket,
  type RejectUsernamePacket,
  type ServerPacket,
  type UserListPacket,
  type UsernamePacket,
} from './packets.js';
export { decodeServerPacket, type DecodeResult } from './decodeServerPacket.js';
export { decodeClientPacket, type ClientDecodeResult, type DecodedClientPacket } from './decodeClientPacket.js';
