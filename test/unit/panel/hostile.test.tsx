// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { App } from '../../../src/panel/app.tsx';
import { safeMdnHref } from '../../../src/panel/detail.tsx';
import { createFixtureSource } from '../../../src/panel/source-fixture.ts';
import { HOSTILE, hostileRecords } from '../../shell/records.ts';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

afterEach(() => {
  cleanup();
  window.__pwned = undefined;
});

/** Elements a hostile value would create if it were parsed as HTML. */
function injected(root: ParentNode): Element[] {
  const found: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' || tag === 'img' || tag === 'b' || tag === 'iframe' || tag === 'object') found.push(el);
    if (Array.from(el.attributes).some((a) => a.name.toLowerCase().startsWith('on'))) found.push(el);
  }
  return found;
}

function expandAll() {
  for (let i = 0; i < 20; i++) {
    const more = Array.from(document.querySelectorAll<HTMLButtonElement>('.long button[aria-expanded="false"]'));
    if (more.length === 0) return;
    for (const b of more) fireEvent.click(b);
  }
}

test.each(hostileRecords().map((r, i) => [i, r.id] as const))('hostile record %i renders every value as text', (index) => {
  const records = hostileRecords();
  const record = records[index]!;
  render(<App source={createFixtureSource({ records })} locale="en" initialSelectedId={record.id} initialDetailOpen />);
  expandAll();
  expect(injected(document.body)).toEqual([]);
  expect(window.__pwned).toBeUndefined();

  // Each header value and name of the record appears as the exact text of one element.
  const texts = new Set(Array.from(document.querySelectorAll('.value, th')).map((el) => el.textContent));
  const headerLists = [record.exchange.requestHeaders, record.exchange.response?.headers ?? [], record.exchange.preflight?.response?.headers ?? [], record.exchange.preflight?.requestHeaders ?? []];
  for (const list of headerLists) {
    for (const [name, value] of list) {
      expect(texts.has(name), `name ${name.slice(0, 40)}`).toBe(true);
      expect(texts.has(value), `value ${value.slice(0, 40)}`).toBe(true);
    }
  }
  // The row's URL cell keeps the raw URL in its title, the detail shows it as text.
  const row = document.querySelector<HTMLElement>(`[data-id="${record.id}"]`)!;
  expect(row.querySelector('.c-url')?.getAttribute('title')).toBe(record.exchange.url);
  expect(texts.has(record.exchange.url)).toBe(true);

  // Links: only MDN. The javascript: page URL and every header value stay out of hrefs.
  for (const a of document.querySelectorAll('a')) expect(a.getAttribute('href')?.startsWith('https://developer.mozilla.org/')).toBe(true);
  expect(document.body.innerHTML).not.toContain('href="javascript:');
});

test('values with invisible or bidi characters are flagged, with the revealed form in the tooltip', () => {
  const records = hostileRecords();
  render(<App source={createFixtureSource({ records })} locale="en" initialSelectedId={records[0]!.id} initialDetailOpen />);
  const row = (name: string) => Array.from(document.querySelectorAll('.card-actual .headers tr')).find((tr) => tr.querySelector('th')?.textContent === name)!;
  const control = row('x-control');
  expect(control.querySelector('.value')!.textContent).toBe(HOSTILE.control);
  expect(control.querySelector('.tag-invisible')?.getAttribute('title')).toContain('\\u{0000}');
  expect(row('x-intl').querySelector('.tag-invisible')?.getAttribute('title')).toContain('\\u{202E}gnp.exe');
  expect(row('x-script').querySelector('.tag-invisible')).toBeNull();
});

test('a 100 KB value is cut until asked, then shown whole', () => {
  const records = hostileRecords();
  render(<App source={createFixtureSource({ records })} locale="en" initialSelectedId={records[0]!.id} initialDetailOpen />);
  const big = Array.from(document.querySelectorAll('.long')).find((el) => el.closest('tr')?.querySelector('th')?.textContent === 'x-big')!;
  expect(big.querySelector('.value')!.textContent!.length).toBeLessThan(2000);
  fireEvent.click(screen.getAllByRole('button', { name: /Show all \(100 KB\)/ })[0]!);
  expect(big.querySelector('.value')!.textContent).toBe(HOSTILE.big);
});

test('safeMdnHref accepts only MDN', () => {
  expect(safeMdnHref('https://developer.mozilla.org/ja/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin')).toBeTruthy();
  expect(safeMdnHref('https://developer.mozilla.org.evil.example/x')).toBeUndefined();
  expect(safeMdnHref('javascript:alert(1)')).toBeUndefined();
  expect(safeMdnHref('https://developer.mozilla.org@evil.example/')).toBeUndefined();
  expect(safeMdnHref(undefined)).toBeUndefined();
});
