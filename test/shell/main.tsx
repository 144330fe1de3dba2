/**
 * The panel in a plain page, fed with recorded records instead of the extension's port (like preact-devtools'
 * inline shell). No extension API and no webextension-polyfill here.
 *
 * Query: ?set=demo|hostile|empty|many  &n=10000  &theme=dark  &lang=ja|fr  &open=<record index>  &dropped=N
 * Exposes window.__shell: { source, perf } for the browser tests.
 */
import { render } from 'preact';
import type { CorsRecord } from '../../src/cors/record.ts';
import { detectLocale } from '../../src/explain/index.ts';
import { App } from '../../src/panel/app.tsx';
import { createFixtureSource, type FixtureSource } from '../../src/panel/source-fixture.ts';
import { applyTheme, themeFromName } from '../../src/panel/theme.ts';
import { demoRecords, hostileRecords, manyRecords } from './records.ts';

declare global {
  interface Window {
    __shell?: { source: FixtureSource; perf: { records: number; firstRenderMs?: number } };
  }
}

const params = new URLSearchParams(location.search);
const set = params.get('set') ?? 'demo';
const records: CorsRecord[] =
  set === 'hostile' ? hostileRecords() : set === 'empty' ? [] : set === 'many' ? manyRecords(Number(params.get('n') ?? 10_000)) : demoRecords();

applyTheme(themeFromName(params.get('theme')));
const locale = detectLocale(params.get('lang') ?? navigator.language);
document.documentElement.lang = locale;

const source = createFixtureSource({
  records,
  dropped: Number(params.get('dropped') ?? 0),
  settings: { preserveLog: params.get('preserve') === '1' },
  meta: { tabId: 1, engine: 'chromium', extensionVersion: 'shell' },
});
const perf: { records: number; firstRenderMs?: number } = { records: records.length };
window.__shell = { source, perf };

const openIndex = params.get('open');
const initial = openIndex === null ? undefined : records[Number(openIndex)]?.id;

const root = document.getElementById('app') as HTMLElement;
const started = performance.now();
render(<App source={source} locale={locale} initialSelectedId={initial} initialDetailOpen={initial !== undefined} />, root);
// First render = from render() until the browser has laid out and is about to paint the first frame with rows.
requestAnimationFrame(() => {
  perf.firstRenderMs = performance.now() - started;
  document.documentElement.dataset.ready = '1';
});
