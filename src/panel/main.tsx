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

// Outside DevTools (the panel page opened as a tab, e.g. by end-to-end tests) there is no devtools API: the
// tab to show then comes from `?tabId=`, and the theme stays light.
const devtools = (browser as { devtools?: typeof browser.devtools }).devtools;
const panels = devtools?.panels as
  | (typeof browser.devtools.panels & { onThemeChanged?: { addListener(listener: (name: string) => void): void } })
  | undefined;
applyTheme(themeFromName(panels?.themeName));
panels?.onThemeChanged?.addListener((name) => applyTheme(themeFromName(name)));
const inspectedTabId = devtools?.inspectedWindow.tabId ?? Number(new URLSearchParams(location.search).get('tabId') ?? -1);

const locale = detectLocale(browser.i18n.getUILanguage());
document.documentElement.lang = locale;

const source = createPortSource({
  meta: {
    tabId: inspectedTabId,
    // Only Firefox has runtime.getBrowserInfo.
    engine: typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function' ? 'gecko' : 'chromium',
    extensionVersion: browser.runtime.getManifest().version,
  },
  connect: (info) => browser.runtime.connect(info),
});

render(<App source={source} locale={locale} />, document.getElementById('app') as HTMLElement);
