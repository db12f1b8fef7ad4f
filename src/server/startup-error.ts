/** A reason the server cannot start (a bad sonnets file, a locked or unreadable database): said in one line, then the process exits. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
