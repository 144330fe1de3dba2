/**
 * The CORS panel: toolbar, list of failures, detail of the selected one, reason index, export.
 * It receives its data through a PanelSource (dependency injection): the extension's port in the real panel,
 * recorded records in tests and in the plain-page shell.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { CorsRecord } from '../cors/record.ts';
import { REASON_IDS, type ReasonId } from '../cors/reasons.ts';
import { buildExport, reasonTitle, stageLabel, toMarkdown } from '../explain/index.ts';
import type { Locale } from '../explain/types.ts';
import { copyText, downloadText } from './clipboard.ts';
import { Detail } from './detail.tsx';
import { FailureList } from './failure-list.tsx';
import { type UiStrings, uiStrings } from './i18n.ts';
import { ReasonIndex } from './reason-index.tsx';
import type { PanelSource } from './source.ts';
import { Splitter, useSplit } from './splitter.tsx';
import { INITIAL_DATA, reduceData } from './state.ts';
import { BookIcon, ClearIcon, ExportIcon } from './widgets.tsx';
import './panel.css';

export interface AppProps {
  source: PanelSource;
  locale: Locale;
  /** Start with this record selected (and its detail open): for the shell and tests. */
  initialSelectedId?: string;
  initialDetailOpen?: boolean;
}

type View = { kind: 'list' } | { kind: 'index'; focus?: ReasonId };

export function App({ source, locale, initialSelectedId, initialDetailOpen = false }: AppProps): JSX.Element {
  const strings = uiStrings(locale);
  const [data, dispatch] = useReducer(reduceData, INITIAL_DATA);
  const [filter, setFilter] = useState('');
  const [reason, setReason] = useState<ReasonId | ''>('');
  const [selectedId, setSelectedId] = useState<string | undefined>(initialSelectedId);
  const [detailOpen, setDetailOpen] = useState(initialDetailOpen);
  const [view, setView] = useState<View>({ kind: 'list' });
  const listRef = useRef<HTMLDivElement | null>(null);
  const [split, setSplit] = useSplit();

  useLayoutEffect(
    () =>
      source.subscribe({
        message: dispatch,
        status: (status) => dispatch({ type: 'status', payload: status }),
      }),
    [source],
  );

  const { records } = data;
  const visible = useMemo(() => filterRecords(records, filter, reason, locale), [records, filter, reason, locale]);
  const counts = useMemo(() => {
    const map = new Map<ReasonId, number>();
    for (const r of records) map.set(r.diagnosis.reason, (map.get(r.diagnosis.reason) ?? 0) + 1);
    return map;
  }, [records]);
  const selected = useMemo(() => (selectedId === undefined ? undefined : records.find((r) => r.id === selectedId)), [records, selectedId]);
  const showDetail = detailOpen && selected !== undefined;

  const focusList = () => requestAnimationFrame(() => listRef.current?.focus());

  const open = useCallback((id: string) => {
    setSelectedId(id);
    setDetailOpen(true);
  }, []);

  const closeDetail = useCallback(() => {
    setDetailOpen(false);
    focusList();
  }, []);

  const openIndex = useCallback((focus?: ReasonId) => setView(focus ? { kind: 'index', focus } : { kind: 'index' }), []);
  const closeIndex = useCallback(() => {
    setView({ kind: 'list' });
    focusList();
  }, []);

  // Escape closes the innermost thing open. It is handled before DevTools' own listener (which toggles the
  // console drawer) only when it closed something here.
  const escapeState = useRef({ view, showDetail });
  escapeState.current = { view, showDetail };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest?.('[data-escape-local]')) return;
      // In a filled search box, Escape clears the box first (its native behaviour).
      if (target instanceof HTMLInputElement && target.type === 'search' && target.value !== '') return;
      const { view: v, showDetail: d } = escapeState.current;
      if (v.kind === 'index') closeIndex();
      else if (d) closeDetail();
      else return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [closeDetail, closeIndex]);

  const exportMeta = useCallback(
    () => ({
      tabId: source.meta.tabId,
      pageUrl: lastPageUrl(records),
      dropped: data.dropped,
      engine: source.meta.engine,
      generatedAt: new Date().toISOString(),
      extensionVersion: source.meta.extensionVersion,
    }),
    [source, records, data.dropped],
  );

  const onClear = () => {
    source.clear();
    dispatch({ type: 'cleared', payload: { tabId: source.meta.tabId } });
    setSelectedId(undefined);
    setDetailOpen(false);
  };

  const onPreserve = (preserveLog: boolean) => {
    dispatch({ type: 'local-settings', payload: { preserveLog } });
    source.setSettings({ preserveLog });
  };

  const clearFilters = () => {
    setFilter('');
    setReason('');
  };

  return (
    <div class={`app${showDetail ? ' with-detail' : ''}`} lang={locale}>
      <Toolbar
        strings={strings}
        locale={locale}
        filter={filter}
        onFilter={setFilter}
        reason={reason}
        onReason={setReason}
        counts={counts}
        total={records.length}
        preserveLog={data.settings.preserveLog}
        onPreserve={onPreserve}
        onClear={onClear}
        indexOpen={view.kind === 'index'}
        onToggleIndex={() => (view.kind === 'index' ? closeIndex() : openIndex())}
        onExportJson={() => downloadText(`cors-failures-${fileStamp()}.json`, `${JSON.stringify(buildExport(visible, exportMeta()), null, 2)}\n`, 'application/json')}
        onExportMarkdown={() => downloadText(`cors-failures-${fileStamp()}.md`, toMarkdown(visible, locale, exportMeta()), 'text/markdown')}
        onCopyMarkdown={() => copyText(toMarkdown(visible, locale, exportMeta()))}
        canExport={visible.length > 0}
      />
      {view.kind === 'index' ? (
        <main class="main main-index">
          <ReasonIndex
            locale={locale}
            strings={strings}
            focus={view.focus}
            counts={counts}
            onBack={closeIndex}
            onShowReason={(id) => {
              setFilter('');
              setReason(id);
              closeIndex();
            }}
          />
        </main>
      ) : (
        <main class="main">
          <div class="list-pane" style={showDetail ? { flexBasis: `${split}%` } : undefined}>
            {!data.loaded ? null : records.length === 0 ? (
              <EmptyState strings={strings} devtoolsOnly={data.settings.scope === 'devtools-open'} onOpenIndex={() => openIndex()} />
            ) : visible.length === 0 ? (
              <div class="empty">
                <p class="empty-title">{strings.noMatch}</p>
                <button type="button" class="btn" onClick={clearFilters}>
                  {strings.clearFilter}
                </button>
              </div>
            ) : (
              <FailureList records={visible} locale={locale} strings={strings} selectedId={selectedId} onSelect={(id) => setSelectedId(id)} onOpen={open} listRef={listRef} />
            )}
          </div>
          {showDetail && selected ? <Splitter split={split} onSplit={setSplit} label={strings.resizeDetail} /> : null}
          {showDetail && selected ? (
            <aside class="detail-pane" aria-label={strings.detailLabel}>
              <Detail record={selected} locale={locale} strings={strings} onClose={closeDetail} onOpenReason={(id) => openIndex(id)} exportMeta={exportMeta} />
            </aside>
          ) : null}
        </main>
      )}
      <StatusBar strings={strings} shown={visible.length} total={records.length} dropped={data.dropped} status={data.status} loaded={data.loaded} />
    </div>
  );
}

