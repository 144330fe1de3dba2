/**
 * Every reason, observable or not, in REASON_IDS order: title, the browser-facing id, a summary, why the
 * browser blocks it, and the MDN page. Opening the index on one reason scrolls to it and focuses it.
 */
import type { JSX } from 'preact';
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { ReasonId } from '../cors/reasons.ts';
import { reasonIndex } from '../explain/index.ts';
import type { Locale } from '../explain/types.ts';
import { safeMdnHref } from './detail.tsx';
import type { UiStrings } from './i18n.ts';
import { ErrorIcon, ExternalIcon, WarningIcon } from './widgets.tsx';

export interface ReasonIndexProps {
  locale: Locale;
  strings: UiStrings;
  focus?: ReasonId;
  /** How many records of each reason the tab has. */
  counts: ReadonlyMap<ReasonId, number>;
  onBack(): void;
  onShowReason(id: ReasonId): void;
}

export function indexEntryDomId(id: ReasonId): string {
  return `reason-${id}`;
}

export function ReasonIndex({ locale, strings, focus, counts, onBack, onShowReason }: ReasonIndexProps): JSX.Element {
  const entries = useMemo(() => reasonIndex(locale), [locale]);
  const root = useRef<HTMLElement>(null);

  useLayoutEffect(() => {
    const entry = focus ? document.getElementById(indexEntryDomId(focus)) : null;
    if (entry) {
      entry.scrollIntoView?.({ block: 'start' });
      entry.focus({ preventScroll: true });
      return;
    }
    root.current?.parentElement?.scrollTo?.(0, 0);
    root.current?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }, [focus]);

  return (
    <section class="index" ref={root} aria-labelledby="index-title">
      <div class="index-head">
        <button type="button" class="btn" onClick={onBack}>
          <span aria-hidden="true">←</span> {strings.back}
        </button>
      </div>
      <h2 id="index-title" tabIndex={-1}>
        {strings.indexTitle}
      </h2>
      <p class="index-intro">{strings.indexIntro}</p>
      <ol class="index-list">
        {entries.map((entry) => {
          const href = safeMdnHref(entry.mdnUrl);
          const count = counts.get(entry.id) ?? 0;
          return (
            <li key={entry.id} id={indexEntryDomId(entry.id)} tabIndex={-1} class={`index-entry${entry.id === focus ? ' focused' : ''}${entry.observable ? '' : ' unobservable'}`}>
              <div class="index-entry-head">
                {entry.warning ? <WarningIcon label={strings.warningReason} /> : <ErrorIcon />}
                <h3>{entry.title}</h3>
                <code class="reason-id">{entry.id}</code>
                {!entry.observable ? (
                  <span class="tag tag-unobservable" title={strings.notObservableNote}>
                    {strings.notObservable}
                  </span>
                ) : null}
                {count > 0 ? (
                  <button type="button" class="link-button count-link" onClick={() => onShowReason(entry.id)}>
                    {strings.inThisTab(count)}
                  </button>
                ) : null}
              </div>
              <p class="index-summary">{entry.summary}</p>
              {entry.why.length > 0 ? <p class="index-why">{entry.why.join(strings.sentenceJoiner)}</p> : null}
              {!entry.observable ? <p class="muted">{strings.notObservableNote}</p> : null}
              {href ? (
                <a class="mdn-link" href={href} target="_blank" rel="noopener noreferrer">
                  {strings.learnMore}
                  <ExternalIcon />
                </a>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
