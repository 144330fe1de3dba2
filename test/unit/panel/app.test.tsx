// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import type { CorsRecord } from '../../../src/cors/record.ts';
import { REASON_IDS } from '../../../src/cors/reasons.ts';
import { clientAlternative, buildFix, curlCommands, explain, fixHeaderLines, fixSnippets, reasonTitle, stageLabel } from '../../../src/explain/index.ts';
import { App } from '../../../src/panel/app.tsx';
import { UI_STRINGS } from '../../../src/panel/i18n.ts';
import { createFixtureSource, type FixtureOptions } from '../../../src/panel/source-fixture.ts';
import { demoRecords, manyRecords } from '../../shell/records.ts';

const en = UI_STRINGS.en;

function mount(options: FixtureOptions = {}, locale: 'en' | 'ja' | 'fr' = 'en', initial?: string) {
  const source = createFixtureSource({ records: demoRecords(), ...options });
  const view = render(<App source={source} locale={locale} initialSelectedId={initial} initialDetailOpen={initial !== undefined} />);
  return { source, ...view };
}

const rows = () => Array.from(document.querySelectorAll<HTMLElement>('.list [role=option]'));
const listbox = () => screen.getByRole('listbox');
const detail = () => screen.queryByRole('complementary', { name: en.detailLabel });

