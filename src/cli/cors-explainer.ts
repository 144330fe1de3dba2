/**
 * `cors-explainer check <url>`: the extension's diagnoses for one page, without opening DevTools.
 * Built to dist/cli/cors-explainer.mjs (vite.cli.config.ts); bin/cors-explainer.mjs runs `main`.
 * stdout carries the result only (table or JSON); errors are one line on stderr; progress with --verbose.
 */
import { parseArgs, USAGE, UsageError } from './args.ts';
import type { CheckSession } from './check.ts';
import { formatJson, formatResult } from './format.ts';
import { LaunchError } from './launch-error.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_ERROR = 2;

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
}

/** Runs the command line; resolves with the exit status once everything it printed was written. */
export async function main(argv: readonly string[], streams: Streams = process): Promise<number> {
  const { stdout, stderr } = streams;
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    await write(stderr, `cors-explainer: ${error.message} (see --help)\n`);
    return EXIT_ERROR;
  }
  if (args.command === 'help') {
    await write(stdout, `${USAGE}\n`);
    return EXIT_OK;
  }

  const started = Date.now();
  const log = args.verbose ? (line: string) => stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`) : undefined;
  // Ctrl-C or SIGTERM during a check: close the browser (and delete its profile) before leaving, once it
  // has started if it is starting. A second Ctrl-C leaves at once.
  let opening: Promise<CheckSession> | undefined;
  let stopping: Promise<void> | undefined;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = (opening ?? Promise.resolve(undefined))
      .then((session) => session?.close())
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  /** After a signal nothing is reported: the check was cut short, not failed. */
  const interrupted = async (): Promise<number | undefined> => {
    if (!stopping) return undefined;
    await stopping;
    return 130;
  };
  try {
    // Loaded only now: playwright-core takes a while to load, and --help or a usage error need none of it.
    const { openCheckSession } = await import('./check.ts');
    opening = openCheckSession(args.browser, {
      waitMs: args.waitMs,
      handleSignals: false,
      ...(args.extension === undefined ? {} : { extension: args.extension }),
      ...(log ? { log } : {}),
    });
    const session = await opening;
    const result = await session.check(args.url).finally(() => session.close());
    const stopped = await interrupted();
    if (stopped !== undefined) return stopped;
    if (result.loadError) {
      await write(stderr, `cors-explainer: could not load ${args.url}: ${result.loadError}\n`);
      return EXIT_ERROR;
    }
    const columns = stdout.isTTY ? stdout.columns : undefined;
    await write(stdout, args.json ? formatJson(result) : formatResult(result, columns));
    log?.('done');
    return result.failures > 0 ? EXIT_FAILURES : EXIT_OK;
  } catch (error) {
    const stopped = await interrupted();
    if (stopped !== undefined) return stopped;
    await write(stderr, `cors-explainer: ${oneLine(error)}\n`);
    if (args.verbose && !(error instanceof LaunchError) && error instanceof Error && error.stack) {
      await write(stderr, `${error.stack}\n`);
    }
    return EXIT_ERROR;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
