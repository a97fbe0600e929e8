// Setup for the `unit` (jsdom) project.
import './node-polyfills.ts';

import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Testing Library only auto-cleans when Vitest `globals` are enabled; they are not.
afterEach(() => {
  cleanup();
});
