/**
 * react-ws-chat: a WebSocket chat kit for React. The connection core (no React) is also available
 * alone as `react-ws-chat/core`; test helpers as `react-ws-chat/testing`.
 */
export * from './core/index.js';
export * from './react/index.js';
export * from './protocol/index.js';
export * from './chat/index.js';
export * from './components/index.js';
