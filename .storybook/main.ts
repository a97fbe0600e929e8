import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  framework: '@storybook/react-vite',
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  // docs: a page per component (autodocs: description, prop table, every story).
  // a11y: axe on every story, in the panel and in `vitest --project storybook` (preview.ts sets
  // `a11y.test: 'error'`, so a violation fails the run).
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  // react-docgen-typescript does not work with TypeScript 7; keep the default react-docgen.
  typescript: { reactDocgen: 'react-docgen' },
  core: { disableTelemetry: true },
};

export default config;
