/**
 * Firefox with the extension installed as a temporary add-on, driven over WebDriver BiDi
 * (./firefox/launch.ts; the tests use the same launcher). This module is the product's entry to it and
 * adds the checks a person needs a clear message for.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type FirefoxHandle,
  type LaunchFirefoxOptions,
  launchFirefox as launchFirefoxHarness,
} from './firefox/launch.ts';
import { LaunchError } from './launch-error.ts';

export type { FirefoxHandle, LaunchFirefoxOptions } from './firefox/launch.ts';

export const DEFAULT_FIREFOX_PATH = '/usr/bin/firefox-esr';

/** FIREFOX_PATH as it is now, else /usr/bin/firefox-esr. */
export function firefoxPath(): string {
  return process.env.FIREFOX_PATH || DEFAULT_FIREFOX_PATH;
}

export async function launchFirefox(options: LaunchFirefoxOptions = {}): Promise<FirefoxHandle> {
  const executable = options.firefoxPath ?? firefoxPath();
  if (!existsSync(executable)) {
    throw new LaunchError(`Firefox not found at ${executable}; set FIREFOX_PATH to a Firefox executable`);
  }
  if (options.extension && !existsSync(join(resolve(options.extension), 'manifest.json'))) {
    throw new LaunchError(`no extension build in ${resolve(options.extension)} (manifest.json is missing); run \`npm run build\``);
  }
  return launchFirefoxHarness({ ...options, firefoxPath: executable });
}
