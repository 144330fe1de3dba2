/** Small building blocks: badges, icons, copy buttons, code blocks, long values. All text is rendered as text. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Stage } from '../cors/diagnosis.ts';
import { copyText } from './clipboard.ts';
import { formatSize, hasInvisible, revealInvisible } from './format.ts';
import type { UiStrings } from './i18n.ts';

export function StageBadge({ stage, label }: { stage: Stage; label: string }): JSX.Element {
  return <span class={`badge stage-${stage}`}>{label}</span>;
}

export function ErrorIcon(): JSX.Element {
  return (
    <svg class="icon icon-error" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M5.5 5.5l5 5m0-5l-5 5" stroke="var(--icon-on-color)" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

export function WarningIcon({ label }: { label?: string }): JSX.Element {
  return (
    <svg class="icon icon-warning" viewBox="0 0 16 16" width="12" height="12" role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : 'true'}>
      <path d="M8 1.2L15.2 14H.8z" fill="currentColor" />
      <path d="M8 5.8v4" stroke="var(--icon-on-color)" stroke-width="1.6" stroke-linecap="round" />
      <circle cx="8" cy="12" r="0.9" fill="var(--icon-on-color)" />
    </svg>
  );
}

export function OkIcon(): JSX.Element {
  return (
    <svg class="icon icon-ok" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M4.8 8.3l2.2 2.2 4.2-4.6" fill="none" stroke="var(--icon-on-color)" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

export function ClearIcon(): JSX.Element {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <circle cx="8" cy="8" r="5.8" fill="none" stroke="currentColor" stroke-width="1.5" />
      <path d="M3.9 12.1l8.2-8.2" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

export function CloseIcon(): JSX.Element {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M3.5 3.5l9 9m0-9l-9 9" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

export function CopyIcon(): JSX.Element {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <rect x="5" y="5" width="8.5" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.4" />
      <path d="M3 10.5V3.5A1.5 1.5 0 0 1 4.5 2H10" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" />
    </svg>
  );
}

export function BookIcon(): JSX.Element {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M2.5 3.2c2-.9 3.9-.9 5.5.4v10c-1.6-1.3-3.5-1.3-5.5-.4zM13.5 3.2c-2-.9-3.9-.9-5.5.4v10c1.6-1.3 3.5-1.3 5.5-.4z" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round" />
    </svg>
  );
}

export function ExportIcon(): JSX.Element {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M8 2v8m-3.2-3.2L8 10l3.2-3.2M3 12.5h10" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

export function ExternalIcon(): JSX.Element {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
      <path d="M9 3h4v4M13 3L7.5 8.5M11.5 9.5V13h-8V5H7" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

type CopyState = 'idle' | 'copied' | 'failed';

/** A copy button that says "Copied" for a moment. `what` names the copied thing for screen readers. */
export function CopyButton({ text, what, strings, label }: { text: string | (() => string); what: string; strings: UiStrings; label?: string }): JSX.Element {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onClick = async () => {
    const ok = await copyText(typeof text === 'function' ? text() : text);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 1600);
  };
  const shown = state === 'copied' ? strings.copied : state === 'failed' ? strings.copyFailed : (label ?? strings.copy);
  return (
    <button type="button" class={`btn btn-small copy ${state}`} onClick={onClick} aria-label={strings.copyLabel(what)} title={strings.copyLabel(what)}>
      <CopyIcon />
      <span aria-live="polite">{shown}</span>
    </button>
  );
}

/** A block of copyable text (headers, a snippet, a curl command). */
export function CodeBlock({ code, what, strings, language, actions }: { code: string; what: string; strings: UiStrings; language?: string; actions?: ComponentChildren }): JSX.Element {
  if (!actions) {
    return (
      <div class="code-block plain">
        <pre class="code" data-language={language}>
          <code>{code}</code>
        </pre>
        <span class="copy-overlay">
          <CopyButton text={code} what={what} strings={strings} />
        </span>
      </div>
    );
  }
  return (
    <div class="code-block">
      <div class="code-actions">
        {actions}
        <CopyButton text={code} what={what} strings={strings} />
      </div>
      <pre class="code" data-language={language}>
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** Values longer than this are shown cut, with a button to show them whole. */
export const LONG_VALUE = 1500;

/** A header value or URL, as text; very long ones are cut with a "show all" button. */
export function LongText({ value, strings }: { value: string; strings: UiStrings }): JSX.Element {
  const [open, setOpen] = useState(false);
  // Invisible or reordering characters are kept (the value is shown as received) but flagged, with the
  // revealed form in the tooltip, so a crafted value cannot pass for another one.
  const flag = hasInvisible(value) ? (
    <span class="tag tag-invisible" title={revealInvisible(value.length > LONG_VALUE ? value.slice(0, LONG_VALUE) : value)}>
      {strings.invisibleChars}
    </span>
  ) : null;
  if (value.length <= LONG_VALUE) {
    if (!flag) return <span class="value">{value}</span>;
    return (
      <span class="flagged">
        <span class="value">{value}</span> {flag}
      </span>
    );
  }
  return (
    <span class="long">
      {flag}
      <span class="value">{open ? value : `${value.slice(0, LONG_VALUE)}…`}</span>{' '}
      <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? strings.showLess : strings.showAll(formatSize(value.length))}
      </button>
    </span>
  );
}
