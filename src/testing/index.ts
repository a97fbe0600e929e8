export {
  createMockChatServer,
  type MockChatConnection,
  type MockChatServer,
  type MockChatServerOptions,
  type PacketPredicate,
  type RawPacket,
  type ReceivedData,
  type ReceivedPacket,
} from './createMockChatServer.js';
export { installLayoutStub, type LayoutStubOptions } from './installLayoutStub.js';
export { installResizeObserverStub } from './installResizeObserverStub.js';
