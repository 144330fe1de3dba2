// The CORS lab's catalogue: every situation a page can get into, one scenario each.
//
// A scenario has two halves. `run` is what the page does (it is sent to the browser as source text, so it
// must not use anything from this module: only its `lab` argument and browser globals). `serve` says how
// the lab's servers answer the scenario's own paths (/s/<id>/…), which is where the misconfiguration lives.
// `expected` is each browser's own verdict (Chromium over CDP, Firefox in its console), as a ReasonId of
// src/cors/reasons.ts, or null when the browser reports no CORS problem.

/** @typedef {import('./scenarios.d.mts').Scenario} Scenario */
/** @typedef {import('./scenarios.d.mts').ServeContext} ServeContext */
/** @typedef {import('./scenarios.d.mts').Reply} Reply */

/**
 * A reply. Header values given as arrays are sent as separate lines with the same name.
 * @param {number} status
 * @param {Record<string, string | string[]>} [headers]
 * @param {string | Uint8Array} [body]
 * @returns {Reply}
 */
export function reply(status, headers = {}, body = '') {
  return { status, headers, body };
}

/** A 1×1 transparent PNG, so images that pass really load. */
const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  (c) => c.charCodeAt(0),
);
const JSON_TYPE = { 'Content-Type': 'application/json' };
const OK_BODY = '{"ok":true}';

/** A preflight answer that allows everything the actual request asks for, for this origin. */
function allowAll(/** @type {ServeContext} */ ctx, extra = {}) {
  return reply(204, {
    'Access-Control-Allow-Origin': ctx.origins.page,
    'Access-Control-Allow-Methods': ctx.headers['access-control-request-method'] ?? 'GET',
    'Access-Control-Allow-Headers': ctx.headers['access-control-request-headers'] ?? '',
    ...extra,
  });
}

