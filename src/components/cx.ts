/** Join the class names that are set: `cx('rwc-x', undefined, 'mine')` is `'rwc-x mine'`. */
export function cx(...names: (string | false | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

/** A boolean `data-*` attribute: present (empty) when true, absent otherwise. */
export function flag(on: boolean | undefined): '' | undefined {
  return on ? '' : undefined;
}