/** Opens the detail of a record by clicking its row. */
function openRow(record: CorsRecord) {
  const row = document.querySelector<HTMLElement>(`[data-id="${record.id}"]`);
  if (!row) throw new Error(`row ${record.id} not rendered`);
  fireEvent.click(row);
}

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('list', () => {
  test('renders one row per record with method, short URL, reason title and stage', () => {
    const records = demoRecords();
    mount();
    expect(rows()).toHaveLength(records.length);
    for (const record of records) {
      const row = document.querySelector<HTMLElement>(`[data-id="${record.id}"]`)!;
      expect(row.querySelector('.c-method')?.textContent).toBe(record.exchange.method);
      expect(row.querySelector('.c-url')?.getAttribute('title')).toBe(record.exchange.url);
      expect(row.querySelector('.reason-text')?.textContent).toBe(reasonTitle(record.diagnosis.reason, 'en'));
      expect(row.querySelector('.c-stage')?.textContent).toBe(en.stageShort[record.diagnosis.stage]);
      expect(row.querySelector('.c-stage')?.getAttribute('title')).toBe(stageLabel(record.diagnosis.stage, 'en'));
    }
    expect(screen.getByRole('status').textContent).toContain(en.count(records.length, records.length));
  });

  test('warning reasons get the warning style, failures do not', () => {
    mount();
    const warningRows = rows().filter((r) => r.classList.contains('warning'));
    const expected = demoRecords().filter((r) => r.diagnosis.reason === 'CORSAllowHeaderFromPreflightDeprecation');
    expect(warningRows.map((r) => r.dataset.id)).toEqual(expected.map((r) => r.id));
  });

  test('filters by text (all terms, any field) and by reason', () => {
    const records = demoRecords();
    mount();
    const filter = screen.getByRole('searchbox', { name: en.filterLabel });
    fireEvent.input(filter, { target: { value: 'payments' } });
    expect(rows().map((r) => r.dataset.id)).toEqual(records.filter((r) => r.exchange.url.includes('payments')).map((r) => r.id));
    fireEvent.input(filter, { target: { value: 'PUT addresses' } });
    expect(rows().map((r) => r.dataset.id)).toEqual(records.filter((r) => r.exchange.method === 'PUT' && r.exchange.url.includes('addresses')).map((r) => r.id));
    fireEvent.input(filter, { target: { value: 'nothing-matches-this' } });
    expect(rows()).toHaveLength(0);
    expect(screen.getByText(en.noMatch)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: en.clearFilter }));
    expect(rows()).toHaveLength(records.length);

    const select = screen.getByRole('combobox', { name: en.reasonFilterLabel });
    fireEvent.change(select, { target: { value: 'CORSMissingAllowOrigin' } });
    const expected = records.filter((r) => r.diagnosis.reason === 'CORSMissingAllowOrigin');
    expect(expected.length).toBeGreaterThan(1);
    expect(rows().map((r) => r.dataset.id)).toEqual(expected.map((r) => r.id));
    expect(screen.getByRole('status').textContent).toContain(en.count(expected.length, records.length));
  });

  test('the reason select offers only reasons present, with counts', () => {
    const records = demoRecords();
    mount();
    const select = screen.getByRole('combobox', { name: en.reasonFilterLabel }) as HTMLSelectElement;
    const values = Array.from(select.options).map((o) => o.value);
    const present = REASON_IDS.filter((id) => records.some((r) => r.diagnosis.reason === id));
    expect(values).toEqual(['', ...present]);
    const missing = Array.from(select.options).find((o) => o.value === 'CORSMissingAllowOrigin')!;
    expect(missing.textContent).toBe(`${reasonTitle('CORSMissingAllowOrigin', 'en')} (${records.filter((r) => r.diagnosis.reason === 'CORSMissingAllowOrigin').length})`);
  });

  test('keyboard: arrows move the selection, Enter opens the detail, Escape closes it', async () => {
    const records = demoRecords();
    mount();
    const list = listbox();
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(rows().find((r) => r.getAttribute('aria-selected') === 'true')?.dataset.id).toBe(records[0]!.id);
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    const selected = () => rows().find((r) => r.getAttribute('aria-selected') === 'true')?.dataset.id;
    expect(selected()).toBe(records[1]!.id);
    expect(list.getAttribute('aria-activedescendant')).toBe(document.querySelector(`[data-id="${records[1]!.id}"]`)?.id);
    expect(detail()).toBeNull();
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(detail()).not.toBeNull();
    expect(within(detail()!).getByText(explain(records[1]!, 'en').verdict)).toBeTruthy();
    // With the detail open, the arrows keep browsing and the detail follows.
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(within(detail()!).getByText(explain(records[2]!, 'en').verdict)).toBeTruthy();
    fireEvent.keyDown(list, { key: 'End' });
    expect(selected()).toBe(records.at(-1)!.id);
    fireEvent.keyDown(list, { key: 'Home' });
    expect(selected()).toBe(records[0]!.id);
    const escapeKey = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    act(() => {
      list.dispatchEvent(escapeKey);
    });
    expect(detail()).toBeNull();
    expect(escapeKey.defaultPrevented).toBe(true);
    // With nothing open, Escape is left alone (DevTools uses it to toggle its drawer).
    const second = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    list.dispatchEvent(second);
    expect(second.defaultPrevented).toBe(false);
  });

  test('10 000 records: only a window of rows is in the DOM, End reaches the last one', () => {
    const records = manyRecords(10_000);
    mount({ records });
    expect(rows().length).toBeGreaterThan(10);
    expect(rows().length).toBeLessThan(120);
    const list = listbox();
    list.focus();
    fireEvent.keyDown(list, { key: 'End' });
    const last = document.querySelector(`[data-id="${records.at(-1)!.id}"]`);
    expect(last?.getAttribute('aria-selected')).toBe('true');
    expect(rows().length).toBeLessThan(120);
    expect(screen.getByRole('status').textContent).toContain(en.count(10_000, 10_000));
  });

  test('records pushed by the source appear', () => {
    const records = demoRecords();
    const { source } = mount({ records: records.slice(0, 3) });
    expect(rows()).toHaveLength(3);
    act(() => source.push(records.slice(3, 6)));
    expect(rows()).toHaveLength(6);
  });
});

