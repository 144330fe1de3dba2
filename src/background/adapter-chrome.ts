/**
 * Chromium's webRequest, as measured on Chromium 156 (DESIGN.md §4).
 */
import type { BrowserProfile } from './adapter.ts';

export const chromeProfile: BrowserProfile = {
  facts: {
    engine: 'chromium',
    // A response that fails CORS never reaches onCompleted: it ends in onErrorOccurred(net::ERR_FAILED).
    blockedMayComplete: false,
    cancelErrors: new Set(['net::ERR_ABORTED']),
    // A font load is preceded by a cache-only probe that fails harmlessly.
    probeErrors: new Set(['net::ERR_CACHE_MISS']),
    // A cross-origin fetch with mode "same-origin" is refused before webRequest sees it (no event at all).
    unsentFailureMeansMissedEvents: true,
  },
  types: ['xmlhttprequest', 'script', 'stylesheet', 'image', 'font', 'media', 'other'],
  // Without 'extraHeaders' preflights are invisible, Origin is missing from the request headers and a
  // blocked response reaches onErrorOccurred without onHeadersReceived.
  sendHeadersSpec: ['requestHeaders', 'extraHeaders'],
  headersReceivedSpec: ['responseHeaders', 'extraHeaders'],
  initiatorOf: (d) => d.initiator,
  // A prerendered page is not the tab's page (yet); its navigation must not clear the tab's records.
  skip: (d) => d.documentLifecycle === 'prerender',
};
