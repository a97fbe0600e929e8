import type { ReactNode } from 'react';

/**
 * A text's parts, each with the slashes that end it ("https://", "example.com/", "a"): together,
 * every character once; a text without a slash is one part. (No lookbehind: a regular expression
 * with one is a syntax error in Safari before 16.4, which would fail the whole module.)
 */
const URL_PART = /[^/]+\/*|\/+/g;

/**
 * A message text as ChatBox shows it by default (`ChatBoxProps.renderText`): the text, with a
 * `<wbr>` after each run of slashes that starts a part of a URL or path, so that one longer than its
 * line breaks there, not mid-word. It adds no character: the text reads and copies unchanged.
 */
export function breakUrls(text: string): ReactNode[] {
  // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one immutable text
  return text.match(URL_PART)?.flatMap((part, i) => (i ? [<wbr key={i} />, part] : part)) ?? [];
}
