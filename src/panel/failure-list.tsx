/**
 * The list of failures: one fixed-height row per record, virtualised (virtual.ts). Keyboard: Up/Down,
 * Home/End, PageUp/PageDown move the selection; Enter opens the detail. The list is one focusable listbox
 * whose active row is announced through aria-activedescendant, so only rendered rows need to exist.
 */
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { CorsRecord } from '../cors/record.ts';
import { isWarningReason } from '../cors/reasons.ts';
import { reasonTitle, stageLabel } from '../explain/index.ts';
import type { Locale } from '../explain/types.ts';
import { formatTime, shortUrl } from './format.ts';
import type { UiStrings } from './i18n.ts';
import { StageBadge, WarningIcon, ErrorIcon } from './widgets.tsx';
import { useFixedVirtual } from './virtual.ts';

export const ROW_HEIGHT = 22;
const HEADER_HEIGHT = 22;

export interface FailureListProps {
  records: CorsRecord[];
  locale: Locale;
  strings: UiStrings;
  selectedId: string | undefined;
  onSelect(id: string): void;
  onOpen(id: string): void;
  listRef?: { current: HTMLDivElement | null };
}

export function rowDomId(id: string): string {
  return `row-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function FailureList({ records, locale, strings, selectedId, onSelect, onOpen, listRef }: FailureListProps): JSX.Element {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useFixedVirtual(scrollRef, records.length, ROW_HEIGHT, HEADER_HEIGHT);
  const selectedIndex = selectedId === undefined ? -1 : records.findIndex((r) => r.id === selectedId);

  // New records keep the view pinned to the end when it was there (like DevTools' Network panel).
  const pinned = useRef(true);
  const previousCount = useRef(0);
  useLayoutEffect(() => {
    if (records.length > previousCount.current && pinned.current && selectedIndex < 0) virtual.scrollToEnd();
    previousCount.current = records.length;
  }, [records.length]);
  useEffect(() => {
    pinned.current = virtual.atEnd;
  }, [virtual.atEnd]);

  // Keep the selected row in view when the selection moves.
  useLayoutEffect(() => {
    if (selectedIndex >= 0) virtual.scrollToIndex(selectedIndex);
  }, [selectedIndex]);

  const move = (index: number) => {
    const record = records[Math.max(0, Math.min(records.length - 1, index))];
    if (record) onSelect(record.id);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const from = selectedIndex;
    switch (event.key) {
      case 'ArrowDown':
        move(from < 0 ? 0 : from + 1);
        break;
      case 'ArrowUp':
        move(from < 0 ? records.length - 1 : from - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(records.length - 1);
        break;
      case 'PageDown':
        move(from < 0 ? virtual.pageSize : from + virtual.pageSize);
        break;
      case 'PageUp':
        move(from < 0 ? 0 : from - virtual.pageSize);
        break;
      case 'Enter':
      case ' ':
        if (selectedId !== undefined) onOpen(selectedId);
        else move(0);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const rows: JSX.Element[] = [];
  for (let i = virtual.start; i < virtual.end; i++) {
    const record = records[i];
    if (record) rows.push(<Row key={record.id} record={record} index={i} locale={locale} strings={strings} selected={i === selectedIndex} onOpen={onOpen} />);
  }

  return (
    <div
      class="list"
      ref={(el) => {
        scrollRef.current = el;
        if (listRef) listRef.current = el;
      }}
      role="listbox"
      tabIndex={0}
      aria-label={strings.listLabel}
      aria-activedescendant={selectedIndex >= 0 && selectedId !== undefined ? rowDomId(selectedId) : undefined}
      onKeyDown={onKeyDown}
    >
      <div class="list-head row-grid" aria-hidden="true">
        <span class="c-time">{strings.colTime}</span>
        <span class="c-method">{strings.colMethod}</span>
        <span class="c-url">{strings.colUrl}</span>
        <span class="c-type">{strings.colType}</span>
        <span class="c-reason">{strings.colReason}</span>
        <span class="c-stage">{strings.colStage}</span>
      </div>
      <div class="list-body" style={{ height: `${virtual.totalHeight}px` }}>
        <div class="list-window" style={{ transform: `translateY(${virtual.start * ROW_HEIGHT}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  record: CorsRecord;
  index: number;
  locale: Locale;
  strings: UiStrings;
  selected: boolean;
  onOpen(id: string): void;
}

function Row({ record, index, locale, strings, selected, onOpen }: RowProps): JSX.Element {
  const { exchange, diagnosis } = record;
  const warning = isWarningReason(diagnosis.reason);
  const title = reasonTitle(diagnosis.reason, locale);
  const inferred = diagnosis.certainty === 'inferred';
  return (
    // The listbox owns focus and keys (aria-activedescendant); rows are pointer targets only.
    // biome-ignore lint/a11y/useFocusableInteractive: options of an aria-activedescendant listbox are not focusable
    // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keyboard for every row
    <div
      id={rowDomId(record.id)}
      class={`row row-grid${selected ? ' selected' : ''}${warning ? ' warning' : ''}${index % 2 ? ' odd' : ''}`}
      role="option"
      aria-selected={selected}
      data-id={record.id}
      onClick={() => onOpen(record.id)}
    >
      <span class="c-time">{formatTime(exchange.startedAt)}</span>
      <span class="c-method">{exchange.method}</span>
      <span class="c-url" title={exchange.url}>
        {shortUrl(exchange.url)}
      </span>
      <span class="c-type">{strings.typeNames[exchange.type] ?? exchange.type}</span>
      <span class="c-reason" title={inferred ? `${title} (${strings.inferredBadge})` : title}>
        {warning ? <WarningIcon label={strings.warningBadge} /> : <ErrorIcon />}
        <span class="reason-text">{title}</span>
        {inferred ? <span class="tag tag-inferred">{strings.inferredBadge}</span> : null}
      </span>
      <span class="c-stage" title={stageLabel(diagnosis.stage, locale)}>
        <StageBadge stage={diagnosis.stage} label={strings.stageShort[diagnosis.stage]} />
      </span>
    </div>
  );
}
