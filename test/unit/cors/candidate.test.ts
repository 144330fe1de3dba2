import { isCorsCandidate, isCrossOrigin, requesterOrigin, requestMode } from '../../../src/cors/candidate.ts';
import type { HeaderList } from '../../../src/cors/exchange.ts';
import { ex, PAGE, pre, URL_ } from './build.ts';

const headers = (...h: [string, string][]): HeaderList => h;

describe('requestMode', () => {
  it.each([
    ['a preflight', ex({ preflight: pre({}), requestHeaders: [] }), 'cors'],
    ['Sec-Fetch-Mode cors', ex({ requestHeaders: headers(['sec-fetch-mode', 'cors']) }), 'cors'],
    ['Sec-Fetch-Mode no-cors', ex({ requestHeaders: headers(['sec-fetch-mode', 'no-cors'], ['origin', PAGE]) }), 'no-cors'],
    ['Sec-Fetch-Mode same-origin', ex({ requestHeaders: headers(['sec-fetch-mode', 'same-origin']) }), 'same-origin'],
    ['Sec-Fetch-Mode navigate', ex({ requestHeaders: headers(['sec-fetch-mode', 'navigate']) }), 'navigate'],
    ['an unknown Sec-Fetch-Mode', ex({ requestHeaders: headers(['sec-fetch-mode', 'teleport']) }), 'unknown'],
    ['a frame', ex({ type: 'sub_frame', requestHeaders: headers(['origin', PAGE]) }), 'navigate'],
    ['a websocket', ex({ type: 'websocket', requestHeaders: headers(['origin', PAGE]) }), 'websocket'],
    ['a ping', ex({ type: 'ping', requestHeaders: headers(['origin', PAGE]) }), 'no-cors'],
    ['a GET with Origin', ex({ type: 'image', requestHeaders: headers(['origin', PAGE]) }), 'cors'],
    ['a GET without Origin', ex({ type: 'script', requestHeaders: headers(['accept', '*/*']) }), 'no-cors'],
    ['an XHR POST with Origin', ex({ method: 'POST', requestHeaders: headers(['origin', PAGE]) }), 'cors'],
    ['an image POST with Origin', ex({ type: 'image', method: 'POST', requestHeaders: headers(['origin', PAGE]) }), 'no-cors'],
    ['an XHR whose headers were not seen', ex({ requestHeaders: [] }), 'cors'],
    ['a font whose headers were not seen', ex({ type: 'font', requestHeaders: [] }), 'cors'],
    ['a script whose headers were not seen', ex({ type: 'script', requestHeaders: [] }), 'unknown'],
  ])('%s → %s', (_name, exchange, mode) => {
    expect(requestMode(exchange)).toBe(mode);
  });
});

describe('requesterOrigin', () => {
  it('prefers the initiator, then the document, then the Origin sent', () => {
    expect(requesterOrigin({ url: URL_, initiator: 'https://a.test/page' })).toBe('https://a.test');
    expect(requesterOrigin({ url: URL_, documentUrl: 'https://d.test/x' })).toBe('https://d.test');
    expect(requesterOrigin({ url: URL_, requestHeaders: headers(['origin', 'https://o.test']) })).toBe('https://o.test');
    expect(requesterOrigin({ url: URL_, preflight: pre({ origin: 'https://p.test' }) })).toBe('https://p.test');
  });

  it('does not take a "null" Origin caused by a redirect for the requester', () => {
    const redirected = { url: URL_, requestHeaders: headers(['origin', 'null']), redirects: [{ status: 302, from: URL_, location: 'https://x.test', headers: [] }] };
    expect(requesterOrigin(redirected)).toBeNull();
    expect(requesterOrigin({ url: URL_, requestHeaders: headers(['origin', 'null']) })).toBe('null');
  });
});

describe('isCrossOrigin', () => {
  it('is cross-origin when any URL of the request is', () => {
    expect(isCrossOrigin({ url: `${PAGE}/a`, initiator: PAGE })).toBe(false);
    expect(isCrossOrigin({ url: `${PAGE}/a`, initiator: PAGE, redirects: [{ status: 302, from: `${PAGE}/a`, location: URL_, headers: [] }] })).toBe(true);
    expect(isCrossOrigin({ url: `${PAGE}/a`, initiator: 'null' })).toBe(true);
  });

  it('relies on a preflight when the origin is unknown', () => {
    expect(isCrossOrigin({ url: URL_ })).toBe(false);
    expect(isCrossOrigin({ url: URL_, preflight: { requestHeaders: [] } })).toBe(true);
  });
});

describe('isCorsCandidate', () => {
  it.each([
    ['a cross-origin fetch', ex(), true],
    ['a same-origin fetch', ex({ url: `${PAGE}/api` }), false],
    ['a default port written out is still same origin', ex({ initiator: 'https://a.test', url: 'https://a.test:443/x', requestHeaders: headers(['origin', 'https://a.test']) }), false],
    ['mode same-origin to another origin (refused: DisallowedByMode)', ex({ requestHeaders: headers(['sec-fetch-mode', 'same-origin']) }), true],
    ['mode same-origin to its own origin', ex({ url: `${PAGE}/x`, requestHeaders: headers(['sec-fetch-mode', 'same-origin']) }), false],
    ['a no-cors image', ex({ type: 'image', requestHeaders: headers(['sec-fetch-mode', 'no-cors']) }), false],
    ['a navigation', ex({ type: 'main_frame', requestHeaders: headers(['sec-fetch-mode', 'navigate']) }), false],
    ['a data: URL', ex({ url: 'data:application/json,{}', requestHeaders: [] }), false],
    ['a file: URL from a web page', ex({ url: 'file:///x.json', requestHeaders: [] }), true],
    ['an unparsable URL', ex({ url: 'https://[' }), false],
    ['a sandboxed page ("null") calling its own host', ex({ initiator: 'null', url: `${PAGE}/x`, requestHeaders: headers(['origin', 'null']) }), true],
  ])('%s → %s', (_name, exchange, expected) => {
    expect(isCorsCandidate(exchange)).toBe(expected);
  });

  it('accepts a partial exchange, as the tracker holds it mid-flight', () => {
    expect(isCorsCandidate({ url: URL_, type: 'xmlhttprequest', initiator: PAGE })).toBe(true);
    expect(isCorsCandidate({ url: URL_ })).toBe(false);
  });
});
