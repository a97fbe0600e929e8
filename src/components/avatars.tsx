'use client';

import { useState, type CSSProperties } from 'react';
import type { AvatarRenderer } from './ChatProvider.js';
import { cx, flag } from './cx.js';
import { useChatSelector } from './useChat.js';
import { useConnectionLost } from './useConnectionLost.js';

/** Options of {@link avatars}. */
export interface AvatarOptions {
  /**
   * The URL of a user's picture, or null/undefined for none (initials then). An image that fails
   * to load falls back to the initials. Called on every render of an avatar: keep it cheap.
   */
  image?: (name: string) => string | null | undefined;
  /** Class added to every avatar (`rwc-avatar`). */
  className?: string;
}

/** Props of {@link Avatar}. */
export interface AvatarProps extends AvatarOptions {
  /** The user's name; null for a user without a name yet (shown as "?", without colour). */
  name: string | null;
}

/**
 * Avatars for `<ChatProvider avatars={avatars()}>`: each user's initials on a colour derived from
 * the name (the same name always gets the same colour; the stylesheet keeps a 4.5:1 contrast for
 * the initials in the light and the dark theme), or the picture `image(name)` gives. Opt-in: an
 * application that never imports `avatars` bundles none of this. Make the value once (at module
 * level or in a `useMemo`).
 *
 * @example
 * ```tsx
 * const withAvatars = avatars({ image: (name) => `/avatars/${encodeURIComponent(name)}.png` });
 * <ChatProvider url={url} username="ada" avatars={withAvatars}>...</ChatProvider>
 * ```
 */
export function avatars(options: AvatarOptions = {}): AvatarRenderer {
  return (name) => <Avatar name={name} {...options} />;
}

/**
 * One avatar, hidden from screen readers (the name is read beside it). `data-present` while the
 * user is in the server's list and we are connected (the stylesheet draws a dot); without it,
 * the user left, or we cannot know (offline). Must be inside a `<ChatProvider>`.
 *
 * Parts: `rwc-avatar` (`data-present`, `data-image` when the picture shows, `data-unnamed`),
 * `__initials`, `__image`.
 */
export function Avatar({ name, image, className }: AvatarProps) {
  const present = useChatSelector((state) => name !== null && state.users.includes(name));
  const lost = useConnectionLost();
  const src = name === null ? null : image?.(name);
  // The URL that failed, not a flag: a new URL is tried again.
  const [failed, setFailed] = useState<string | null>(null);
  const showImage = !!src && src !== failed;
  const style = name === null ? undefined : ({ '--rwc-avatar-hue': nameHue(name) } as CSSProperties);
  return (
    <span
      aria-hidden="true"
      className={cx('rwc-avatar', className)}
      style={style}
      data-present={flag(present && !lost)}
      data-image={flag(showImage)}
      data-unnamed={flag(name === null)}
    >
      {showImage ? (
        <img className="rwc-avatar__image" src={src} alt="" onError={() => setFailed(src)} />
      ) : (
        <span className="rwc-avatar__initials">{name === null ? '?' : initials(name)}</span>
      )}
    </span>
  );
}

/**
 * Up to two initials: the first character of the first word and of the last ("Ada Lovelace" →
 * "AL", "guest-2596" → "G"), upper-cased; whole code points (an emoji stays whole).
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const first = (word: string | undefined) => (word ? (Array.from(word)[0] ?? '') : '');
  const letters = words.length > 1 ? first(words[0]) + first(words[words.length - 1]) : first(words[0]);
  return letters.toLocaleUpperCase() || '?';
}

/** A hue (0-359) from the name: FNV-1a over its UTF-16 code units, so the same name, the same colour. */
export function nameHue(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 360;
}