describe('toolbar', () => {
  test('Clear calls the source and shows the empty state', () => {
    const { source } = mount({}, 'en', demoRecords()[0]!.id);
    expect(detail()).not.toBeNull();
    fireEvent.click(screen.getByRole('button', { name: en.clear }));
    expect(source.calls).toEqual([{ type: 'clear' }]);
    expect(rows()).toHaveLength(0);
    expect(detail()).toBeNull();
    expect(screen.getByText(en.emptyTitle)).toBeTruthy();
  });

  test('Preserve log reflects the settings and calls setSettings', () => {
    const { source } = mount({ settings: { preserveLog: true } });
    const box = screen.getByRole('checkbox', { name: en.preserveLog }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    expect(source.calls).toEqual([{ type: 'setSettings', payload: { preserveLog: false } }]);
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    expect(source.calls.at(-1)).toEqual({ type: 'setSettings', payload: { preserveLog: true } });
  });

  test('the dropped count is shown', () => {
    mount({ dropped: 1234 });
    expect(screen.getByRole('status').textContent).toContain(en.dropped(1234));
    expect(en.dropped(1234)).toBe('1,234 older records dropped');
  });

  test('the empty state explains and links to the reason index', () => {
    mount({ records: [] });
    expect(screen.getByText(en.emptyTitle)).toBeTruthy();
    expect(screen.getByText(en.emptyBody)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: en.emptyIndexLink }));
    expect(screen.getByRole('heading', { name: en.indexTitle })).toBeTruthy();
  });

  test('the empty state says what the recording scope means', () => {
    mount({ records: [], settings: { scope: 'devtools-open' } });
    expect(screen.getByText(en.emptyBodyDevtoolsOnly)).toBeTruthy();
    expect(screen.queryByText(en.emptyBody)).toBeNull();
  });

  test('export: JSON through a Blob link, Markdown copied', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-12T10:00:00Z'));
    const records = demoRecords();
    mount();
    const blobs: Blob[] = [];
    const names: string[] = [];
    const createUrl = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const writes: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void writes.push(t) } });
    try {
      fireEvent.click(screen.getByRole('button', { name: en.export }));
      fireEvent.click(screen.getByRole('menuitem', { name: en.exportJson }));
      expect(names[0]).toMatch(/^cors-failures-.*\.json$/);
      const doc = JSON.parse(await blobs[0]!.text());
      expect(doc.schema).toBe('cors-explainer/export');
      expect(doc.records.map((r: { id: string }) => r.id)).toEqual(records.map((r) => r.id));
      expect(doc.tabId).toBe(1);

      fireEvent.click(screen.getByRole('button', { name: en.export }));
      fireEvent.click(screen.getByRole('menuitem', { name: en.exportMarkdown }));
      expect(names[1]).toMatch(/\.md$/);
      const markdown = await blobs[1]!.text();
      expect(markdown).toContain(records[0]!.exchange.url);

      fireEvent.click(screen.getByRole('button', { name: en.export }));
      await act(async () => {
        fireEvent.click(screen.getByRole('menuitem', { name: en.copyMarkdown }));
      });
      expect(writes).toEqual([markdown]);
      expect(doc.generatedAt).toBe('2025-06-12T10:00:00.000Z');
    } finally {
      createUrl.mockRestore();
      click.mockRestore();
      vi.useRealTimers();
    }
  });
});

