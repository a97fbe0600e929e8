import type { Loader, StoryContext } from '@storybook/react-vite';

/** The URL of a story's in-page server: one per story, from its id (`ws://stories.test/chat-full-chat--empty`). */
export function storyUrl(storyId: string): string {
  return `ws://stories.test/${storyId}`;
}

/** What {@link perStory}'s `create` makes: the value the story reads, and how to stop it. */
export interface StoryResource<T> {
  readonly value: T;
  stop(): void;
}

/** Resources alive now, by URL: a story re-loaded before its teardown ran replaces its own leftover. */
const live = new Map<string, () => void>();

/**
 * `loaders` and `beforeEach` for a story that needs one thing of its own at its own URL (an in-page
 * mock server): made before the story renders, stored as `loaded[key]`, stopped when the story is
 * torn down. Spread it first; a story that needs more loaders adds them: `loaders: [...x.loaders, more]`.
 */
export function perStory<T>(key: string, create: (url: string, context: StoryContext) => StoryResource<T> | Promise<StoryResource<T>>) {
  const loaders: Loader[] = [
    async (context) => {
      const url = storyUrl(context.id);
      live.get(url)?.();
      const resource = await create(url, context);
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        resource.stop();
        if (live.get(url) === stop) live.delete(url);
      };
      live.set(url, stop);
      return { [key]: resource.value, [`${key}:stop`]: stop };
    },
  ];
  const beforeEach = ({ loaded }: StoryContext) => loaded[`${key}:stop`] as () => void;
  return { loaders, beforeEach };
}
