/**
 * Everything the benchmark drivers (bench/*.mjs) take from the TypeScript sources, in one entry that
 * bench/build.mjs bundles for Node (Node 20 cannot run .ts). Nothing here measures anything.
 */
export { chromeProfile } from '../src/background/adapter-chrome.ts';
export { firefoxProfile } from '../src/background/adapter-firefox.ts';
export { copyHeaders, WebRequestAdapter } from '../src/background/adapter.ts';
export { corsLogic } from '../src/background/cors-logic.ts';
export { SETTINGS_KEY } from '../src/background/settings.ts';
export { encodeRecord, tabIdOfKey, tabsFromItems } from '../src/background/storage-layout.ts';
export { DEFAULT_CAP } from '../src/background/store.ts';
export { Tracker } from '../src/background/tracker.ts';
export { classify } from '../src/cors/classify.ts';
export { reduceExchange } from '../src/cors/reduce.ts';
export { DEFAULT_SETTINGS, PANEL_PORT_NAME } from '../src/messages.ts';
export { launchChromium } from '../test/browser/support/chromium.ts';
export { launchFirefox } from '../test/browser/support/firefox.ts';
