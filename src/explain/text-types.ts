/**
 * The shape of one locale's text. Each locale file (text-en.ts, text-ja.ts, text-fr.ts) fills it in
 * completely; the type makes a missing reason or finding a compile error, and the governance test
 * checks the strings are there.
 */
import type { Diagnosis, Finding, Stage } from '../cors/diagnosis.ts';
import type { ReasonId } from '../cors/reasons.ts';
import type { PreflightCause } from './request-facts.ts';
import type { Fix } from './types.ts';

/** What a verdict sentence may name. Every string is already made safe for display (control characters
 * shown as escapes, long values cut), and stays a plain string: the panel renders text only. */
export interface VerdictFacts {
  stage: Stage;
  /** The Origin the request carried at the failing check ("null" after a cross-origin redirect). */
  origin: string;
  /** The page's own origin. */
  pageOrigin: string;
  method: string;
  /** The URL whose response was checked. */
  url: string;
  /** The deciding header's value as received; null when absent; undefined when not known. */
  got: string | null | undefined;
  /** The method, request header or token at fault. */
  culprit?: string;
  /** HTTP status at the failing stage, when one arrived. */
  status?: number;
  /** The network error string. */
  error?: string;
  /** Where a redirect pointed (credentials removed). */
  target?: string;
  /** The local/private address reached. */
  address?: string;
  credentials: boolean;
  /** Number of redirects before the check. */
  redirects: number;
}

export interface ReasonText {
  title: string;
  /** One paragraph for the reason index. */
  summary: string;
  /** Two to four short sentences: why the browser blocks it, what the server must say. */
  why: string[];
  verdict: (facts: VerdictFacts) => string;
}

export type FindingCode = Finding['code'];
export type FindingTexts = { [K in FindingCode]: (finding: Extract<Finding, { code: K }>, facts: VerdictFacts) => string };

/** What a network error string means, in a few families. */
export type NetworkErrorKind =
  | 'refused'
  | 'dns'
  | 'reset'
  | 'timeout'
  | 'certificate'
  | 'tls'
  | 'blocked-by-client'
  | 'unreachable'
  | 'local-network'
  | 'aborted'
  | 'other';

export type ClientKind = NonNullable<Fix['client']>['kind'];
export type OtherFixCode = NonNullable<Fix['other']>;

export interface ClientFacts {
  detail?: string;
  /** The page's origin. */
  origin: string;
  method: string;
  url: string;
  contentType?: string;
}

export interface MarkdownLabels {
  heading: (count: number) => string;
  page: string;
  generated: string;
  engine: string;
  extension: string;
  dropped: (count: number) => string;
  none: string;
  reason: string;
  verdict: string;
  evidence: string;
  stage: string;
  header: string;
  got: string;
  needed: string;
  ok: string;
  absent: string;
  yes: string;
  no: string;
  headersToSet: string;
  preflightResponse: (status: number) => string;
  actualResponse: string;
  redirectResponse: string;
  onUrl: (url: string) => string;
  alsoDo: string;
  clientAlternative: string;
  reproduce: string;
  notes: string;
  truncated: (chars: number) => string;
}

export interface LocaleText {
  reasons: Record<ReasonId, ReasonText>;
  /** For a reason id this build does not know. */
  unknownReason: ReasonText;
  stages: Record<Stage, string>;
  findings: FindingTexts;
  networkError: Record<NetworkErrorKind, string>;
  /** A network error string followed by what it means. */
  errorWithHint: (error: string, hint: string) => string;
  certainty: (unseen: Diagnosis['unseen'], alternatives: string[]) => string;
  preflightWhy: (causes: PreflightCause[]) => string;
  client: Record<Exclude<ClientKind, 'none'>, (facts: ClientFacts) => string>;
  /** One sentence per non-header step of a fix. */
  other: Record<OtherFixCode, (reason: ReasonId) => string>;
  avoidRedirect: (finalUrl: string) => string;
  removeHeaders: (names: string[]) => string;
  setOnUrl: (url: string) => string;
  /** "a, b and c" / "a, b or c" in this language. */
  list: (items: string[], conjunction: 'and' | 'or') => string;
  markdown: MarkdownLabels;
}