describe('detail', () => {
  const records = demoRecords();
  const preflighted = records.find((r) => r.diagnosis.reason === 'CORSMissingAllowHeaderFromPreflight')!;

  test('shows the verdict, evidence with deciding headers marked, fix, curl and the MDN link', () => {
    mount();
    openRow(preflighted);
    const pane = detail()!;
    const explanation = explain(preflighted, 'en');
    expect(within(pane).getByRole('heading', { level: 2 }).textContent).toBe(explanation.title);
    expect(pane.querySelector('.verdict')?.textContent).toBe(explanation.verdict);

    // Evidence: the request, the preflight and the actual response; the deciding header marked failing.
    expect(within(pane).getByText(en.preflight)).toBeTruthy();
    expect(within(pane).getByText(en.actualResponse)).toBeTruthy();
    const failing = pane.querySelectorAll('.card-preflight .headers tr.ev-fail th');
    expect(Array.from(failing).map((th) => th.textContent)).toEqual(['access-control-allow-headers']);
    const passing = pane.querySelectorAll('.card-preflight .headers tr.ev-ok th');
    const passed = preflighted.diagnosis.evidence.filter((e) => e.ok && e.stage === 'preflight' && !e.header.startsWith(':')).map((e) => e.header);
    expect(passed).toContain('access-control-allow-origin');
    expect(Array.from(passing).map((th) => th.textContent)).toEqual(passed);
    // Headers that did not decide anything stay unmarked.
    const vary = Array.from(pane.querySelectorAll('.card-preflight .headers tr')).find((tr) => tr.querySelector('th')?.textContent === 'vary');
    expect(vary?.className).toBeFalsy();
    const decidingRows = pane.querySelectorAll('table.deciding tbody tr');
    expect(decidingRows).toHaveLength(preflighted.diagnosis.evidence.length);

    // Fix: the exact header lines, one snippet per stack, the client alternative.
    const fix = buildFix(preflighted);
    const lines = fixHeaderLines(fix);
    const codes = Array.from(pane.querySelectorAll('pre code')).map((c) => c.textContent);
    if (lines.preflight) expect(codes).toContain(lines.preflight);
    if (lines.actual) expect(codes).toContain(lines.actual);
    expect(lines.preflight ?? lines.actual).toBeTruthy();
    const snippets = fixSnippets(preflighted, fix, 'en').filter((s) => s.stack !== 'headers');
    const stackSelect = within(pane).getByRole('combobox') as HTMLSelectElement;
    expect(Array.from(stackSelect.options).map((o) => o.value)).toEqual(snippets.map((s) => s.stack));
    expect(codes).toContain(snippets[0]!.code);
    const express = snippets.find((s) => s.stack === 'express')!;
    fireEvent.change(stackSelect, { target: { value: 'express' } });
    expect(Array.from(pane.querySelectorAll('pre code')).map((c) => c.textContent)).toContain(express.code);
    const client = clientAlternative(preflighted, fix, 'en');
    if (client) expect(pane.textContent).toContain(client.text);

    // curl for the preflight and the actual request.
    const curl = curlCommands(preflighted);
    expect(codes).toContain(curl.actual);
    expect(curl.preflight).toBeTruthy();
    expect(codes).toContain(curl.preflight);

    // Why, and the MDN link (the only link, to MDN).
    for (const p of explanation.why) expect(pane.textContent).toContain(p);
    const links = pane.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe(explanation.mdnUrl);
    expect(explanation.mdnUrl.startsWith('https://developer.mozilla.org/')).toBe(true);
  });

  test('the chosen server stack is remembered for the next failure', () => {
    mount();
    openRow(preflighted);
    fireEvent.change(within(detail()!).getByRole('combobox'), { target: { value: 'nginx' } });
    const other = records.find((r) => r.diagnosis.reason === 'CORSMethodNotFound')!;
    openRow(other);
    expect((within(detail()!).getByRole('combobox') as HTMLSelectElement).value).toBe('nginx');
  });

  test('an inferred diagnosis shows its certainty note and alternatives, which open the index', () => {
    const inferred = records.find((r) => r.diagnosis.certainty === 'inferred')!;
    mount({}, 'en', inferred.id);
    const pane = detail()!;
    const explanation = explain(inferred, 'en');
    if (explanation.certaintyNote) expect(pane.textContent).toContain(explanation.certaintyNote);
    const alternative = inferred.diagnosis.alternatives[0]!;
    fireEvent.click(within(pane).getByRole('button', { name: reasonTitle(alternative, 'en') }));
    const entry = document.getElementById(`reason-${alternative}`)!;
    expect(entry.classList.contains('focused')).toBe(true);
    expect(document.activeElement).toBe(entry);
  });

  test('clicking the reason title opens its index entry; Escape returns to the list', () => {
    mount({}, 'en', preflighted.id);
    fireEvent.click(within(detail()!).getByRole('button', { name: explain(preflighted, 'en').title }));
    expect(document.getElementById(`reason-${preflighted.diagnosis.reason}`)?.classList.contains('focused')).toBe(true);
    act(() => {
      document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    });
    expect(screen.queryByRole('heading', { name: en.indexTitle })).toBeNull();
    expect(rows().length).toBe(records.length);
  });

  test('Escape in a filled filter box is left to the box; in an empty one it closes the detail', () => {
    mount({}, 'en', records[0]!.id);
    const filter = screen.getByRole('searchbox', { name: en.filterLabel }) as HTMLInputElement;
    fireEvent.input(filter, { target: { value: 'api' } });
    const first = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    act(() => {
      filter.dispatchEvent(first);
    });
    expect(first.defaultPrevented).toBe(false);
    expect(detail()).not.toBeNull();
    fireEvent.input(filter, { target: { value: '' } });
    act(() => {
      filter.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    });
    expect(detail()).toBeNull();
  });

  test('the close button closes the detail', () => {
    mount({}, 'en', records[0]!.id);
    fireEvent.click(within(detail()!).getByRole('button', { name: en.closeDetail }));
    expect(detail()).toBeNull();
  });
});

