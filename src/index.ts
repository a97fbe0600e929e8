/**
 * react-ws-chat: a framework-agnostic WebSocket connection core and its React binding.
 * The core alone (no React) is `react-ws-chat/core`.
 */
export * from './core/index.js';
export * from './react/index.js';
