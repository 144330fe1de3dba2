/**
 * The contract between src/explain (content) and src/panel (UI). Text is produced here from a record's
 * data; the panel renders it as text only.
 */
import type { Certainty, Culprit, Evidence, Finding, Stage } from '../cors/diagnosis.ts';
import type { Engine, HeaderList } from '../cors/exchange.ts';
import type { ReasonId, UiLocale } from '../cors/reasons.ts';

export type Locale = UiLocale;

export interface Explanation {
  reason: ReasonId;
  /** Short title of the reason, e.g. "Missing Access-Control-Allow-Origin". */
  title: string;
  /** One sentence naming the culprit: "The preflight's Access-Control-Allow-Headers does not list x-token." */
  verdict: string;
  /** When the diagnosis is inferred: what could not be seen and what else it could be. */
  certaintyNote?: string;
  /** Findings that change the story, most important first; `primary` ones are shown above the evidence. */
  findings: { severity: 'primary' | 'info'; text: string }[];
  /** Why the browser blocks it, a few plain sentences. */
  why: string[];
  /** For a preflighted request: why a preflight was sent at all, and how to avoid it. */
  preflightWhy?: string;
  /** MDN page in the user's locale where MDN has it, else en-US. */
  mdnUrl: string;
}

/** The fix in machine-readable form: what the server must send (and the client change, where that is the
 * fix). A test or a user's script can apply it to a server and replay the request. */
export interface Fix {
  /** Headers to add/replace on the preflight (OPTIONS) response, and the status it should have. */
  preflight?: { status: number; setHeaders: HeaderList; removeHeaders?: string[] };
  /** Headers to add/replace on the actual response. */
  actual?: {
    setHeaders: HeaderList;
    removeHeaders?: string[];
    /** The URL whose response needs these headers, when it is not the requested URL: the final URL after
     * redirects, or the redirect hop that failed. Absent: the requested URL. */
    url?: string;
  };
  /** Headers for redirect responses on the way: a redirect of a cross-origin request is CORS-checked
   * like any response, against the Origin the request carried at that hop. */
  redirects?: { url: string; setHeaders: HeaderList; removeHeaders?: string[] }[];
  /** The redirect must go (call the final URL) or be made same-origin. */
  redirect?: { avoid: true; finalUrl?: string };
  /** A client-side change that also fixes it, when one exists. */
  client?: {
    kind:
      | 'omit-credentials'
      | 'drop-header'
      | 'simple-content-type'
      | 'use-final-url'
      | 'use-simple-method'
      | 'serve-over-http'
      | 'use-cors-mode'
      | 'none';
    detail?: string;
    code?: string;
  };
  /** Fixes that are outside HTTP headers (server error, network, LNA permission…), as a short code.
   * `browser-setting`: the browser itself refuses (a preference, or an add-on's request). */
  other?:
    | 'fix-server-error'
    | 'fix-network'
    | 'local-network-permission'
    | 'remove-url-credentials'
    | 'serve-over-http'
    | 'change-request-mode'
    | 'browser-setting';
  /** Whether the fix allows credentials (exact origin + Access-Control-Allow-Credentials: true). */
  credentials?: boolean;
}

export type ServerStack =
  | 'headers'
  | 'express'
  | 'nginx'
  | 'apache'
  | 'caddy'
  | 'django'
  | 'flask'
  | 'fastapi'
  | 'spring'
  | 'aspnet'
  | 'rails'
  | 'go';

export interface Snippet {
  stack: ServerStack;
  /** Display name, e.g. "Express (cors)". */
  label: string;
  /** Language for display, e.g. "js", "nginx", "python". */
  language: string;
  code: string;
}

/** Meta data of an export: which tab, which page, which engine, when, by which version. */
export interface ExportMeta {
  tabId: number;
  pageUrl?: string;
  /** Records dropped because the per-tab cap was reached. */
  dropped: number;
  engine: Engine;
  /** ISO 8601 timestamp. */
  generatedAt: string;
  extensionVersion: string;
}

/** One record in an export. Header values are as recorded (secrets redacted). See docs/EXPORT.md. */
export interface ExportRecord {
  id: string;
  /** ISO 8601 time the request started. */
  time: string;
  method: string;
  url: string;
  type: string;
  initiator: string | null;
  reason: ReasonId;
  engineName: string;
  stage: Stage;
  certainty: Certainty;
  alternatives: ReasonId[];
  /** When inferred: the fact the inference rests on. */
  unseen?: 'credentials-mode' | 'request-mode' | 'response-headers' | 'console-only';
  culprit?: Culprit;
  evidence: Evidence[];
  findings: Finding[];
  /** English title of the reason. */
  title: string;
  /** English verdict sentence. */
  verdict: string;
  fix: Fix;
  request: { headers: HeaderList };
  preflight?: { status?: number; headers?: HeaderList; error?: string; requestHeaders?: HeaderList; redirectedTo?: string };
  response?: { status: number; headers: HeaderList };
  redirects?: { status: number; from: string; location: string; headers: HeaderList }[];
  error?: string;
}

export interface ExportDocument {
  schema: 'cors-explainer/export';
  schemaVersion: 1;
  generatedAt: string;
  extensionVersion: string;
  engine: Engine;
  tabId: number;
  pageUrl?: string;
  dropped: number;
  records: ExportRecord[];
}
