/** Bad command-line arguments: the message names the argument; the command exits 2 with its usage. */
export class UsageError extends Error {
  /**
   * @param message what is wrong, naming the argument.
   * @param command the sub-command whose usage to print, when known.
   */
  constructor(
    message: string,
    readonly command?: 'sub' | 'pub',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
