/** A failure to start what a command needs (browser, extension build, display): the CLI prints its
 * message as one line and exits with status 2. */
export class LaunchError extends Error {
  override name = 'LaunchError';
}
