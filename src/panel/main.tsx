/**
 * The panel inside DevTools: wires the extension's port source, the DevTools theme and the browser's UI
 * language into the App. Everything browser-specific stays in this file and source-port.ts.
 */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { detectLocale } from '../explain/index.ts';
import { App } from './app.tsx';
import { createPortSource } from './source-port.ts';
import { applyTheme, themeFromName } from './theme.ts';

const panels = browser.devtools.panels as typeof browser.devtools.panels & {
  onThemeChanged?: { addListener(listener: (name: string) => void): void };
};
applyTheme(themeFromName(panels.themeName));
panels.onThemeChanged?.addListener((name) => applyTheme(themeFromName(name)));

const locale = detectLocale(browser.i18n.getUILanguage());
document.documentElement.lang = locale;

const source = createPortSource({
  meta: {
    tabId: browser.devtools.inspectedWindow.tabId,
    // Only Firefox has runtime.getBrowserInfo.
    engine: typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function' ? 'gecko' : 'chromium',
    extensionVersion: browser.runtime.getManifest().version,
  },
  connect: (info) => browser.runtime.connect(info),
});

render(<App source={source} locale={locale} />, document.getElementById('app') as HTMLElement);