interface ToolbarProps {
  strings: UiStrings;
  locale: Locale;
  filter: string;
  onFilter(value: string): void;
  reason: ReasonId | '';
  onReason(value: ReasonId | ''): void;
  counts: ReadonlyMap<ReasonId, number>;
  total: number;
  preserveLog: boolean;
  onPreserve(value: boolean): void;
  onClear(): void;
  indexOpen: boolean;
  onToggleIndex(): void;
  onExportJson(): void;
  onExportMarkdown(): void;
  onCopyMarkdown(): Promise<boolean>;
  canExport: boolean;
}

function Toolbar(props: ToolbarProps): JSX.Element {
  const { strings, locale, counts, reason } = props;
  const reasonsShown = REASON_IDS.filter((id) => counts.has(id) || id === reason);
  return (
    <div class="toolbar" role="toolbar" aria-label={strings.toolbarLabel}>
      <button type="button" class="icon-button" onClick={props.onClear} title={strings.clearTitle} aria-label={strings.clear}>
        <ClearIcon />
      </button>
      <span class="toolbar-divider" />
      <input
        class="filter"
        type="search"
        value={props.filter}
        placeholder={strings.filterPlaceholder}
        aria-label={strings.filterLabel}
        spellcheck={false}
        autocomplete="off"
        onInput={(e) => props.onFilter((e.currentTarget as HTMLInputElement).value)}
      />
      <select class="reason-filter" value={reason} aria-label={strings.reasonFilterLabel} onChange={(e) => props.onReason((e.currentTarget as HTMLSelectElement).value as ReasonId | '')}>
        <option value="">{strings.allReasons}</option>
        {reasonsShown.map((id) => (
          <option key={id} value={id}>
            {`${reasonTitle(id, locale)} (${counts.get(id) ?? 0})`}
          </option>
        ))}
      </select>
      <span class="toolbar-divider" />
      <label class="check" title={strings.preserveLogTitle}>
        <input type="checkbox" checked={props.preserveLog} onChange={(e) => props.onPreserve((e.currentTarget as HTMLInputElement).checked)} />
        <span>{strings.preserveLog}</span>
      </label>
      <span class="spacer" />
      <button
        type="button"
        class={`btn toolbar-btn${props.indexOpen ? ' active' : ''}`}
        aria-pressed={props.indexOpen}
        aria-label={strings.reasonIndex}
        title={strings.reasonIndexTitle}
        onClick={props.onToggleIndex}
      >
        <BookIcon />
        <span class="btn-label">{strings.reasonIndex}</span>
      </button>
      <ExportMenu strings={strings} disabled={!props.canExport} onJson={props.onExportJson} onMarkdown={props.onExportMarkdown} onCopy={props.onCopyMarkdown} />
    </div>
  );
}

