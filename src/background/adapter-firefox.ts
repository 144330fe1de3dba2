/**
 * Firefox's webRequest, as measured on Firefox ESR 153 (DESIGN.md §4).
 */
import type { BrowserProfile, WebRequestDetails } from './adapter.ts';

let lastOriginUrl = '';
let lastOrigin: string | undefined;

/** Firefox gives the URL of the requesting document (originUrl), not its origin. Requests come in runs
 * from the same document, so one remembered answer avoids parsing a URL per event. */
function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  if (url === lastOriginUrl) return lastOrigin;
  let origin: string | undefined;
  try {
    origin = new URL(url).origin;
  } catch {
    origin = undefined;
  }
  lastOriginUrl = url;
  lastOrigin = origin;
  return origin;
}

export const firefoxProfile: BrowserProfile = {
  facts: {
    engine: 'gecko',
    // A blocked simple request looks successful: onCompleted(200). The tracker checks completions itself.
    blockedMayComplete: true,
    cancelErrors: new Set(['NS_BINDING_ABORTED']),
    probeErrors: new Set(),
    unsentFailureMeansMissedEvents: true,
  },
  // Firefox-only types that can be CORS: imageset (srcset), web_manifest, json (JSON modules).
  types: ['xmlhttprequest', 'script', 'stylesheet', 'image', 'imageset', 'font', 'media', 'web_manifest', 'json', 'other'],
  // Firefox rejects 'extraHeaders' (unknown enum value) and shows every header without it.
  sendHeadersSpec: ['requestHeaders'],
  headersReceivedSpec: ['responseHeaders'],
  initiatorOf: (d: WebRequestDetails) => originOf(d.originUrl),
  skip: () => false,
};
