// Placeholder proving the `browser` project runs in real Chromium. Delete once real tests exist.
import { expect, test } from 'vitest';

test('runs in Chromium', () => {
  expect(navigator.userAgent).toContain('Chrome');
});

test('a module Web Worker can be spawned via new URL(..., import.meta.url)', async () => {
  const worker = new Worker(new URL('./fixtures/echo.worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<unknown>((resolve, reject) => {
      worker.addEventListener('message', (e: MessageEvent<unknown>) => resolve(e.data), { once: true });
      worker.addEventListener('error', (e) => reject(new Error(`worker error: ${e.message}`)), { once: true });
      worker.postMessage('ping');
    });
    expect(reply).toEqual({ echo: 'ping', inWorker: true });
  } finally {
    worker.terminate();
  }
});
