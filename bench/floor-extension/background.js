// The floor: the listeners CORS Explainer registers (src/background/adapter.ts listen(), with the filters
// and extraInfoSpec of adapter-chrome.ts / adapter-firefox.ts), each doing nothing. What remains of the
// page-load cost with this loaded is the price of listening; ours minus this is the price of our code.
// bench/pageload.mjs checks FLOOR_SPEC against the product's profiles before it measures.

const isFirefox = typeof globalThis.browser?.runtime?.getBrowserInfo === 'function';

globalThis.FLOOR_SPEC = isFirefox
  ? {
      types: ['xmlhttprequest', 'script', 'stylesheet', 'image', 'imageset', 'font', 'media', 'web_manifest', 'json', 'other'],
      sendHeadersSpec: ['requestHeaders'],
      headersReceivedSpec: ['responseHeaders'],
    }
  : {
      types: ['xmlhttprequest', 'script', 'stylesheet', 'image', 'font', 'media', 'other'],
      sendHeadersSpec: ['requestHeaders', 'extraHeaders'],
      headersReceivedSpec: ['responseHeaders', 'extraHeaders'],
    };

const webRequest = (globalThis.browser ?? globalThis.chrome).webRequest;
const spec = globalThis.FLOOR_SPEC;
const requests = { urls: ['<all_urls>'], types: spec.types };

webRequest.onSendHeaders.addListener(() => undefined, requests, spec.sendHeadersSpec);
webRequest.onHeadersReceived.addListener(() => undefined, requests, spec.headersReceivedSpec);
webRequest.onCompleted.addListener(() => undefined, requests);
webRequest.onErrorOccurred.addListener(() => undefined, requests);
webRequest.onBeforeRequest.addListener(() => undefined, { urls: ['<all_urls>'], types: ['main_frame'] });