function ExportMenu({ strings, disabled, onJson, onMarkdown, onCopy }: { strings: UiStrings; disabled: boolean; onJson(): void; onMarkdown(): void; onCopy(): Promise<boolean> }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | undefined>(undefined);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLButtonElement>('[role=menuitem]')?.focus();
    const onPointer = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, [open]);

  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(undefined), 1600);
    return () => clearTimeout(timer);
  }, [note]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const items = Array.from(root.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? []);
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
      next?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  const run = (action: () => void) => () => {
    action();
    close();
  };

  return (
    <div class="menu-root" ref={root} data-escape-local={open ? '' : undefined}>
      <button
        type="button"
        ref={button}
        class="btn toolbar-btn"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={strings.export}
        disabled={disabled}
        title={strings.exportTitle}
        onClick={() => setOpen(!open)}
      >
        <ExportIcon />
        <span class="btn-label" aria-live="polite">
          {note ?? strings.export}
        </span>
      </button>
      {open ? (
        <div class="menu" role="menu" aria-label={strings.export} onKeyDown={onMenuKey}>
          <button type="button" role="menuitem" onClick={run(onJson)}>
            {strings.exportJson}
          </button>
          <button type="button" role="menuitem" onClick={run(onMarkdown)}>
            {strings.exportMarkdown}
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={async () => {
              const ok = await onCopy();
              setNote(ok ? strings.copied : strings.copyFailed);
              close();
            }}
          >
            {strings.copyMarkdown}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function EmptyState({ strings, devtoolsOnly, onOpenIndex }: { strings: UiStrings; devtoolsOnly: boolean; onOpenIndex(): void }): JSX.Element {
  return (
    <div class="empty">
      <p class="empty-title">{strings.emptyTitle}</p>
      <p class="empty-body">{devtoolsOnly ? strings.emptyBodyDevtoolsOnly : strings.emptyBody}</p>
      <p class="empty-hint">
        {strings.emptyHint}{' '}
        <button type="button" class="link-button" onClick={onOpenIndex}>
          {strings.emptyIndexLink}
        </button>
      </p>
    </div>
  );
}

function StatusBar({ strings, shown, total, dropped, status, loaded }: { strings: UiStrings; shown: number; total: number; dropped: number; status: string; loaded: boolean }): JSX.Element {
  // A service-worker restart reconnects within milliseconds: only say so when it takes noticeably longer.
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (status !== 'reconnecting') {
      setSlow(false);
      return;
    }
    const timer = setTimeout(() => setSlow(true), 1000);
    return () => clearTimeout(timer);
  }, [status]);
  return (
    <div class="statusbar" role="status">
      <span class="count">{loaded ? strings.count(shown, total) : ''}</span>
      {dropped > 0 ? <span class="dropped">{strings.dropped(dropped)}</span> : null}
      <span class="spacer" />
      {status === 'disconnected' ? <span class="conn conn-lost">{strings.disconnected}</span> : slow ? <span class="conn">{strings.reconnecting}</span> : null}
    </div>
  );
}

/** Text terms (all must match, case-insensitive) against what a developer would type, and the reason select. */
export function filterRecords(records: CorsRecord[], text: string, reason: ReasonId | '', locale: Locale): CorsRecord[] {
  const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0 && !reason) return records;
  const titles = new Map<ReasonId, string>();
  const stages = new Map<string, string>();
  return records.filter((record) => {
    const d = record.diagnosis;
    if (reason && d.reason !== reason) return false;
    if (terms.length === 0) return true;
    let title = titles.get(d.reason);
    if (title === undefined) {
      title = reasonTitle(d.reason, locale);
      titles.set(d.reason, title);
    }
    let stage = stages.get(d.stage);
    if (stage === undefined) {
      stage = stageLabel(d.stage, locale);
      stages.set(d.stage, stage);
    }
    const e = record.exchange;
    const hay = [e.method, e.url, e.type, e.initiator ?? '', d.reason, d.engineName, title, stage, d.culprit?.name ?? '', d.culprit?.value ?? '', ...d.evidence.map((x) => x.header)]
      .join('\n')
      .toLowerCase();
    return terms.every((t) => hay.includes(t));
  });
}

function lastPageUrl(records: CorsRecord[]): string | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const url = records[i]?.exchange.documentUrl;
    if (url) return url;
  }
  return undefined;
}

function fileStamp(): string {
  return new Date().toISOString().replace(/[:]/g, '').replace(/\..*$/, '').replace('T', '-');
}