describe('reason index', () => {
  test('lists every reason, unobservable ones marked, reachable from the toolbar', () => {
    mount();
    fireEvent.click(screen.getByRole('button', { name: en.reasonIndex }));
    const entries = document.querySelectorAll('.index-entry');
    expect(Array.from(entries).map((e) => e.id)).toEqual(REASON_IDS.map((id) => `reason-${id}`));
    const unobservable = Array.from(document.querySelectorAll('.index-entry.unobservable')).map((e) => e.id.replace('reason-', ''));
    expect(unobservable.sort()).toEqual(['CORSDisabled', 'CORSOriginHeaderNotAdded', 'CORSRequestNotHttp']);
    for (const a of document.querySelectorAll('a')) expect(a.getAttribute('href')?.startsWith('https://developer.mozilla.org/')).toBe(true);
  });

  test('"N in this tab" filters the list to that reason', () => {
    const records = demoRecords();
    mount();
    fireEvent.click(screen.getByRole('button', { name: en.reasonIndex }));
    const entry = document.getElementById('reason-CORSMissingAllowOrigin')!;
    const n = records.filter((r) => r.diagnosis.reason === 'CORSMissingAllowOrigin').length;
    fireEvent.click(within(entry).getByRole('button', { name: en.inThisTab(n) }));
    expect(rows()).toHaveLength(n);
  });
});

describe('locales', () => {
  test('Japanese UI strings and content', () => {
    const records = demoRecords();
    mount({}, 'ja', records[0]!.id);
    const ja = UI_STRINGS.ja;
    expect(screen.getByRole('button', { name: ja.clear })).toBeTruthy();
    expect(screen.getByText(ja.preserveLog)).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: ja.filterLabel }).getAttribute('placeholder')).toBe(ja.filterPlaceholder);
    expect(screen.getByText(ja.colReason)).toBeTruthy();
    expect(screen.getByRole('heading', { name: ja.fix })).toBeTruthy();
    expect(document.querySelector('.verdict')?.textContent).toBe(explain(records[0]!, 'ja').verdict);
    expect(screen.getByRole('status').textContent).toContain(ja.count(records.length, records.length));
  });

  test('French empty state', () => {
    mount({ records: [] }, 'fr');
    expect(screen.getByText(UI_STRINGS.fr.emptyTitle)).toBeTruthy();
  });

  test('every UI string exists in every locale and is translated', () => {
    const keys = Object.keys(en) as Array<keyof typeof en>;
    for (const locale of ['ja', 'fr'] as const) {
      const strings = UI_STRINGS[locale];
      expect(Object.keys(strings).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const value = strings[key];
        const samples =
          typeof value === 'function' ? [(value as (...a: unknown[]) => string)(3, 7)] : typeof value === 'object' ? Object.values(value) : [value];
        if (typeof value === 'object') expect(Object.keys(value).sort(), `${locale}.${key}`).toEqual(Object.keys(en[key] as object).sort());
        for (const sample of samples) {
          expect(typeof sample, `${locale}.${key}`).toBe('string');
          // Japanese joins sentences without a space.
          if (key !== 'sentenceJoiner') expect((sample as string).length, `${locale}.${key}`).toBeGreaterThan(0);
        }
      }
    }
    const same = keys.filter((k) => typeof en[k] === 'string' && en[k] === UI_STRINGS.ja[k]);
    // Only words that are the same in both (URL) may stay untranslated.
    expect(same).toEqual(['colUrl', 'requestUrl']);
  });
});

describe('splitter', () => {
  test('arrow keys resize the list beside the detail, within bounds, and the size is remembered', () => {
    const records = demoRecords();
    mount({}, 'en', records[0]!.id);
    const handle = screen.getByRole('separator', { name: en.resizeDetail });
    const pane = () => document.querySelector<HTMLElement>('.list-pane')!.style.flexBasis;
    expect(pane()).toBe('42%');
    fireEvent.keyDown(handle, { key: 'ArrowRight' });
    expect(pane()).toBe('44%');
    fireEvent.keyDown(handle, { key: 'End' });
    expect(pane()).toBe('80%');
    fireEvent.keyDown(handle, { key: 'ArrowRight', shiftKey: true });
    expect(pane()).toBe('80%');
    fireEvent.keyDown(handle, { key: 'Home' });
    expect(handle.getAttribute('aria-valuenow')).toBe('20');
    cleanup();
    mount({}, 'en', records[0]!.id);
    expect(pane()).toBe('20%');
  });
});
