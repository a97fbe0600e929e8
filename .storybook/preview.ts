/// <reference types="vite/client" />
import type { Decorator, Preview } from '@storybook/react-vite';
import { createElement } from 'react';
import '../src/styles.css';

/**
 * `parameters.chatWrapper` of a story: `false` to render it without the `.rwc-chat` wrapper, or
 * the wrapper's theme and direction (which win over the toolbar's).
 */
export type ChatWrapperParameter = false | { theme?: 'light' | 'dark'; dir?: 'ltr' | 'rtl' };

/**
 * Wraps every story in `<div class="rwc-chat">`, the stylesheet's theme scope, with `data-theme`
 * and `dir` from the story's `chatWrapper` parameter or else the toolbar.
 */
const withChatWrapper: Decorator = (Story, context) => {
  const wrapper = context.parameters.chatWrapper as ChatWrapperParameter | undefined;
  if (wrapper === false) return createElement(Story);
  const theme = wrapper?.theme ?? (context.globals.chatTheme as string | undefined);
  const dir = wrapper?.dir ?? (context.globals.chatDir as string | undefined);
  return createElement(
    'div',
    {
      className: 'rwc-chat',
      'data-theme': theme === 'light' || theme === 'dark' ? theme : undefined,
      dir: dir === 'rtl' ? 'rtl' : undefined,
    },
    createElement(Story),
  );
};

const preview: Preview = {
  parameters: {
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
    // axe runs on every story after its play function; in the test run a violation fails the story.
    a11y: { test: 'error' },
  },
  globalTypes: {
    chatTheme: {
      description: 'Theme of the .rwc-chat wrapper',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'system', title: 'System' },
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
    chatDir: {
      description: 'Direction of the .rwc-chat wrapper',
      toolbar: {
        title: 'Direction',
        icon: 'transfer',
        items: [
          { value: 'ltr', title: 'Left to right' },
          { value: 'rtl', title: 'Right to left' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { chatTheme: 'system', chatDir: 'ltr' },
  decorators: [withChatWrapper],
};

export default preview;
