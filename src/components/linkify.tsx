import type { ReactNode } from 'react';
import { breakUrls } from './breakUrls.js';

/**
 * Candidates: `http://` or `https://` (any case) not glued to a word before it (group 1: what is
 * before it; no lookbehind, a syntax error in Safari before 16.4), then a host (not a third slash),
 * and everything up to a space or a character no URL has unescaped (`<`, `>`, `"`, a backtick).
 * What ends it is then trimmed by {@link trimUrl}, and only a URL that parses is linked.
 */
const CANDIDATE = /(^|[^\p{L}\p{N}_])(https?:\/\/[^\s<>"`/][^\s<>"`]*)/giu;

/** Punctuation that ends a sentence more often than a URL: left outside the link when last. */
const TRAILING = /[.,;:!?'*]$/;

const CLOSING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/**
 * The URL a candidate really is: without trailing punctuation, nor a closing bracket it does not
 * open itself ("(see https://x.org/a)" leaves the ")" out; "https://en.wikipedia.org/wiki/C_(language)"
 * keeps its own).
 */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.slice(-1);
    const open = CLOSING[last];
    if (TRAILING.test(last) || (open && url.split(open).length <= url.split(last).length - 1)) url = url.slice(0, -1);
    else return url;
  }
}

/**
 * The address a link may point to, or null: it must parse as an `http:` or `https:` URL with a host
 * and without credentials (in "https://bank.example@evil.example" the host is the part after the
 * "@": such a text stays text). The normalized address (an IDN's host in Punycode) is the `href`.
 */
function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return /^https?:$/.test(parsed.protocol) && parsed.hostname && !parsed.username && !parsed.password ? parsed.href : null;
}

/**
 * A `renderText` for `<ChatBox>` that makes the `http:` and `https:` URLs of a message links:
 * `<a href rel="noopener noreferrer" target="_blank">` (a new tab: following a link never takes the
 * reader away from the chat and its connection; `noopener` keeps the opened page from reaching
 * back into this one, `noreferrer` tells it nothing of where it came from). Everything else stays
 * text, never HTML: other schemes (`javascript:`, `data:`, `mailto:`, ...), addresses without a
 * scheme ("example.com", emails), URLs with credentials. Punctuation that ends the sentence
 * (".", ",", a ")" the URL did not open) stays outside the link. The link's text is the text as
 * written (an IDN shows in its own script), breakable after its slashes as ChatBox's default text.
 * Opt-in: a bundle that does not import it carries none of it.
 *
 * @example
 * ```tsx
 * <ChatBox renderText={linkify} />
 * ```
 */
export function linkify(text: string): ReactNode {
  const nodes: ReactNode[] = [];
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const url = trimUrl(match[2] as string);
    const href = safeHref(url);
    if (!href) continue;
    const at = match.index + (match[1] as string).length;
    // Each text's parts in an array of their own: their keys need only be unique there.
    nodes.push(
      breakUrls(text.slice(from, at)),
      <a key={at} href={href} rel="noopener noreferrer" target="_blank">
        {breakUrls(url)}
      </a>,
    );
    from = at + url.length;
  }
  return from ? [...nodes, breakUrls(text.slice(from))] : breakUrls(text);
}