/** @type {Scenario[]} */
export const scenarios = [
  // ── CORSMissingAllowOrigin ────────────────────────────────────────────────────────────────────────
  {
    id: 'missing-allow-origin-get',
    title: 'Simple GET, no Access-Control-Allow-Origin',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API answers 200 with data but never says which origins may read it.',
    expected: { chromium: 'CORSMissingAllowOrigin', gecko: 'CORSMissingAllowOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: { api: () => reply(200, JSON_TYPE, OK_BODY) },
  },
  {
    id: 'missing-allow-origin-xhr',
    title: 'XMLHttpRequest, no Access-Control-Allow-Origin',
    group: 'reason',
    initiator: 'xhr',
    description: 'The same mistake seen through XMLHttpRequest: status 0 and an error event.',
    expected: { chromium: 'CORSMissingAllowOrigin', gecko: 'CORSMissingAllowOrigin' },
    run: (lab) =>
      new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', lab.api('data'));
        xhr.onload = () => resolve(`HTTP ${xhr.status}`);
        xhr.onerror = () => reject(new Error(`XMLHttpRequest error event (status ${xhr.status})`));
        xhr.send();
      }),
    serve: { api: () => reply(200, JSON_TYPE, OK_BODY) },
  },
  {
    id: 'missing-allow-origin-500',
    title: 'Server error without CORS headers',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API crashes and its error page carries no CORS headers, so the page cannot even see the 500.',
    expected: { chromium: 'CORSMissingAllowOrigin', gecko: 'CORSMissingAllowOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: { api: () => reply(500, { 'Content-Type': 'text/plain' }, 'Internal Server Error') },
  },
  {
    id: 'missing-allow-origin-preflight-404',
    title: 'Preflight answered 404 without CORS headers',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API has no route for OPTIONS: its 404 lacks Access-Control-Allow-Origin, which is checked first.',
    expected: { chromium: 'CORSMissingAllowOrigin', gecko: 'CORSMissingAllowOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), { method: 'PUT', body: '{}', headers: { 'Content-Type': 'application/json' } });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) => (ctx.method === 'OPTIONS' ? reply(404, { 'Content-Type': 'text/plain' }, 'Not Found') : reply(200, JSON_TYPE, OK_BODY)),
    },
  },

  // ── CORSAllowOriginNotMatchingOrigin ──────────────────────────────────────────────────────────────
  {
    id: 'allow-origin-mismatch',
    title: 'Access-Control-Allow-Origin names another origin',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API allows its production site only, not the origin the page runs on.',
    expected: { chromium: 'CORSAllowOriginNotMatchingOrigin', gecko: 'CORSAllowOriginNotMatchingOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: { api: () => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': 'https://app.example.com' }, OK_BODY) },
  },
  {
    id: 'allow-origin-trailing-slash',
    title: 'Access-Control-Allow-Origin with a trailing slash',
    group: 'reason',
    initiator: 'fetch',
    description: 'The allowed origin is written as a URL ending in "/", which never equals a serialised origin.',
    expected: { chromium: 'CORSAllowOriginNotMatchingOrigin', gecko: 'CORSAllowOriginNotMatchingOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: { api: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': `${ctx.origins.page}/` }, OK_BODY) },
  },
  {
    id: 'null-origin-after-redirect',
    title: 'Cross-origin redirect turns the Origin into "null"',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API redirects to a third origin that allows the page origin, but after the hop the request says Origin: null.',
    expected: { chromium: 'CORSAllowOriginNotMatchingOrigin', gecko: 'CORSAllowOriginNotMatchingOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('start'));
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        reply(302, { 'Access-Control-Allow-Origin': ctx.origins.page, Location: ctx.link('third', 'target') }),
      third: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },

  // ── CORSMultipleAllowOriginNotAllowed ─────────────────────────────────────────────────────────────
  {
    id: 'multiple-allow-origin-lines',
    title: 'Two Access-Control-Allow-Origin header lines',
    group: 'reason',
    initiator: 'fetch',
    description: 'Both the application and the proxy in front of it add the header, so it arrives twice.',
    expected: { chromium: 'CORSMultipleAllowOriginNotAllowed', gecko: 'CORSMultipleAllowOriginNotAllowed' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': [ctx.origins.page, ctx.origins.page] }, OK_BODY),
    },
  },
  {
    id: 'multiple-allow-origin-list',
    title: 'Access-Control-Allow-Origin with a comma-separated list',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API lists every allowed origin in one header value instead of echoing the one that asked.',
    // Firefox counts header lines: one line holding a list is simply a value that does not match.
    expected: { chromium: 'CORSMultipleAllowOriginNotAllowed', gecko: 'CORSAllowOriginNotMatchingOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': `${ctx.origins.page}, https://app.example.com` }, OK_BODY),
    },
  },

  // ── Credentials ───────────────────────────────────────────────────────────────────────────────────
  {
    id: 'credentials-with-wildcard',
    title: 'Credentialed request answered with "*"',
    group: 'reason',
    initiator: 'fetch',
    description: 'The page sends its cookie (credentials: "include") and the API allows any origin with "*".',
    expected: { chromium: 'CORSNotSupportingCredentials', gecko: 'CORSNotSupportingCredentials' },
    run: async (lab) => {
      const r = await fetch(lab.api('me'), { credentials: 'include' });
      return `HTTP ${r.status}`;
    },
    serve: { api: () => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': '*' }, OK_BODY) },
  },
  {
    id: 'credentials-missing-allow-credentials',
    title: 'Credentialed request without Access-Control-Allow-Credentials',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API echoes the origin correctly but forgets to say that credentials are allowed.',
    expected: { chromium: 'CORSMissingAllowCredentials', gecko: 'CORSMissingAllowCredentials' },
    run: async (lab) => {
      const r = await fetch(lab.api('me'), { credentials: 'include' });
      return `HTTP ${r.status}`;
    },
    serve: { api: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY) },
  },
  {
    id: 'credentials-allow-credentials-not-true',
    title: 'Access-Control-Allow-Credentials: True (capital T)',
    group: 'reason',
    initiator: 'xhr',
    description: 'withCredentials XHR; the API answers "True", and only the exact lower-case "true" counts.',
    expected: { chromium: 'CORSMissingAllowCredentials', gecko: 'CORSMissingAllowCredentials' },
    run: (lab) =>
      new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', lab.api('me'));
        xhr.withCredentials = true;
        xhr.onload = () => resolve(`HTTP ${xhr.status}`);
        xhr.onerror = () => reject(new Error(`XMLHttpRequest error event (status ${xhr.status})`));
        xhr.send();
      }),
    serve: {
      api: (ctx) =>
        reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Credentials': 'True' }, OK_BODY),
    },
  },
  {
    id: 'preflight-missing-allow-credentials',
    title: 'Credentialed preflight without Access-Control-Allow-Credentials',
    group: 'reason',
    initiator: 'fetch',
    description: 'A credentialed DELETE: the preflight allows origin and method but not credentials.',
    expected: { chromium: 'CORSMissingAllowCredentials', gecko: 'CORSMissingAllowCredentials' },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), { method: 'DELETE', credentials: 'include' });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(204, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Methods': 'DELETE' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Credentials': 'true' }, OK_BODY),
    },
  },

  // ── Methods ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'method-not-allowed',
    title: 'PUT not listed in Access-Control-Allow-Methods',
    group: 'reason',
    initiator: 'fetch',
    description: 'The preflight allows GET and POST only; the page wants PUT.',
    expected: { chromium: 'CORSMethodNotFound', gecko: 'CORSMethodNotFound' },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), { method: 'PUT', body: 'x' });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(204, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Methods': 'GET, POST' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },
  {
    id: 'method-case-mismatch',
    title: 'PATCH allowed as "patch"',
    group: 'reason',
    initiator: 'fetch',
    description: 'Method names are compared case-sensitively, and fetch() does not upper-case PATCH.',
    expected: { chromium: 'CORSMethodNotFound', gecko: 'CORSMethodNotFound' },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), { method: 'PATCH', body: 'x' });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(204, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Methods': 'get, post, patch' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },
  {
    id: 'invalid-allow-method',
    title: 'Malformed Access-Control-Allow-Methods',
    group: 'reason',
    initiator: 'fetch',
    description: 'The method list contains something that is not an HTTP token ("PUT;").',
    expected: { chromium: 'CORSInvalidAllowMethod', gecko: 'CORSInvalidAllowMethod' },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), { method: 'PUT', body: 'x' });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(204, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Methods': 'GET, PUT;' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },

  // ── Request headers ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'invalid-allow-header',
    title: 'Malformed Access-Control-Allow-Headers',
    group: 'reason',
    initiator: 'fetch',
    description: 'The header list contains a value that is not an HTTP token ("x-token;").',
    expected: { chromium: 'CORSInvalidAllowHeader', gecko: 'CORSInvalidAllowHeader' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'), { headers: { 'X-Token': 'abc' } });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(204, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Headers': 'content-type, x-token;' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },
  {
    id: 'header-not-allowed',
    title: 'X-Token not listed in Access-Control-Allow-Headers',
    group: 'reason',
    initiator: 'fetch',
    description: 'The page adds a custom header that the preflight answer does not allow.',
    expected: { chromium: 'CORSMissingAllowHeaderFromPreflight', gecko: 'CORSMissingAllowHeaderFromPreflight' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'), { headers: { 'X-Token': 'abc' } });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(204, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Headers': 'content-type' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },
  {
    id: 'header-wildcard-with-credentials',
    title: 'Access-Control-Allow-Headers: * on a credentialed request',
    group: 'reason',
    initiator: 'fetch',
    description: 'With credentials the "*" is read as a header literally named "*", so X-Token is not allowed.',
    expected: { chromium: 'CORSMissingAllowHeaderFromPreflight', gecko: 'CORSMissingAllowHeaderFromPreflight' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'), { credentials: 'include', headers: { 'X-Token': 'abc' } });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) => {
        const cors = { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Credentials': 'true' };
        return ctx.method === 'OPTIONS'
          ? reply(204, { ...cors, 'Access-Control-Allow-Headers': '*' })
          : reply(200, { ...JSON_TYPE, ...cors }, OK_BODY);
      },
    },
  },

  // ── Preflight failures ────────────────────────────────────────────────────────────────────────────
  {
    id: 'preflight-status-500',
    title: 'Preflight answered 500 with CORS headers',
    group: 'reason',
    initiator: 'fetch',
    description: 'The OPTIONS handler crashes after the CORS middleware already added a matching origin.',
    expected: { chromium: 'CORSPreflightDidNotSucceed', gecko: 'CORSPreflightDidNotSucceed' },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), { method: 'PUT', body: 'x' });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(500, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Methods': 'PUT' }, 'boom')
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },
  {
    id: 'preflight-status-403',
    title: 'Preflight rejected with 403 by an auth layer',
    group: 'reason',
    initiator: 'fetch',
    description: 'An authentication check runs before OPTIONS is handled and refuses the credential-less preflight.',
    expected: { chromium: 'CORSPreflightDidNotSucceed', gecko: 'CORSPreflightDidNotSucceed' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'), { headers: { Authorization: 'Bearer abc' } });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(403, { 'Access-Control-Allow-Origin': ctx.origins.page }, 'Forbidden')
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },
  {
    id: 'preflight-redirect',
    title: 'Preflight answered with a redirect',
    group: 'reason',
    initiator: 'fetch',
    description: 'The API redirects OPTIONS (say, to add a trailing slash); a preflight may never follow a redirect.',
    expected: { chromium: 'CORSExternalRedirectNotAllowed', gecko: 'CORSExternalRedirectNotAllowed' },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), { method: 'PUT', body: 'x' });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(302, {
              'Access-Control-Allow-Origin': ctx.origins.page,
              'Access-Control-Allow-Methods': 'PUT',
              Location: ctx.link('api', 'item/'),
            })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },

  // ── Elements ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'script-crossorigin-missing-allow-origin',
    title: '<script crossorigin> without Access-Control-Allow-Origin',
    group: 'reason',
    initiator: 'script',
    description: 'A script tag with the crossorigin attribute is a CORS request; the CDN does not allow it.',
    expected: { chromium: 'CORSMissingAllowOrigin', gecko: 'CORSMissingAllowOrigin' },
    run: (lab) => lab.element('script', { src: lab.api('widget.js'), crossOrigin: 'anonymous' }),
    serve: { api: () => reply(200, { 'Content-Type': 'text/javascript' }, 'window.labWidget = true;') },
  },
  {
    id: 'font-missing-allow-origin',
    title: '@font-face from another origin without Access-Control-Allow-Origin',
    group: 'reason',
    initiator: 'font',
    description: 'Web fonts are always fetched in CORS mode; the font host sends no CORS header.',
    expected: { chromium: 'CORSMissingAllowOrigin', gecko: 'CORSMissingAllowOrigin' },
    run: async (lab) => {
      const family = `LabFont-${lab.nonce}`;
      const style = document.createElement('style');
      style.textContent = `@font-face { font-family: "${family}"; src: url("${lab.api('font.woff2')}") format("woff2"); }`;
      document.head.append(style);
      const sample = document.createElement('span');
      sample.style.fontFamily = `"${family}"`;
      sample.textContent = 'Aa';
      lab.stage.append(sample);
      const faces = await document.fonts.load(`16px "${family}"`);
      return `${faces.length} font face(s) loaded`;
    },
    serve: { api: () => reply(200, { 'Content-Type': 'font/woff2' }, 'not really a font') },
  },
  {
    id: 'image-crossorigin-missing-allow-origin',
    title: '<img crossorigin> without Access-Control-Allow-Origin',
    group: 'reason',
    initiator: 'image',
    description: 'An image requested with crossorigin (to draw it on a canvas) from a host that does not allow it.',
    expected: { chromium: 'CORSMissingAllowOrigin', gecko: 'CORSMissingAllowOrigin' },
    run: (lab) => lab.element('img', { src: lab.api('pixel.png'), crossOrigin: 'anonymous' }),
    serve: { api: () => reply(200, { 'Content-Type': 'image/png' }, PNG) },
  },

  // ── Beyond the 15: what Chromium names separately ─────────────────────────────────────────────────
  {
    id: 'invalid-allow-origin',
    title: 'Access-Control-Allow-Origin that is not an origin',
    group: 'beyond',
    initiator: 'fetch',
    description: 'The header holds a host without a scheme, which is neither "*", "null" nor an origin.',
    // Firefox compares strings only: for it this is just a value that does not match.
    expected: { chromium: 'CORSInvalidAllowOrigin', gecko: 'CORSAllowOriginNotMatchingOrigin' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': new URL(ctx.origins.page).host }, OK_BODY),
    },
  },
  {
    id: 'redirect-contains-credentials',
    title: 'Redirect to a URL with user:password',
    group: 'beyond',
    initiator: 'fetch',
    description: 'The API redirects a CORS request to a URL that embeds a user name and password.',
    // Firefox refuses the hop too, but has no message of its own for it: its console says the request
    // "did not succeed" (CORSDidNotSucceed2, for the URL that redirected). Measured on Firefox ESR 153.
    expected: { chromium: 'CORSRedirectContainsCredentials', gecko: 'CORSDidNotSucceed' },
    run: async (lab) => {
      const r = await fetch(lab.api('start'));
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) => {
        if (ctx.rest === 'start') {
          const target = new URL(ctx.link('api', 'target'));
          target.username = 'user';
          target.password = 'secret';
          return reply(302, { 'Access-Control-Allow-Origin': ctx.origins.page, Location: target.href });
        }
        return reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY);
      },
    },
  },
  {
    id: 'local-network-access',
    title: 'A public page reaching a loopback API',
    group: 'beyond',
    initiator: 'fetch',
    description: 'The page declares itself public (CSP treat-as-public-address) and then calls an API on 127.0.0.1.',
    // Firefox ESR 153 does not apply Local Network Access to this page: the request passes (HTTP 200).
    expected: { chromium: 'CORSLocalNetworkAccess', gecko: null },
    passesIn: ['gecko'],
    pageHeaders: { 'Content-Security-Policy': 'treat-as-public-address' },
    ownPage: true,
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: { api: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY) },
  },
  {
    id: 'disallowed-by-mode',
    title: 'fetch() with mode "same-origin" to another origin',
    group: 'beyond',
    initiator: 'fetch',
    description: 'The request is refused before it leaves the browser, whatever the server would say.',
    // Firefox rejects the fetch without any console reason. Chromium reports it only as a DevTools issue:
    // the request never reaches the network, so webRequest sees nothing.
    expected: { chromium: 'CORSDisallowedByMode', gecko: null },
    webRequestSilent: ['chromium'],
    run: async (lab) => {
      const r = await fetch(lab.api('data'), { mode: 'same-origin' });
      return `HTTP ${r.status}`;
    },
    serve: { api: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY) },
  },
  {
    id: 'authorization-via-wildcard',
    title: 'Authorization allowed only through Access-Control-Allow-Headers: *',
    group: 'beyond',
    initiator: 'fetch',
    description: 'The request still succeeds today, but the wildcard is not meant to cover Authorization.',
    expected: { chromium: 'CORSAllowHeaderFromPreflightDeprecation', gecko: 'CORSAllowHeaderFromPreflightDeprecation' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'), { headers: { Authorization: 'Bearer abc' } });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? reply(204, { 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Headers': '*' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },

  // ── Network failures and aborts ───────────────────────────────────────────────────────────────────
  {
    id: 'network-connection-refused',
    title: 'Nothing listens on the API port',
    group: 'network',
    initiator: 'fetch',
    description: 'The API is down: the connection is refused, and the page sees the same TypeError as for CORS.',
    expected: { chromium: 'CORSDidNotSucceed', gecko: 'CORSDidNotSucceed' },
    run: async (lab) => {
      const r = await fetch(lab.closed('data'));
      return `HTTP ${r.status}`;
    },
    serve: {},
  },
  {
    id: 'network-socket-destroyed',
    title: 'The API drops the connection without answering',
    group: 'network',
    initiator: 'fetch',
    description: 'The server accepts the request and closes the socket without sending a byte.',
    expected: { chromium: 'CORSDidNotSucceed', gecko: 'CORSDidNotSucceed' },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: { api: () => ({ status: 0, headers: {}, body: '', destroy: true }) },
  },
  {
    id: 'abort-controller',
    title: 'The page aborts its own request',
    group: 'abort',
    initiator: 'fetch',
    description: 'An AbortController cancels a slow request; that is the page’s choice, not a CORS failure.',
    expected: { chromium: null, gecko: null },
    run: async (lab) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const r = await fetch(lab.api('slow'), { signal: controller.signal });
      return `HTTP ${r.status}`;
    },
    serve: {
      api: (ctx) => ({ ...reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY), delayMs: 5000 }),
    },
  },

  // ── Controls that must record nothing ─────────────────────────────────────────────────────────────
  {
    id: 'ok-simple-get',
    title: 'Simple GET with a matching Access-Control-Allow-Origin',
    group: 'ok',
    initiator: 'fetch',
    description: 'The API echoes the page origin: the page reads the answer.',
    expected: { chromium: null, gecko: null },
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}, ${await r.text()}`;
    },
    serve: { api: (ctx) => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page, Vary: 'Origin' }, OK_BODY) },
  },
  {
    id: 'ok-preflighted-put',
    title: 'Preflighted PUT with everything allowed',
    group: 'ok',
    initiator: 'fetch',
    description: 'A JSON PUT with a custom header; the preflight allows the origin, the method and both headers.',
    expected: { chromium: null, gecko: null },
    run: async (lab) => {
      const r = await fetch(lab.api('item'), {
        method: 'PUT',
        body: '{}',
        headers: { 'Content-Type': 'application/json', 'X-Token': 'abc' },
      });
      return `HTTP ${r.status}, ${await r.text()}`;
    },
    serve: {
      api: (ctx) =>
        ctx.method === 'OPTIONS'
          ? allowAll(ctx, { 'Access-Control-Max-Age': '0' })
          : reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page }, OK_BODY),
    },
  },
  {
    id: 'ok-credentialed',
    title: 'Credentialed GET with exact origin and credentials allowed',
    group: 'ok',
    initiator: 'fetch',
    description: 'The cookie goes along and the API answers with the exact origin and Access-Control-Allow-Credentials: true.',
    expected: { chromium: null, gecko: null },
    run: async (lab) => {
      const r = await fetch(lab.api('me'), { credentials: 'include' });
      return `HTTP ${r.status}, ${await r.text()}`;
    },
    serve: {
      api: (ctx) =>
        reply(
          200,
          { ...JSON_TYPE, 'Access-Control-Allow-Origin': ctx.origins.page, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' },
          JSON.stringify({ cookie: ctx.headers.cookie ? 'received' : 'none' }),
        ),
    },
  },
  {
    id: 'ok-redirect',
    title: 'Cross-origin redirect that passes',
    group: 'ok',
    initiator: 'fetch',
    description: 'Both hops answer "*", which also admits the "null" origin the request carries after the redirect.',
    expected: { chromium: null, gecko: null },
    run: async (lab) => {
      const r = await fetch(lab.api('start'));
      return `HTTP ${r.status} after redirect, ${await r.text()}`;
    },
    serve: {
      api: (ctx) => reply(302, { 'Access-Control-Allow-Origin': '*', Location: ctx.link('third', 'target') }),
      third: () => reply(200, { ...JSON_TYPE, 'Access-Control-Allow-Origin': '*' }, OK_BODY),
    },
  },
  {
    id: 'ok-no-cors',
    title: 'fetch() with mode "no-cors"',
    group: 'ok',
    initiator: 'fetch',
    description: 'The page gives up reading the answer and gets an opaque response: no CORS check applies.',
    expected: { chromium: null, gecko: null },
    run: async (lab) => {
      const r = await fetch(lab.api('ping'), { mode: 'no-cors' });
      return `opaque response (type ${r.type}, status ${r.status})`;
    },
    serve: { api: () => reply(200, { 'Content-Type': 'text/plain' }, 'pong') },
  },
  {
    id: 'ok-same-origin',
    title: 'Same-origin fetch',
    group: 'ok',
    initiator: 'fetch',
    description: 'A request to the page’s own origin never involves CORS.',
    expected: { chromium: null, gecko: null },
    run: async (lab) => {
      const r = await fetch(lab.page('data'));
      return `HTTP ${r.status}, ${await r.text()}`;
    },
    serve: { page: () => reply(200, JSON_TYPE, OK_BODY) },
  },
  {
    id: 'ok-plain-image',
    title: '<img> without crossorigin',
    group: 'ok',
    initiator: 'image',
    description: 'A plain image from another origin is a no-cors request: it displays without any CORS header.',
    expected: { chromium: null, gecko: null },
    run: (lab) => lab.element('img', { src: lab.api('pixel.png') }),
    serve: { api: () => reply(200, { 'Content-Type': 'image/png' }, PNG) },
  },

  // ── Not reproducible from a page served by the lab ────────────────────────────────────────────────
  {
    id: 'request-not-http',
    title: 'Request to a file: URL',
    group: 'reason',
    initiator: 'fetch',
    description: 'A page opened from disk fetches another local file; only http(s) can be fetched in CORS mode.',
    expected: { chromium: null, gecko: null },
    runnable: false,
    note: 'Needs a file:// page. Browsers emit no webRequest event for file: URLs, so no extension can record it.',
    run: async () => {
      const r = await fetch('file:///etc/hostname');
      return `HTTP ${r.status}`;
    },
    serve: {},
  },
  {
    id: 'cors-disabled',
    title: 'CORS switched off in the browser',
    group: 'reason',
    initiator: 'fetch',
    description: 'Firefox’s content.cors.disable preference blocks every cross-origin request.',
    expected: { chromium: null, gecko: null },
    runnable: false,
    note: 'A browser setting, not something a page can cause; the request never reaches webRequest.',
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: {},
  },
  {
    id: 'origin-header-not-added',
    title: 'Origin header could not be added',
    group: 'reason',
    initiator: 'fetch',
    description: 'Firefox could not attach an Origin header (a request made with an expanded principal).',
    expected: { chromium: null, gecko: null },
    runnable: false,
    note: 'Happens to requests made by extensions’ content scripts in Firefox, not to pages; nothing reaches webRequest.',
    run: async (lab) => {
      const r = await fetch(lab.api('data'));
      return `HTTP ${r.status}`;
    },
    serve: {},
  },
];

/** @param {string} id */
export function scenarioById(id) {
  return scenarios.find((s) => s.id === id);
}

/** Scenarios that a lab page can run (everything but the few no page can trigger). */
export const runnableScenarios = scenarios.filter((s) => s.runnable !== false);

export const GROUPS = /** @type {const} */ ([
  ['reason', 'The 15 reasons MDN documents'],
  ['beyond', 'Beyond the 15: what Chromium names separately'],
  ['network', 'Network failures'],
  ['abort', 'Aborted by the page'],
  ['ok', 'Controls: these must pass and record nothing'],
]);
