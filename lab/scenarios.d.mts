import type { ReasonId } from '../src/cors/reasons.ts';

export type ScenarioGroup = 'reason' | 'beyond' | 'ok' | 'network' | 'abort';

/** What made the request, as a developer would name it. */
export type InitiatorKind = 'fetch' | 'xhr' | 'script' | 'font' | 'image';

export interface LabOrigins {
  /** http://127.0.0.1:P1 — serves the lab's pages. */
  page: string;
  /** http://127.0.0.1:P2 — same site as the page, another origin: cookies flow with credentials. */
  api: string;
  /** http://localhost:P3 — another site. */
  third: string;
}

/** What a scenario's `run` receives in the page (built by lab/client/lab.js). */
export interface LabPageApi {
  id: string;
  /** Unique per run: used to bust caches and to name things. */
  nonce: string;
  origins: LabOrigins;
  /** URL of this scenario's path on the api origin: `${api}/s/<id>/<path>?n=<nonce>`. */
  api(path: string): string;
  third(path: string): string;
  page(path: string): string;
  /** URL on a loopback port where nothing listens. */
  closed(path: string): string;
  /** Adds an element with these properties to the stage; resolves on `load`, rejects on `error`. */
  element(tag: 'script' | 'img' | 'link', props: Record<string, string>): Promise<string>;
  /** A visible container for anything the scenario needs to put on the page. */
  stage: HTMLElement;
}

/** Request facts a server handler sees. Header names are lower-case. */
export interface ServeContext {
  origins: LabOrigins;
  method: string;
  /** The path after /s/<id>/ (no query). */
  rest: string;
  url: URL;
  headers: Record<string, string | undefined>;
  /** A URL for this scenario on another lab origin, keeping the request's query (the nonce). */
  link(origin: keyof LabOrigins, rest: string): string;
}

export interface Reply {
  status: number;
  /** Array values are sent as separate header lines. */
  headers: Record<string, string | string[]>;
  body?: string | Uint8Array;
  /** Destroy the socket instead of answering. */
  destroy?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
}

export type Handler = (ctx: ServeContext) => Reply;

export interface Scenario {
  /** kebab-case, unique; also the page /scenario/<id> and the path prefix /s/<id>/. */
  id: string;
  title: string;
  group: ScenarioGroup;
  /** One line, ours. */
  description: string;
  initiator: InitiatorKind;
  /** Each browser's own verdict; null = the browser reports no CORS problem (nothing to record). */
  expected: { chromium: ReasonId | null; gecko: ReasonId | null };
  /** The page code. Sent to the browser as source text: it may use only `lab` and browser globals.
   * Resolves with what the page saw when the request passed; rejects when it failed. */
  run: (lab: LabPageApi) => Promise<string>;
  /** How each lab origin answers /s/<id>/… */
  serve: Partial<Record<keyof LabOrigins, Handler>>;
  /** Extra headers on this scenario's own page (/scenario/<id>). */
  pageHeaders?: Record<string, string>;
  /** Needs its own page (its page headers matter): the index runs it in a frame. */
  ownPage?: boolean;
  /** Browsers that give extensions no webRequest event at all for this scenario's request, so no
   * extension can record it there (the browser refuses it before it reaches the network). Measured for
   * Chromium by test/browser/lab-chromium-truth.test.ts. */
  webRequestSilent?: Array<'chromium' | 'gecko'>;
  /** Browsers in which this (otherwise failing) scenario's request passes, so the page sees success.
   * Measured by the truth tests (test/browser/lab-*-truth.test.ts). */
  passesIn?: Array<'chromium' | 'gecko'>;
  /** false: no page served by the lab can trigger it; listed for completeness. */
  runnable?: boolean;
  /** Why it is not runnable, or what is special about it. */
  note?: string;
}

export declare function reply(status: number, headers?: Record<string, string | string[]>, body?: string | Uint8Array): Reply;
export declare const scenarios: Scenario[];
export declare const runnableScenarios: Scenario[];
export declare function scenarioById(id: string): Scenario | undefined;
export declare const GROUPS: ReadonlyArray<readonly [ScenarioGroup, string]>;
