/**
 * English text: every reason, finding, note and fix step. Written for an engineer who has to fix the
 * server (or the page) in the next ten minutes: say what failed, name the header, say what to send.
 */
import type { Stage } from '../cors/diagnosis.ts';
import type { LocaleText, VerdictFacts } from './text-types.ts';

function list(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} ${conjunction} ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, ${conjunction} ${items[items.length - 1]}`;
}

/** "The preflight response" / "The response" / "The redirect response". */
function response(stage: Stage): string {
  if (stage === 'preflight') return 'The preflight response';
  if (stage === 'redirect') return 'The redirect response';
  return 'The response';
}

/** "The preflight's" / "The response's" / "The redirect's". */
function whose(stage: Stage): string {
  if (stage === 'preflight') return "The preflight's";
  if (stage === 'redirect') return "The redirect's";
  return "The response's";
}

function withStatus(f: VerdictFacts): string {
  return f.status ? ` (${f.status})` : '';
}

function originPhrase(f: VerdictFacts): string {
  return f.origin === 'null' && f.redirects > 0
    ? 'after the cross-origin redirect the request carries Origin: null'
    : `the page's origin is ${f.origin}`;
}

export const en: LocaleText = {
  reasons: {
    CORSDisabled: {
      title: 'CORS disabled in the browser',
      summary:
        "Firefox can be told to refuse every cross-origin request through the content.cors.disable preference. When it is on, nothing the server sends helps, and no extension sees the request, because Firefox stops it before it goes out. It is a setting of this browser profile, not a property of the site.",
      why: [
        'This browser has CORS switched off, so it refuses every cross-origin request outright.',
        'No response header can change that: the request never leaves the browser.',
        'Set content.cors.disable back to false in about:config.',
      ],
      verdict: () =>
        "This browser has CORS switched off (Firefox's content.cors.disable preference), so it refuses every cross-origin request, this one included.",
    },
    CORSDidNotSucceed: {
      title: 'No HTTP response (network failure)',
      summary:
        'The request failed below HTTP: the connection was refused, reset, timed out, or TLS failed. The browser reports it with the same error as a CORS rejection, which is why it shows up here. No header fixes it; the server has to be reachable first.',
      why: [
        'The browser never got an HTTP response, so there was nothing to run the CORS check on.',
        'Pages see the same TypeError for this as for a real CORS rejection.',
        'Make the server reachable (running, right host and port, valid certificate); then look again.',
      ],
      verdict: (f) => {
        if (f.stage === 'redirect') {
          return `The server redirected the request to a URL with a user name and password${f.target ? ` (${f.target}, shown without them)` : ''}; the browser refused to follow it and reports only that the request did not succeed.`;
        }
        const what = f.stage === 'preflight' ? 'The preflight (OPTIONS) request' : 'The request';
        return f.error
          ? `${what} to ${f.url} failed before any HTTP response arrived: ${f.error}.`
          : `${what} to ${f.url} failed before a usable HTTP response arrived.`;
      },
    },
    CORSOriginHeaderNotAdded: {
      title: 'Origin header could not be added',
      summary:
        "Firefox could not attach the Origin header that every CORS request needs, so it refused to send the request. It happens to requests made on behalf of an add-on or other privileged code, not to ordinary pages, and it never reaches the network.",
      why: [
        'A CORS request must tell the server where it comes from in the Origin header.',
        'Here the browser could not set that header, so it did not send the request at all.',
        'Look at the code that made the request (often an add-on), not at the server.',
      ],
      verdict: () => 'The browser could not attach an Origin header to this request, so it refused to send it.',
    },
    CORSExternalRedirectNotAllowed: {
      title: 'Redirect not allowed',
      summary:
        "The server answered with a redirect where the browser cannot follow one: most often the preflight (OPTIONS) request was redirected, for instance to add a trailing slash or to move from http to https. A preflight must be answered directly at the URL it was sent to.",
      why: [
        'A preflight asks the server for permission; a redirect is not an answer to that question.',
        'Browsers refuse to follow a redirect during a preflight.',
        'Answer OPTIONS at the requested URL with 204 and the CORS headers, or have the page call the final URL directly.',
      ],
      verdict: (f) =>
        f.stage === 'preflight'
          ? `The server answered the preflight with a redirect${f.target ? ` to ${f.target}` : ''}; a preflight must be answered directly, never redirected.`
          : `The request was redirected${f.target ? ` to ${f.target}` : ''}, and the browser does not follow that redirect in CORS mode.`,
    },
    CORSRequestNotHttp: {
      title: 'Request is not http(s)',
      summary:
        "CORS only exists for http: and https: URLs. A request to a file: URL (or another scheme) in CORS mode is refused, typically when a page opened from disk loads another local file. Browsers give extensions no event for such requests, so this reason is explained here rather than recorded.",
      why: [
        'Cross-origin requests can only be made to http: and https: URLs.',
        'Pages opened from file:// have an opaque origin, and the browser will not hand them other files.',
        'Serve the page and its files from a local web server and open it over http://localhost.',
      ],
      verdict: (f) => `The request goes to ${f.url}, which is not an http: or https: URL, so it cannot be made in CORS mode.`,
    },
    CORSMissingAllowOrigin: {
      title: 'Missing Access-Control-Allow-Origin',
      summary:
        "The response carries no Access-Control-Allow-Origin header, so the browser withholds it from the page. This is the most common CORS error. Look at the status too: an error page (404, 500) or an unhandled OPTIONS request usually lacks the header even when the normal responses have it.",
      why: [
        'A page may only read a cross-origin response that the server explicitly shares with it.',
        'The server shares a response by sending Access-Control-Allow-Origin with the page origin (or * when no credentials are involved).',
        'This response had no such header, so the browser kept it from the page.',
      ],
      verdict: (f) => {
        if (f.status && f.status >= 400) {
          const what = f.stage === 'preflight' ? 'the preflight' : f.stage === 'redirect' ? 'the redirect' : 'the request';
          return `The server answered ${what} with ${f.status} and no Access-Control-Allow-Origin.`;
        }
        return `${response(f.stage)}${withStatus(f)} has no Access-Control-Allow-Origin header.`;
      },
    },
    CORSAllowOriginNotMatchingOrigin: {
      title: 'Access-Control-Allow-Origin does not match the origin',
      summary:
        "The server sent Access-Control-Allow-Origin, but with a value that is not this page's origin. The comparison is an exact string match on scheme, host and port: a trailing slash, another port, http instead of https, or a list of origins all fail. After a cross-origin redirect the request's origin becomes null, which catches many people out.",
      why: [
        "The browser compares Access-Control-Allow-Origin with the request's Origin header, character for character.",
        'Anything but an exact match (or * for requests without credentials) is a refusal.',
        'The server should echo the request origin when it is on its allow list, and add Vary: Origin.',
      ],
      verdict: (f) => {
        const slash = f.got?.endsWith('/') && f.got.slice(0, -1) === f.origin ? ' The trailing slash alone makes it a different string.' : '';
        return `${whose(f.stage)} Access-Control-Allow-Origin is ${f.got ?? '(missing)'}, but ${originPhrase(f)}.${slash}`;
      },
    },
    CORSNotSupportingCredentials: {
      title: 'Wildcard origin with credentials',
      summary:
        "The request was made with credentials (cookies or HTTP authentication), and the server answered Access-Control-Allow-Origin: *. Browsers never combine the two: a response that any site may read must not be one that carries the user's session. The server has to name the origin exactly.",
      why: [
        "Credentials make the response personal to the user; * would let every site read it.",
        'So with credentials the browser ignores * and requires the exact origin.',
        'The server must send the page origin and Access-Control-Allow-Credentials: true; or the page sends the request without credentials.',
      ],
      verdict: (f) =>
        `${whose(f.stage)} Access-Control-Allow-Origin is *, but this request was made with credentials, which need the exact origin (${f.origin}).`,
    },
    CORSMethodNotFound: {
      title: 'Method not allowed by the preflight',
      summary:
        "The preflight's Access-Control-Allow-Methods does not include the method the page wants to use. Method names are compared case-sensitively, and * counts only for requests without credentials. GET, HEAD and POST never need to be listed.",
      why: [
        'Before a PUT, PATCH, DELETE or other non-simple method, the browser asks the server with a preflight.',
        'The server grants it by listing the method in Access-Control-Allow-Methods, spelled exactly as the request spells it.',
        'The method was not in that list, so the browser did not send the request.',
      ],
      verdict: (f) => {
        const method = f.culprit ?? f.method;
        if (f.got === null || f.got === undefined) return `The preflight response has no Access-Control-Allow-Methods, so ${method} is not allowed.`;
        if (f.got.trim() === '*' && f.credentials)
          return `The preflight's Access-Control-Allow-Methods is *, which does not count for a request with credentials, so ${method} is not allowed.`;
        const caseOnly = f.got
          .split(',')
          .map((m) => m.trim())
          .some((m) => m !== method && m.toLowerCase() === method.toLowerCase());
        return `The preflight's Access-Control-Allow-Methods does not list ${method} (it says: ${f.got}).${caseOnly ? ` Methods are compared case-sensitively: it must say ${method}.` : ''}`;
      },
    },
    CORSMissingAllowCredentials: {
      title: 'Missing Access-Control-Allow-Credentials: true',
      summary:
        'The request was made with credentials and the server named the origin correctly, but it did not send Access-Control-Allow-Credentials: true. The value must be exactly "true", in lower case. Without it the browser will not expose a credentialed response, nor send a credentialed request after a preflight.',
      why: [
        'A request with credentials needs the server to opt in to credentials explicitly.',
        'It opts in with Access-Control-Allow-Credentials: true, exactly that value, on the preflight and on the response.',
        'That header was missing or had another value.',
      ],
      verdict: (f) =>
        f.got === null || f.got === undefined
          ? `${response(f.stage)} has no Access-Control-Allow-Credentials, and a request made with credentials needs it set to exactly true.`
          : `${whose(f.stage)} Access-Control-Allow-Credentials is ${f.got}; a request made with credentials needs exactly true.`,
    },
    CORSPreflightDidNotSucceed: {
      title: 'Preflight answered with an error status',
      summary:
        "The preflight (OPTIONS) request got a status outside 200–299, even though it carried a matching Access-Control-Allow-Origin. Typical causes: the framework routes OPTIONS to a handler that fails, or an authentication layer rejects the preflight, which never carries cookies or Authorization.",
      why: [
        'The browser treats a preflight as granted only when it gets a 2xx status.',
        'Preflights never carry credentials, so an auth check in front of OPTIONS rejects every one of them.',
        'Answer OPTIONS with 204 and the CORS headers before any authentication or routing that could fail.',
      ],
      verdict: (f) =>
        f.status
          ? `The server answered the preflight with ${f.status}; a preflight needs a 2xx status such as 204.`
          : 'The preflight did not get a 2xx status; it needs one, such as 204.',
    },
    CORSInvalidAllowMethod: {
      title: 'Invalid Access-Control-Allow-Methods',
      summary:
        "The preflight's Access-Control-Allow-Methods contains something that is not a valid method name, such as a stray semicolon or a quoted value. One bad entry invalidates the whole header, so even correctly listed methods fail.",
      why: [
        'Access-Control-Allow-Methods must be a comma-separated list of method names (HTTP tokens).',
        'The browser rejects the preflight when any entry is malformed.',
        'Send a clean list such as "GET, PUT, DELETE".',
      ],
      verdict: (f) =>
        `The preflight's Access-Control-Allow-Methods contains ${f.culprit ?? f.got ?? 'an invalid entry'}, which is not a valid method name, so the browser rejects the whole list.`,
    },
    CORSInvalidAllowHeader: {
      title: 'Invalid Access-Control-Allow-Headers',
      summary:
        "The preflight's Access-Control-Allow-Headers contains something that is not a valid header name, such as a trailing semicolon. One bad entry invalidates the whole header, so every custom request header fails.",
      why: [
        'Access-Control-Allow-Headers must be a comma-separated list of header names (HTTP tokens).',
        'The browser rejects the preflight when any entry is malformed.',
        'Send a clean list such as "content-type, x-token".',
      ],
      verdict: (f) =>
        `The preflight's Access-Control-Allow-Headers contains ${f.culprit ?? f.got ?? 'an invalid entry'}, which is not a valid header name, so the browser rejects the whole list.`,
    },
    CORSMissingAllowHeaderFromPreflight: {
      title: 'Request header not allowed by the preflight',
      summary:
        "The page sets a request header (a custom one, Authorization, or a non-simple Content-Type) that the preflight's Access-Control-Allow-Headers does not list. Header names are compared case-insensitively, and * covers every header except Authorization, and only without credentials.",
      why: [
        'Headers beyond a small safelist need the server’s permission, asked for in the preflight.',
        'The server grants it by listing each header name in Access-Control-Allow-Headers.',
        'One requested header was not listed, so the browser did not send the request.',
      ],
      verdict: (f) => {
        const header = f.culprit ?? 'the requested header';
        if (f.got === null || f.got === undefined) return `The preflight response has no Access-Control-Allow-Headers, so ${header} is not allowed.`;
        if (f.got.trim() === '*' && f.credentials)
          return `The preflight's Access-Control-Allow-Headers is *, which does not count for a request with credentials, so ${header} is not allowed.`;
        return `The preflight's Access-Control-Allow-Headers does not list ${header} (it says: ${f.got}).`;
      },
    },
    CORSMultipleAllowOriginNotAllowed: {
      title: 'More than one Access-Control-Allow-Origin',
      summary:
        'The response carries Access-Control-Allow-Origin twice, or one header holding several origins. Usually two layers both add it (the application and a proxy or CDN), or the server lists every allowed origin instead of echoing the one that asked.',
      why: [
        'Access-Control-Allow-Origin may hold exactly one value: *, null, or one origin.',
        'Two header lines or a comma-separated list are refused.',
        'Add the header in one place only, and echo the single origin that made the request.',
      ],
      verdict: (f) =>
        `${response(f.stage)} carries more than one Access-Control-Allow-Origin value (${f.got ?? '?'}); it must carry exactly one.`,
    },
    CORSInvalidAllowOrigin: {
      title: 'Malformed Access-Control-Allow-Origin',
      summary:
        'Access-Control-Allow-Origin holds something that is neither *, null, nor a serialised origin such as https://app.example — for instance a bare host name without a scheme. Chromium reports it separately; Firefox simply finds that it does not match.',
      why: [
        'The header must be *, null, or an origin: scheme, host and optional port, nothing else.',
        'A value of another shape can never match, so the browser refuses the response.',
        `Echo the request's Origin header exactly.`,
      ],
      verdict: (f) =>
        `${whose(f.stage)} Access-Control-Allow-Origin is ${f.got ?? '(empty)'}, which is not an origin (scheme://host[:port]), * or null; the page's origin is ${f.origin}.`,
    },
    CORSRedirectContainsCredentials: {
      title: 'Redirect to a URL with credentials',
      summary:
        'The server redirected the CORS request to a URL that contains a user name or password (https://user:pass@host/…). Browsers refuse to follow such a redirect in CORS mode, since it would smuggle credentials across origins.',
      why: [
        'A URL with user:password embeds credentials the page never chose to send.',
        'Browsers therefore refuse that redirect for cross-origin requests.',
        'Redirect to a URL without credentials, or let the page call the target directly.',
      ],
      verdict: (f) =>
        `The request was redirected to a URL that contains a user name or password${f.target ? ` (${f.target}, shown without them)` : ''}, and the browser refuses to follow it in CORS mode.`,
    },
    CORSLocalNetworkAccess: {
      title: 'Local network access blocked',
      summary:
        "Chromium guards loopback and private addresses (127.0.0.1, 192.168.x.x, …) from pages on more public networks. Such a request needs the user's permission (Local Network Access), and older versions asked the server through a preflight header. Without either, the request is blocked before or after it is sent.",
      why: [
        'A public website could otherwise probe or attack devices on your network.',
        'So Chromium only lets a page reach a more private address when the user grants it.',
        'The page must be served over HTTPS and the user must allow local network access when asked.',
      ],
      verdict: (f) =>
        `A page on ${f.pageOrigin} tried to reach ${f.address ?? f.url}, an address on a more private network, and the browser blocked it.`,
    },
    CORSDisallowedByMode: {
      title: 'Cross-origin request in same-origin mode',
      summary:
        'The request was made with mode "same-origin" but goes to another origin, so the browser refuses it before sending anything. The server is not involved; the request mode in the page has to change.',
      why: [
        'mode: "same-origin" tells the browser the request must never leave the page’s origin.',
        'The URL is on another origin, so the browser rejects it without sending it.',
        'Use mode "cors" (the default for fetch) and have the server allow the origin.',
      ],
      verdict: (f) => `The request was made with mode "same-origin", but ${f.url} is on another origin than the page (${f.pageOrigin}).`,
    },
    CORSAllowHeaderFromPreflightDeprecation: {
      title: 'Authorization allowed only by wildcard (deprecated)',
      summary:
        'The request sends Authorization, and the preflight allows it only through Access-Control-Allow-Headers: *. Browsers still accept this for now and warn, but the standard says the wildcard does not cover Authorization. List it by name to stay working.',
      why: [
        'The standard excludes Authorization from the * wildcard, because it carries credentials.',
        'Browsers tolerate it for now and print a deprecation warning.',
        'Add authorization to Access-Control-Allow-Headers explicitly.',
      ],
      verdict: () =>
        'The preflight allows Authorization only through Access-Control-Allow-Headers: *. The request passed, but the standard says * does not cover Authorization.',
    },
  },

  unknownReason: {
    title: 'Cross-origin request blocked',
    summary: 'The browser blocked a cross-origin request for a reason this version does not know by name.',
    why: [
      'The browser refused to share this cross-origin response with the page.',
      'Compare the response headers with what the request asked for: origin, method and headers.',
    ],
    verdict: (f) => `The browser blocked the request to ${f.url}.`,
  },

  stages: {
    preflight: 'Preflight (OPTIONS)',
    actual: 'Request',
    redirect: 'Redirect',
    network: 'Network',
  },

  findings: {
    'http-error-status': (x) => {
      if (x.stage === 'preflight') {
        if (x.status === 404 || x.status === 405)
          return `The preflight got ${x.status}: the server has no handler for OPTIONS at this URL. Answer OPTIONS with 204 and the CORS headers; the CORS message is only the symptom.`;
        if (x.status === 401 || x.status === 403)
          return `The preflight got ${x.status}: an authentication or firewall layer rejects it. Preflights never carry cookies or Authorization, so let OPTIONS through before the auth check.`;
        return `The server answered the preflight with ${x.status}. Fix that error first: the CORS message is its symptom.`;
      }
      return `The server answered with ${x.status}. Error responses often skip the CORS headers, so the page sees a CORS error instead of the ${x.status}: fix the error first, and send the CORS headers on error responses too.`;
    },
    'network-error': (x) => `The connection failed: ${x.error}. No HTTP response arrived, so no header can fix this.`,
    'cached-response': (x) =>
      x.stage === 'preflight'
        ? 'The preflight result came from the browser’s preflight cache (Access-Control-Max-Age): a change on the server shows only once that entry expires.'
        : 'The response came from a cache. If the server’s answer depends on the origin, a copy cached for another origin fails here: send Vary: Origin.',
    'missing-vary-origin': () =>
      'The response picks Access-Control-Allow-Origin per origin but does not send Vary: Origin, so a browser or CDN cache can hand one origin’s answer to another.',
    'credentials-sent': (x) =>
      x.via === 'cookie'
        ? 'The request carried a Cookie, so it was made with credentials: the server must name the origin exactly (never *) and send Access-Control-Allow-Credentials: true.'
        : 'The browser added an Authorization header (HTTP authentication), so the request counts as made with credentials: the server must name the origin exactly and send Access-Control-Allow-Credentials: true.',
    'null-origin-after-redirect': (x) =>
      `After ${x.redirectCount === 1 ? 'a cross-origin redirect' : `${x.redirectCount} redirects, at least one of them cross-origin`}, the browser sent Origin: null. Allowing null also admits sandboxed and file:// pages; calling the final URL directly is usually better.`,
    'local-network': (x) =>
      `The request went to ${x.address}, a local or private address, from a page on a more public network. Chromium asks the user’s permission (Local Network Access) before letting a page reach it.`,
    'file-page': () =>
      'The page was opened from a file:// URL. Its origin is null and browsers refuse most of its cross-origin requests; serve it from a local web server (http://localhost) instead.',
    'authorization-via-wildcard': () =>
      'Authorization is allowed only through Access-Control-Allow-Headers: *. The standard excludes Authorization from the wildcard; list it by name before browsers enforce that.',
    'preflight-reason': (x) => {
      if (x.cause === 'method') return `The request was preflighted because of its method, ${x.value}.`;
      if (x.cause === 'header') return `The request was preflighted because it sets the header ${x.value}.`;
      return `The request was preflighted because of its Content-Type, ${x.value}.`;
    },
    'header-value-truncated': (x) => `The value of ${x.header} was very long and was shortened when it was recorded.`,
  },

  networkError: {
    refused: 'nothing is listening on that host and port',
    dns: 'the host name does not resolve',
    reset: 'the server closed the connection without answering',
    timeout: 'the server did not answer in time',
    certificate: 'the server’s TLS certificate was not accepted',
    tls: 'the TLS handshake failed',
    'blocked-by-client': 'an extension (an ad or privacy blocker, say) blocked it',
    unreachable: 'the network or host is unreachable',
    'local-network': 'Chromium blocked access to a local network address',
    aborted: 'the request was cancelled (by the page, a navigation, or the browser)',
    other: 'a network error',
  },

  errorWithHint: (error, hint) => `${error} (${hint})`,

  certainty: (unseen, alternatives) => {
    const others = alternatives.length > 0 ? list(alternatives, 'or') : '';
    switch (unseen) {
      case 'credentials-mode':
        return `This request carried no cookie, so we cannot see whether it was made with credentials (fetch's credentials: 'include', or XMLHttpRequest's withCredentials). If it was, the verdict above applies. ${
          others ? `If not, the likely cause is: ${others}.` : 'If not, nothing else explains the failure, so it almost certainly was.'
        }`;
      case 'request-mode':
        return `Extensions cannot see a request's mode (cors, no-cors, same-origin), so this verdict is inferred from the other facts.${others ? ` It could also be: ${others}.` : ''}`;
      case 'response-headers':
        return `The browser did not show this response's headers to extensions, so the verdict rests on the error alone.${others ? ` It could also be: ${others}.` : ''}`;
      case 'console-only':
        return `This browser names the exact reason only in its console, so the verdict is inferred from the headers.${others ? ` It could also be: ${others}.` : ''}`;
      default:
        return `Part of this request was not visible, so the verdict is inferred.${others ? ` It could also be: ${others}.` : ''}`;
    }
  },

  preflightWhy: (causes) => {
    if (causes.length === 0)
      return 'The browser sent a preflight, though the recorded request shows no method or header that needs one. Other triggers are an upload progress listener on XMLHttpRequest and a streamed request body.';
    if (causes.every((c) => c.cause === 'local-network'))
      return 'The preflight asked the server whether it may be reached from a less private network (Private Network Access); it was not about the method or the headers.';
    const parts: string[] = [];
    const method = causes.find((c) => c.cause === 'method');
    if (method) parts.push(`the method is ${method.value}`);
    const headers = causes.filter((c) => c.cause === 'header').map((c) => c.value);
    if (headers.length > 0) parts.push(`the request sets ${list(headers, 'and')}`);
    const type = causes.find((c) => c.cause === 'content-type');
    if (type) parts.push(type.value ? `the Content-Type is ${type.value}` : 'the Content-Type is not one of the three simple ones');
    const several = parts.length > 1 || headers.length > 1;
    return `The browser sent a preflight (OPTIONS) first because ${list(parts, 'and')}. Requests that use GET, HEAD or POST, only safelisted headers, and a Content-Type of text/plain, multipart/form-data or application/x-www-form-urlencoded go without one, so avoiding ${several ? 'these' : 'this'} is often the simplest fix.`;
  },

  client: {
    'omit-credentials': () =>
      "If the request does not need the user's cookies or HTTP authentication, send it without credentials (drop credentials: 'include' or withCredentials). Then Access-Control-Allow-Origin: * is enough.",
    'drop-header': (c) =>
      `If the server can do without ${c.detail ?? 'the custom header'}, stop sending it: the request then needs no preflight. The response still needs Access-Control-Allow-Origin.`,
    'simple-content-type': () =>
      'Send the body as text/plain (and parse it on the server): the request then needs no preflight. The response still needs Access-Control-Allow-Origin.',
    'use-final-url': (c) => `Call ${c.detail ?? 'the final URL'} directly, so that no redirect is involved; its response must then allow ${c.origin}.`,
    'use-simple-method': (c) =>
      `If the API offers the same operation over POST, using it instead of ${c.detail ?? c.method} avoids the preflight. The response still needs Access-Control-Allow-Origin.`,
    'serve-over-http': () => 'Serve the page from a local web server and open it over http://localhost instead of file://.',
    'use-cors-mode': () => `Make the request with mode: 'cors' (fetch's default) instead of 'same-origin'; the server must then allow the origin.`,
  },

  other: {
    'fix-server-error': () => 'Fix the server error itself: CORS headers make the error readable to the page, they do not make it go away.',
    'fix-network': () => 'Make the server reachable: check that it runs, listens on this host and port, and has a valid certificate.',
    'local-network-permission': () =>
      'Serve the page over HTTPS and let the user grant it local network access when Chromium asks; or serve the page from the same network as the device.',
    'remove-url-credentials': () => "Remove the user name and password from the redirect's Location header; send credentials in a header instead.",
    'serve-over-http': () => 'Serve the page from a web server instead of opening it from disk.',
    'change-request-mode': () => "Change the request's mode from 'same-origin' to 'cors' in the page's code.",
    'browser-setting': (reason) =>
      reason === 'CORSDisabled'
        ? 'Set content.cors.disable back to false in about:config.'
        : 'Look at the code that makes the request (often an add-on); the server cannot change this.',
  },
  avoidRedirect: (url) => `Answer at the requested URL instead of redirecting, or have the page call ${url} directly.`,
  removeHeaders: (names) =>
    `Remove the existing ${list(names, 'and')} first: it is often added twice, by the application and by a proxy or CDN in front of it.`,
  setOnUrl: (url) => `Set these headers on the response of ${url}.`,
  list,

  markdown: {
    heading: (count) => `CORS failures (${count})`,
    page: 'Page',
    generated: 'Generated',
    engine: 'Browser engine',
    extension: 'CORS Explainer',
    dropped: (count) => `${count} older failure${count === 1 ? ' was' : 's were'} dropped (per-tab limit).`,
    none: 'No CORS failures were recorded.',
    reason: 'Reason',
    verdict: 'Verdict',
    evidence: 'Evidence',
    stage: 'Stage',
    header: 'Header',
    got: 'Received',
    needed: 'Needed',
    ok: 'OK',
    absent: '(absent)',
    yes: 'yes',
    no: 'no',
    headersToSet: 'Headers to set',
    preflightResponse: (status) => `Preflight response (OPTIONS, status ${status})`,
    actualResponse: 'Response',
    redirectResponse: 'Redirect response',
    onUrl: (url) => `on ${url}`,
    alsoDo: 'Also',
    clientAlternative: 'Client-side alternative',
    reproduce: 'Reproduce',
    notes: 'Notes',
    truncated: (chars) => `… (cut, ${chars} characters in all)`,
  },
};
