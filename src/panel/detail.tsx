/**
 * The detail of one failure, in the order a developer needs it: the verdict, what else it could be, the
 * findings that change the story, the evidence (request, preflight and actual response side by side, deciding
 * headers highlighted), the fix (headers to send, snippets per server stack, the client-side alternative),
 * why the browser blocks it, and how to reproduce it with curl.
 *
 * Every header value, URL and error string is rendered as a Preact text node. The only link is the MDN page
 * built by mdnLink, and it is checked again before it becomes an href.
 */
import { Component, type ComponentChildren, type JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { Evidence } from '../cors/diagnosis.ts';
import type { HeaderList } from '../cors/exchange.ts';
import type { CorsRecord } from '../cors/record.ts';
import { isWarningReason, type ReasonId } from '../cors/reasons.ts';
import {
  buildFix,
  clientAlternative,
  curlCommands,
  explain,
  fixHeaderLines,
  fixSnippets,
  fixSteps,
  likelyStack,
  reasonTitle,
  stageLabel,
  toMarkdown,
} from '../explain/index.ts';
import { headerValue } from '../explain/request-facts.ts';
import type { Locale, ServerStack, Snippet } from '../explain/types.ts';
import type { UiStrings } from './i18n.ts';
import { CloseIcon, CodeBlock, CopyButton, ErrorIcon, ExternalIcon, LongText, OkIcon, StageBadge, WarningIcon } from './widgets.tsx';

export interface DetailProps {
  record: CorsRecord;
  locale: Locale;
  strings: UiStrings;
  onClose(): void;
  onOpenReason(id: ReasonId): void;
  /** Meta for the per-failure Markdown copy. */
  exportMeta: () => Parameters<typeof toMarkdown>[2];
}

const MDN_ORIGIN = 'https://developer.mozilla.org/';

/** Only MDN links become hrefs; anything else is dropped. */
export function safeMdnHref(url: string | undefined): string | undefined {
  if (typeof url !== 'string' || !url.startsWith(MDN_ORIGIN)) return undefined;
  try {
    return new URL(url).origin === 'https://developer.mozilla.org' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function Detail(props: DetailProps): JSX.Element {
  return (
    <DetailBoundary key={props.record.id} strings={props.strings} onClose={props.onClose}>
      <DetailBody {...props} />
    </DetailBoundary>
  );
}

function DetailBody({ record, locale, strings, onClose, onOpenReason, exportMeta }: DetailProps): JSX.Element {
  const { exchange, diagnosis } = record;
  const explanation = useMemo(() => explain(record, locale), [record, locale]);
  const fix = useMemo(() => buildFix(record), [record]);
  const headerLines = useMemo(() => fixHeaderLines(fix), [fix]);
  // The plain "headers" snippet repeats the header lines shown just above it: offer the server stacks.
  const serverSnippets = useMemo(() => fixSnippets(record, fix, locale).filter((s) => s.stack !== 'headers'), [record, fix, locale]);
  const client = useMemo(() => clientAlternative(record, fix, locale), [record, fix, locale]);
  const steps = useMemo(() => fixSteps(record, fix, locale), [record, fix, locale]);
  const detected = useMemo(() => likelyStack(record), [record]);
  const curl = useMemo(() => curlCommands(record), [record]);
  const warning = isWarningReason(diagnosis.reason);
  const primary = explanation.findings.filter((f) => f.severity === 'primary');
  const info = explanation.findings.filter((f) => f.severity !== 'primary');
  const mdnHref = safeMdnHref(explanation.mdnUrl);
  const inferred = diagnosis.certainty === 'inferred';

  return (
    <article class={`detail-body${warning ? ' is-warning' : ''}`} aria-labelledby="detail-title">
      <header class="detail-head">
        <div class="detail-title-row">
          {warning ? <WarningIcon label={strings.warningBadge} /> : <ErrorIcon />}
          <h2 id="detail-title" class="detail-title">
            <button type="button" class="title-link" title={strings.openInIndex} onClick={() => onOpenReason(diagnosis.reason)}>
              {explanation.title}
            </button>
          </h2>
          <button type="button" class="icon-button" aria-label={strings.closeDetail} title={strings.closeDetail} onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
        <div class="detail-sub">
          <StageBadge stage={diagnosis.stage} label={stageLabel(diagnosis.stage, locale)} />
          {inferred ? <span class="tag tag-inferred">{strings.inferred}</span> : null}
          <span class="mono method">{exchange.method}</span>
          <span class="mono url" title={exchange.url}>
            {exchange.url.length > 300 ? `${exchange.url.slice(0, 300)}…` : exchange.url}
          </span>
        </div>
      </header>

      <p class="verdict">{explanation.verdict}</p>

      {inferred && (explanation.certaintyNote || diagnosis.alternatives.length > 0) ? (
        <div class="callout callout-inferred">
          {explanation.certaintyNote ? <p>{explanation.certaintyNote}</p> : null}
          {diagnosis.alternatives.length > 0 ? (
            <p class="alternatives">
              <span>{strings.alsoPossible}: </span>
              {diagnosis.alternatives.map((id, i) => (
                <span key={id}>
                  {i > 0 ? strings.listSeparator : null}
                  <button type="button" class="link-button" onClick={() => onOpenReason(id)}>
                    {reasonTitle(id, locale)}
                  </button>
                </span>
              ))}
            </p>
          ) : null}
        </div>
      ) : null}

      {primary.length > 0 ? (
        <ul class="findings findings-primary">
          {primary.map((f, i) => (
            <li key={i}>{f.text}</li>
          ))}
        </ul>
      ) : null}

      <Section title={strings.fix} id="fix">
        {steps.length > 0 ? (
          <ul class="fix-steps">
            {steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
        ) : null}
        <FixHeaders lines={headerLines} status={fix.preflight?.status ?? 204} strings={strings} quiet={steps.length > 0} />
        {serverSnippets.length > 0 && (headerLines.preflight || headerLines.actual) ? (
          <Snippets snippets={serverSnippets} detected={detected} strings={strings} />
        ) : null}
        {client ? (
          <div class="fix-client">
            <h4>{strings.fixClient}</h4>
            <p>{client.text}</p>
            {client.code ? <CodeBlock code={client.code} what={strings.fixClient} strings={strings} /> : null}
          </div>
        ) : null}
      </Section>

      <Section title={strings.evidence} id="evidence">
        <DecidingTable evidence={diagnosis.evidence} locale={locale} strings={strings} />
        <RequestCard record={record} strings={strings} />
        <div class="exchange-grid">
          {exchange.preflight ? <PreflightCard record={record} strings={strings} /> : null}
          <ActualCard record={record} strings={strings} />
        </div>
      </Section>


      {explanation.why.length > 0 ? (
        <Section title={strings.whyBlocked} id="why">
          <p>{explanation.why.join(strings.sentenceJoiner)}</p>
        </Section>
      ) : null}

      {explanation.preflightWhy ? (
        <Section title={strings.whyPreflight} id="preflight-why">
          <p>{explanation.preflightWhy}</p>
        </Section>
      ) : null}

      {info.length > 0 ? (
        <Section title={strings.notes} id="notes">
          <ul class="findings">
            {info.map((f, i) => (
              <li key={i}>{f.text}</li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section title={strings.curl} id="curl">
        {curl.preflight ? <CodeBlock code={curl.preflight} what={`curl ${strings.curlPreflight}`} strings={strings} language="shell" actions={<span class="code-label">{strings.curlPreflight}</span>} /> : null}
        <CodeBlock code={curl.actual} what={`curl ${strings.curlActual}`} strings={strings} language="shell" actions={<span class="code-label">{strings.curlActual}</span>} />
      </Section>

      <footer class="detail-foot">
        {mdnHref ? (
          <a class="mdn-link" href={mdnHref} target="_blank" rel="noopener noreferrer">
            {strings.learnMore}
            <ExternalIcon />
          </a>
        ) : null}
        <span class="engine-name mono" title={strings.engineName(diagnosis.engineName)}>
          {diagnosis.engineName}
        </span>
        <span class="spacer" />
        <CopyButton text={() => toMarkdown([record], locale, exportMeta())} what="Markdown" strings={strings} label={strings.copyMarkdown} />
      </footer>
    </article>
  );
}

function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }): JSX.Element {
  return (
    <section class={`section section-${id}`} aria-labelledby={`section-${id}`}>
      <h3 id={`section-${id}`}>{title}</h3>
      {children}
    </section>
  );
}

function DecidingTable({ evidence, locale, strings }: { evidence: Evidence[]; locale: Locale; strings: UiStrings }): JSX.Element | null {
  if (evidence.length === 0) return null;
  const mixedStages = new Set(evidence.map((e) => e.stage)).size > 1;
  return (
    <div class="table-wrap">
      <table class="deciding">
        <caption>{strings.decidingHeaders}</caption>
        <thead>
          <tr>
            <th scope="col">{strings.colHeader}</th>
            <th scope="col">{strings.colReceived}</th>
            <th scope="col">{strings.colNeeded}</th>
          </tr>
        </thead>
        <tbody>
          {evidence.map((e, i) => (
            <tr key={i} class={e.ok ? 'ev-ok' : 'ev-fail'}>
              <th scope="row">
                <span class="result" title={e.ok ? strings.passed : strings.failed}>
                  {e.ok ? <OkIcon /> : <ErrorIcon />}
                  <span class="sr-only">{e.ok ? strings.passed : strings.failed}</span>
                </span>
                <span class="mono header-name">{e.header === ':status' ? strings.status : headerDisplayName(e.header)}</span>
                {mixedStages ? <span class="stage-note">{stageLabel(e.stage, locale)}</span> : null}
              </th>
              <td class="mono">{e.got === null ? <span class="absent">{strings.absent}</span> : <LongText value={e.got} strings={strings} />}</td>
              <td class="mono">
                <LongText value={e.needed} strings={strings} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `access-control-allow-origin` → `Access-Control-Allow-Origin`; pseudo-names (`:status`) stay. */
export function headerDisplayName(name: string): string {
  if (name.startsWith(':')) return name;
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function RequestCard({ record, strings }: { record: CorsRecord; strings: UiStrings }): JSX.Element {
  const { exchange } = record;
  const origin = headerValue(exchange.requestHeaders, 'origin') ?? exchange.initiator;
  return (
    <div class="card card-request">
      <h4>{strings.request}</h4>
      <dl class="facts">
        <dt>{strings.requestMethod}</dt>
        <dd class="mono">{exchange.method}</dd>
        <dt>{strings.requestUrl}</dt>
        <dd class="mono">
          <LongText value={exchange.url} strings={strings} />
        </dd>
        {origin !== undefined ? (
          <>
            <dt>{strings.requestOrigin}</dt>
            <dd class="mono">
              <LongText value={origin} strings={strings} />
            </dd>
          </>
        ) : null}
        <dt>{strings.requestType}</dt>
        <dd class="mono">{exchange.type}</dd>
      </dl>
      {exchange.requestHeaders.length > 0 ? (
        <HeaderTable caption={strings.requestHeaders} headers={exchange.requestHeaders} marks={[]} strings={strings} />
      ) : null}
    </div>
  );
}

function PreflightCard({ record, strings }: { record: CorsRecord; strings: UiStrings }): JSX.Element | null {
  const preflight = record.exchange.preflight;
  if (!preflight) return null;
  const marks = record.diagnosis.evidence.filter((e) => e.stage === 'preflight');
  return (
    <div class="card card-preflight">
      <h4>{strings.preflight}</h4>
      {preflight.response ? (
        <>
          <StatusLine status={preflight.response.status} mark={marks.find((m) => m.header === ':status')} strings={strings} />
          <HeaderTable headers={preflight.response.headers} marks={marks} strings={strings} />
        </>
      ) : (
        <p class="muted">{strings.noResponse}</p>
      )}
      {preflight.redirectedTo ? (
        <p class="fact-line">
          <span class="label">{strings.redirectedTo}</span> <LongText value={preflight.redirectedTo} strings={strings} />
        </p>
      ) : null}
      {preflight.error ? (
        <p class="fact-line error-line">
          <span class="label">{strings.browserError}</span> <span class="mono">{preflight.error}</span>
        </p>
      ) : null}
      {preflight.requestHeaders.length > 0 ? <HeaderTable caption={strings.preflightRequest} headers={preflight.requestHeaders} marks={[]} strings={strings} /> : null}
    </div>
  );
}

function ActualCard({ record, strings }: { record: CorsRecord; strings: UiStrings }): JSX.Element {
  const { exchange, diagnosis } = record;
  const marks = diagnosis.evidence.filter((e) => e.stage === 'actual');
  const redirectMarks = diagnosis.evidence.filter((e) => e.stage === 'redirect');
  return (
    <div class="card card-actual">
      <h4>{strings.actualResponse}</h4>
      {exchange.redirects.length > 0 ? (
        <div class="redirects">
          <h5>{strings.redirects}</h5>
          <ol>
            {exchange.redirects.map((r, i) => (
              <li key={i}>
                <span class="mono status">{r.status}</span> <LongText value={r.from} strings={strings} /> <span aria-hidden="true">→</span>{' '}
                <LongText value={r.location} strings={strings} />
                {i === exchange.redirects.length - 1 && redirectMarks.length > 0 ? <HeaderTable headers={r.headers} marks={redirectMarks} strings={strings} /> : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {exchange.response ? (
        <>
          <StatusLine status={exchange.response.status} mark={marks.find((m) => m.header === ':status')} strings={strings} />
          <HeaderTable headers={exchange.response.headers} marks={marks} strings={strings} />
        </>
      ) : (
        <p class="muted">{exchange.preflight && diagnosis.stage === 'preflight' ? strings.notSentAfterPreflight : strings.noResponse}</p>
      )}
      {exchange.error ? (
        <p class="fact-line error-line">
          <span class="label">{strings.browserError}</span> <span class="mono">{exchange.error}</span>
        </p>
      ) : null}
    </div>
  );
}

function StatusLine({ status, mark, strings }: { status: number; mark: Evidence | undefined; strings: UiStrings }): JSX.Element {
  const cls = mark ? (mark.ok ? ' ev-ok' : ' ev-fail') : status >= 400 ? ' status-error' : '';
  return (
    <p class={`status-line${cls}`}>
      <span class="label">{strings.status}</span> <span class="mono">{status === 0 ? '—' : status}</span>
    </p>
  );
}

/** Header lines with the deciding ones marked; a deciding header that never arrived gets an "absent" row. */
function HeaderTable({ headers, marks, strings, caption }: { headers: HeaderList; marks: Evidence[]; strings: UiStrings; caption?: string }): JSX.Element {
  const present = new Set(headers.map(([name]) => name.toLowerCase()));
  const missing = marks.filter((m) => m.got === null && !m.header.startsWith(':') && !present.has(m.header.toLowerCase()));
  if (headers.length === 0 && missing.length === 0) {
    return (
      <div class="headers-block">
        {caption ? <h5>{caption}</h5> : null}
        <p class="muted">{strings.noHeaders}</p>
      </div>
    );
  }
  return (
    <div class="headers-block">
      {caption ? <h5>{caption}</h5> : null}
      <table class="headers">
        <tbody>
          {headers.map(([name, value], i) => {
            const mark = marks.find((m) => m.header.toLowerCase() === name.toLowerCase());
            return (
              <tr key={i} class={mark ? (mark.ok ? 'ev-ok' : 'ev-fail') : undefined}>
                <th scope="row" class="mono">
                  {name}
                </th>
                <td class="mono">
                  <LongText value={value} strings={strings} />
                </td>
              </tr>
            );
          })}
          {missing.map((m) => (
            <tr key={`missing-${m.header}`} class="ev-fail ev-missing">
              <th scope="row" class="mono">
                {m.header}
              </th>
              <td class="mono">
                <span class="absent">{strings.absent}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FixHeaders({ lines, status, strings, quiet }: { lines: { preflight?: string; actual?: string }; status: number; strings: UiStrings; quiet: boolean }): JSX.Element | null {
  if (!lines.preflight && !lines.actual) return quiet ? null : <p class="muted">{strings.fixNoHeaders}</p>;
  return (
    <div class="fix-headers">
      {lines.preflight ? (
        <>
          <p class="fix-where">{strings.fixPreflightHeaders(status)}</p>
          <CodeBlock code={lines.preflight} what={strings.fixPreflightHeaders(status)} strings={strings} language="http" />
        </>
      ) : null}
      {lines.actual ? (
        <>
          <p class="fix-where">{strings.fixActualHeaders}</p>
          <CodeBlock code={lines.actual} what={strings.fixActualHeaders} strings={strings} language="http" />
        </>
      ) : null}
    </div>
  );
}

const STACK_KEY = 'cors-explainer.stack';

function readStack(): string | undefined {
  try {
    return localStorage.getItem(STACK_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Server snippets: the stack the user picked last time, else the one the response headers suggest. */
function Snippets({ snippets, detected, strings }: { snippets: Snippet[]; detected: ServerStack | undefined; strings: UiStrings }): JSX.Element | null {
  const [stack, setStack] = useState<string | undefined>(readStack);
  const current = snippets.find((s) => s.stack === stack) ?? snippets.find((s) => s.stack === detected) ?? snippets[0];
  if (!current) return null;
  const choose = (value: string) => {
    setStack(value);
    try {
      localStorage.setItem(STACK_KEY, value);
    } catch {
      // storage may be unavailable; the choice then lasts for this view only
    }
  };
  return (
    <div class="snippets">
      <CodeBlock
        code={current.code}
        what={current.label}
        strings={strings}
        language={current.language}
        actions={
          <label class="stack-select">
            <span>{strings.fixServerStack}</span>
            <select value={current.stack} onChange={(e) => choose((e.currentTarget as HTMLSelectElement).value)}>
              {snippets.map((s) => (
                <option key={s.stack} value={s.stack}>
                  {s.stack === detected ? strings.detectedStack(s.label) : s.label}
                </option>
              ))}
            </select>
          </label>
        }
      />
    </div>
  );
}

interface BoundaryProps {
  strings: UiStrings;
  onClose(): void;
  children: ComponentChildren;
}

/** A bug in one explanation must not blank the whole panel. */
class DetailBoundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };
  static override getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: unknown): void {
    console.error('[cors-explainer] detail failed to render', error);
  }
  override render(): ComponentChildren {
    if (!this.state.failed) return this.props.children;
    return (
      <div class="detail-body">
        <div class="detail-title-row">
          <span class="spacer" />
          <button type="button" class="icon-button" aria-label={this.props.strings.closeDetail} onClick={this.props.onClose}>
            <CloseIcon />
          </button>
        </div>
        <p class="callout callout-error">{this.props.strings.detailError}</p>
      </div>
    );
  }
}
