/** The command line of `cors-explainer`: parsed into a command, or a usage error with one clear line. */
import { BROWSERS, type BrowserName } from './paths.ts';

export interface CheckCommand {
  command: 'check';
  url: string;
  browser: BrowserName;
  json: boolean;
  waitMs: number;
  verbose: boolean;
  extension?: string;
}

export type ParsedArgs = CheckCommand | { command: 'help' };

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: cors-explainer check <url> [options]

Opens <url> in a headless browser with CORS Explainer installed, waits until the page's network has been
quiet for half a second, and prints every cross-origin request the browser refused, as the extension
diagnosed it: the reason, the stage that failed, and what is wrong.

Options:
  --browser <name>   chromium (default) or firefox
  --json             print the extension's JSON export (the panel's "Export JSON") instead of a table
  --wait <ms>        wait at most this long for the page to settle (default 10000)
  --extension <dir>  load this unpacked build instead of dist/chrome or dist/firefox
  --verbose          report progress on stderr
  -h, --help         show this help

Exit status: 0 no CORS failure (warnings alone do not fail), 1 at least one failure,
2 a usage error, or the browser, the extension or the page could not be started or loaded.
Browsers: CHROME_PATH (default /usr/bin/chromium), FIREFOX_PATH (default /usr/bin/firefox-esr).`;

const WITH_VALUE = new Set(['--browser', '--wait', '--extension']);
const FLAGS = new Set(['--json', '--verbose', '--help', '-h']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      if (WITH_VALUE.has(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
        options.set(name, value);
      } else if (FLAGS.has(name) && eq < 0) {
        flags.add(name);
      } else {
        throw new UsageError(`unknown option ${arg}`);
      }
      continue;
    }
    positional.push(arg);
  }
  if (flags.has('--help') || flags.has('-h') || positional[0] === 'help') return { command: 'help' };

  const [command, url, ...extra] = positional;
  if (command === undefined) throw new UsageError('missing command: try `cors-explainer check <url>`');
  if (command !== 'check') throw new UsageError(`unknown command "${command}": the command is \`check <url>\``);
  if (url === undefined) throw new UsageError('missing URL: `cors-explainer check <url>`');
  if (extra.length > 0) throw new UsageError(`one URL per check; unexpected "${extra[0]}"`);

  const browser = options.get('--browser') ?? 'chromium';
  if (!(BROWSERS as readonly string[]).includes(browser)) {
    throw new UsageError(`--browser must be chromium or firefox, not "${browser}"`);
  }
  const waitText = options.get('--wait') ?? '10000';
  const waitMs = Number(waitText);
  if (!/^\d+$/.test(waitText) || !Number.isSafeInteger(waitMs) || waitMs <= 0) {
    throw new UsageError(`--wait takes a number of milliseconds, not "${waitText}"`);
  }
  const extension = options.get('--extension');
  return {
    command: 'check',
    url: checkedUrl(url),
    browser: browser as BrowserName,
    json: flags.has('--json'),
    waitMs,
    verbose: flags.has('--verbose'),
    ...(extension === undefined ? {} : { extension }),
  };
}

function checkedUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // "localhost:3000" parses, as a URL of scheme "localhost:"; a page URL names its scheme with "://".
  if (!url || (!text.includes('://') && url.protocol !== 'file:')) {
    const hint = /^[\w.-]+(:\d+)?(\/\S*)?$/.test(text) ? ` (did you mean http://${text}?)` : '';
    throw new UsageError(`not a URL: "${text}"${hint}`);
  }
  if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
    throw new UsageError(`only http:, https: and file: pages can be checked, not ${url.protocol}`);
  }
  return url.href;
}
