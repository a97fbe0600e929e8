/** What a key typed in the `npm start` console asks for. */
export type ConsoleCommand = 'toggle' | 'restart' | 'quit' | 'help';

/** The keys `npm start` answers to, one line each, as its console and the README list them. */
export const CONSOLE_KEYS: readonly string[] = [
  's  stop the chat server (Storybook keeps running); s again starts it',
  'r  restart the chat server',
  'q  (or Ctrl+C) stop both and quit',
  'h  show these keys',
];

/**
 * The command for one key of `npm start`'s console (lower or upper case), or null for any other.
 * The console is in raw mode, so Ctrl+C arrives as the character U+0003, not as SIGINT.
 */
export function consoleCommand(key: string): ConsoleCommand | null {
  switch (key.toLowerCase()) {
    case 's':
      return 'toggle';
    case 'r':
      return 'restart';
    case 'q':
    case '\u0003':
      return 'quit';
    case 'h':
    case '?':
      return 'help';
    default:
      return null;
  }
}
