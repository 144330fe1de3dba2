/** Where the project's files are, from the source (src/cli) and from the build (dist/cli) alike: both
 * sit two directories below the project root. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type BrowserName = 'chromium' | 'firefox';

export const BROWSERS: readonly BrowserName[] = ['chromium', 'firefox'];

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The unpacked extension build for a browser: dist/chrome or dist/firefox. */
export function extensionDir(browser: BrowserName): string {
  return join(PROJECT_ROOT, 'dist', browser === 'chromium' ? 'chrome' : 'firefox');
}
