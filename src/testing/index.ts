export {
  createMockChatServer,
  type MockChatConnection,
  type MockChatServer,
  type MockChatServerOptions,
  type ReceivedPacket,
} from './createMockChatServer.js';
export { installResizeObserverStub } from './installResizeObserverStub.js';
