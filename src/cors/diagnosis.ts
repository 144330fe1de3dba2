import type { ReasonId } from './reasons.ts';

/** Where in the exchange the deciding check failed. */
export type Stage = 'preflight' | 'actual' | 'redirect' | 'network';

export type Certainty = 'certain' | 'inferred';

/** What is at fault, as precisely as the evidence allows. */
export interface Culprit {
  kind: 'header' | 'method' | 'request-header' | 'origin' | 'status' | 'url' | 'scheme' | 'network';
  /** Header name (lower-case), method, or the request header name that was not allowed. */
  name?: string;
  /** The offending value or token, as received (may be hostile: render as text only). */
  value?: string;
}

/** One deciding header: what the browser got and what it needed. */
export interface Evidence {
  stage: 'preflight' | 'actual' | 'redirect';
  /** Lower-case header name, or a pseudo-name such as ':status'. */
  header: string;
  /** Value(s) received, null when the header was absent. */
  got: string | null;
  /** What would have passed, in words-free form (e.g. "https://app.example", "true", "2xx", "x-token"). */
  needed: string;
  ok: boolean;
}

/** Secondary facts that change the story. Parameters only; text lives in src/explain. */
export type Finding =
  | { code: 'http-error-status'; stage: 'preflight' | 'actual'; status: number }
  | { code: 'network-error'; error: string }
  | { code: 'cached-response'; stage: 'preflight' | 'actual' }
  | { code: 'missing-vary-origin' }
  | { code: 'credentials-sent'; via: 'cookie' | 'authorization' }
  | { code: 'null-origin-after-redirect'; redirectCount: number }
  | { code: 'local-network'; address: string }
  | { code: 'file-page' }
  | { code: 'authorization-via-wildcard' }
  | { code: 'preflight-reason'; cause: 'method' | 'header' | 'content-type'; value: string }
  | { code: 'header-value-truncated'; header: string };

export interface Diagnosis {
  reason: ReasonId;
  /** The engine's own name: Chromium's CorsError (e.g. "PreflightMissingAllowOriginHeader") or Firefox's
   * console key (e.g. "CORSMissingAllowOrigin2"). */
  engineName: string;
  stage: Stage;
  certainty: Certainty;
  /** When inferred: the other reasons it could be, most likely first. */
  alternatives: ReasonId[];
  /** When inferred: which unseen fact the inference rests on. */
  unseen?: 'credentials-mode' | 'request-mode' | 'response-headers' | 'console-only';
  culprit?: Culprit;
  evidence: Evidence[];
  findings: Finding[];
}
