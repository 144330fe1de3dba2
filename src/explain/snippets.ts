/**
 * The fix as configuration or code for common server stacks, filled in with this request's origin,
 * method, headers and credentials. Each snippet sets the same headers the Fix lists, in the idiom of its
 * stack: answer OPTIONS with a 2xx before anything that could fail, send the headers on error responses
 * too, name the exact origin when credentials are involved, and send Access-Control-Allow-Origin once.
 *
 * Values come from the wire and may be hostile; each language quotes them its own way, so a value can
 * never end a string literal or a comment early.
 */
import type { HeaderList } from '../cors/exchange.ts';
import type { CorsRecord } from '../cors/record.ts';
import { escapeInvisible, replaceChars } from './display-value.ts';
import { headerValue, requestMethod, splitList } from './request-facts.ts';
import type { Fix, Locale, ServerStack, Snippet } from './types.ts';

export const SERVER_STACKS: readonly ServerStack[] = [
  'headers',
  'express',
  'nginx',
  'apache',
  'caddy',
  'django',
  'flask',
  'fastapi',
  'spring',
  'aspnet',
  'rails',
  'go',
];

const LABELS: Record<ServerStack, { label: string; language: string }> = {
  headers: { label: 'HTTP headers', language: 'http' },
  express: { label: 'Express (cors)', language: 'js' },
  nginx: { label: 'nginx', language: 'nginx' },
  apache: { label: 'Apache (mod_headers)', language: 'apache' },
  caddy: { label: 'Caddy', language: 'caddy' },
  django: { label: 'Django (django-cors-headers)', language: 'python' },
  flask: { label: 'Flask (Flask-CORS)', language: 'python' },
  fastapi: { label: 'FastAPI (CORSMiddleware)', language: 'python' },
  spring: { label: 'Spring (CorsFilter)', language: 'java' },
  aspnet: { label: 'ASP.NET Core (CORS middleware)', language: 'csharp' },
  rails: { label: 'Rails (rack-cors)', language: 'ruby' },
  go: { label: 'Go (net/http)', language: 'go' },
};

/** What every snippet is filled in with, read back from the Fix so snippets and Fix never disagree. */
export interface SnippetFacts {
  origin: string;
  credentials: boolean;
  /** Methods to allow (the preflight's list, or the request's own method). */
  methods: string[];
  /** Request headers to allow; empty when none are needed. */
  headers: string[];
  maxAge?: string;
  preflight: boolean;
  privateNetwork: boolean;
  localNetwork: boolean;
  /** The server already sends Access-Control-Allow-Origin somewhere else too. */
  removeOrigin: boolean;
  /** Origin (scheme://host:port) and path of the URL that needs the headers. */
  siteOrigin: string;
  path: string;
  method: string;
  url: string;
  /** The actual response was a 5xx. */
  serverError: boolean;
}

function get(headers: HeaderList | undefined, name: string): string | undefined {
  return headerValue(headers, name);
}

export function snippetFacts(record: CorsRecord, fix: Fix): SnippetFacts | undefined {
  const pre = fix.preflight?.setHeaders;
  const act = fix.actual?.setHeaders;
  if (!pre && !act) return undefined;
  const origin = get(act, 'access-control-allow-origin') ?? get(pre, 'access-control-allow-origin');
  if (origin === undefined) return undefined;
  const method = requestMethod(record.exchange);
  const url = fix.actual?.url ?? record.exchange.url;
  let siteOrigin = 'null';
  let path = '/';
  try {
    const parsed = new URL(url);
    siteOrigin = parsed.origin;
    path = parsed.pathname;
  } catch {
    // Keep the defaults: the snippet still carries the headers.
  }
  const methods = pre ? splitList(get(pre, 'access-control-allow-methods')) : [];
  return {
    origin,
    credentials: get(act, 'access-control-allow-credentials') === 'true' || get(pre, 'access-control-allow-credentials') === 'true',
    methods: methods.length > 0 ? methods : [method],
    headers: splitList(get(pre, 'access-control-allow-headers')),
    maxAge: get(pre, 'access-control-max-age'),
    preflight: pre !== undefined,
    privateNetwork: get(pre, 'access-control-allow-private-network') === 'true',
    localNetwork: get(pre, 'access-control-allow-local-network') === 'true',
    removeOrigin: [...(fix.actual?.removeHeaders ?? []), ...(fix.preflight?.removeHeaders ?? [])].some(
      (h) => h.toLowerCase() === 'access-control-allow-origin',
    ),
    siteOrigin,
    path,
    method,
    url,
    serverError: (record.exchange.response?.status ?? 0) >= 500,
  };
}

// ── Quoting, one function per language ────────────────────────────────────────────────────────────────

/** A double-quoted string literal valid in JavaScript, Python, Java, C# and Go: JSON's escapes are a
 * subset of each (control characters, quotes and backslashes escaped; nothing else special). */
export function cString(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Ruby double quotes also interpolate `#{…}`: escape the hash. */
export function rubyString(value: string): string {
  return cString(value).replace(/#/g, '\\#');
}

/** Single-quoted JavaScript string. */
export function jsString(value: string): string {
  const inner = JSON.stringify(value)
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'")
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${inner}'`;
}

/** Text safe inside a line comment of any of these languages: no line break can end it early. */
export function commentText(value: string): string {
  return escapeInvisible(value);
}

/** A header value in a raw HTTP block: a line break there would start a new header, so controls go. */
function httpValue(value: string): string {
  return replaceChars(value, () => ' ');
}

/** nginx double-quoted string. `$` starts a variable and has no escape: a value holding one cannot be
 * written literally, so it is replaced (no valid origin, method or header name contains it). */
export function nginxString(value: string): string {
  return `"${replaceChars(value, () => '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\$/g, '_')}"`;
}

/** Apache mod_headers value: double-quoted, `%` starts a format specifier (`%%` is a literal one). */
export function apacheString(value: string): string {
  return `"${replaceChars(value, () => '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/%/g, '%%')}"`;
}

/** Caddyfile double-quoted token: braces are placeholders, so they are escaped too. */
export function caddyString(value: string): string {
  return `"${replaceChars(value, () => '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[{}]/g, (c) => `\\${c}`)}"`;
}

function pyList(values: string[]): string {
  return `[${values.map(cString).join(', ')}]`;
}

// ── One builder per stack ─────────────────────────────────────────────────────────────────────────────

function headersSnippet(f: SnippetFacts, fix: Fix): string {
  const out: string[] = [];
  if (fix.preflight) {
    out.push(`# Preflight: OPTIONS ${commentText(f.path)}`);
    out.push(`HTTP/1.1 ${fix.preflight.status} ${fix.preflight.status === 204 ? 'No Content' : 'OK'}`);
    for (const [name, value] of fix.preflight.setHeaders) out.push(`${httpValue(name)}: ${httpValue(value)}`);
  }
  for (const hop of fix.redirects ?? []) {
    if (out.length > 0) out.push('');
    out.push(`# Redirect response of ${commentText(hop.url)}`);
    for (const [name, value] of hop.setHeaders) out.push(`${httpValue(name)}: ${httpValue(value)}`);
  }
  if (fix.actual) {
    if (out.length > 0) out.push('');
    const remove = fix.actual.removeHeaders?.length ? ` (remove any other ${fix.actual.removeHeaders.join(', ')} first)` : '';
    out.push(`# ${commentText(f.method)} ${commentText(fix.actual.url ?? f.path)}: on every response, errors included${commentText(remove)}`);
    for (const [name, value] of fix.actual.setHeaders) out.push(`${httpValue(name)}: ${httpValue(value)}`);
  }
  return out.join('\n');
}

function expressSnippet(f: SnippetFacts): string {
  const options = [`  origin: ${jsString(f.origin)},`];
  if (f.preflight) {
    options.push(`  methods: [${f.methods.map(jsString).join(', ')}],`);
    if (f.headers.length > 0) options.push(`  allowedHeaders: [${f.headers.map(jsString).join(', ')}],`);
  }
  if (f.credentials) options.push('  credentials: true,');
  if (f.preflight && f.maxAge) options.push(`  maxAge: ${Number(f.maxAge) || 600},`);
  const lines = ['// npm install cors', "const cors = require('cors');", ''];
  if (f.privateNetwork || f.localNetwork) {
    const [req, res] = f.privateNetwork
      ? ['access-control-request-private-network', 'Access-Control-Allow-Private-Network']
      : ['access-control-request-local-network', 'Access-Control-Allow-Local-Network'];
    lines.push(
      '// The cors package does not answer the local-network question itself.',
      'app.use((req, res, next) => {',
      `  if (req.headers['${req}'] === 'true') res.setHeader('${res}', 'true');`,
      '  next();',
      '});',
      '',
    );
  }
  lines.push('const corsOptions = {', ...options, '};', '');
  if (f.preflight) lines.push('// Before your routes: it answers preflights (OPTIONS) with 204 and adds the headers to every response.');
  else lines.push('// Before your routes, so every response (errors from your handlers included) gets the headers.');
  lines.push('app.use(cors(corsOptions));');
  if (f.removeOrigin) lines.push('// Remove any other code or proxy that also sets Access-Control-Allow-Origin: it must be sent once.');
  return lines.join('\n');
}

function nginxSnippet(f: SnippetFacts, fix: Fix): string {
  const add = (name: string, value: string, indent: string) => `${indent}add_header ${name} ${nginxString(value)} always;`;
  const lines = [`# In the server block that serves ${commentText(f.siteOrigin)} (or the location that serves ${commentText(f.path)})`, 'location / {'];
  if (fix.preflight) {
    lines.push('    # Answer preflights here, before the application (or an auth check) can fail them.');
    lines.push('    if ($request_method = OPTIONS) {');
    for (const [name, value] of fix.preflight.setHeaders) lines.push(add(name, value, '        '));
    lines.push(`        return ${fix.preflight.status};`);
    lines.push('    }');
  }
  if (fix.actual) {
    lines.push("    # Drop the upstream's own copies, so each header is sent exactly once.");
    for (const [name] of fix.actual.setHeaders) if (name.toLowerCase() !== 'vary') lines.push(`    proxy_hide_header ${name};`);
    lines.push('    # "always": error responses (4xx, 5xx) get the headers too.');
    for (const [name, value] of fix.actual.setHeaders) lines.push(add(name, value, '    '));
  }
  lines.push('', '    # … your existing proxy_pass / root …', '}');
  return lines.join('\n');
}

function apacheSnippet(f: SnippetFacts, fix: Fix): string {
  const lines = [`# In the <VirtualHost> (or .htaccess) that serves ${commentText(f.siteOrigin)}; needs mod_headers and mod_rewrite.`];
  lines.push('<IfModule mod_headers.c>');
  const seen = new Set<string>();
  const all: (readonly [string, string])[] = [...(fix.actual?.setHeaders ?? []), ...(fix.preflight?.setHeaders ?? [])].filter(([name]) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  lines.push('    # Remove copies set by the application or a backend, so each header is sent once.');
  for (const [name] of all) if (name.toLowerCase() !== 'vary') lines.push(`    Header unset ${name}`);
  lines.push('    # "always": error responses (4xx, 5xx) get the headers too.');
  for (const [name, value] of all) {
    if (name.toLowerCase() === 'vary') lines.push(`    Header always merge Vary ${apacheString('Origin')}`);
    else lines.push(`    Header always set ${name} ${apacheString(value)}`);
  }
  lines.push('</IfModule>');
  if (fix.preflight) {
    lines.push(
      '<IfModule mod_rewrite.c>',
      `    # Answer preflights with ${fix.preflight.status} before the application sees them.`,
      '    RewriteEngine On',
      '    RewriteCond %{REQUEST_METHOD} OPTIONS',
      '    RewriteCond %{HTTP:Access-Control-Request-Method} !^$',
      `    RewriteRule ^ - [R=${fix.preflight.status},L]`,
      '</IfModule>',
    );
  }
  return lines.join('\n');
}

function caddySnippet(f: SnippetFacts, fix: Fix): string {
  const lines = [`${f.siteOrigin === 'null' ? ':80' : f.siteOrigin.replace(/[^A-Za-z0-9.:/[\]-]/g, '')} {`];
  if (fix.preflight) {
    lines.push('\t@preflight method OPTIONS', '\thandle @preflight {', '\t\theader {');
    for (const [name, value] of fix.preflight.setHeaders) lines.push(`\t\t\t${name} ${caddyString(value)}`);
    lines.push('\t\t}', `\t\trespond ${fix.preflight.status}`, '\t}', '');
  }
  if (fix.actual) {
    lines.push('\t# defer: applied after the backend answered, replacing its own copies.', '\theader {', '\t\tdefer');
    for (const [name, value] of fix.actual.setHeaders) {
      if (name.toLowerCase() === 'vary') lines.push(`\t\t+Vary ${caddyString('Origin')}`);
      else lines.push(`\t\t${name} ${caddyString(value)}`);
    }
    lines.push('\t}', '');
  }
  lines.push('\t# … your existing reverse_proxy / file_server …', '}');
  return lines.join('\n');
}

const DJANGO_DEFAULT_HEADERS = new Set(['accept', 'authorization', 'content-type', 'user-agent', 'x-csrftoken', 'x-requested-with']);
const DJANGO_DEFAULT_METHODS = new Set(['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

function djangoSnippet(f: SnippetFacts): string {
  const extraHeaders = f.headers.filter((h) => !DJANGO_DEFAULT_HEADERS.has(h.toLowerCase()));
  const extraMethods = f.methods.filter((m) => !DJANGO_DEFAULT_METHODS.has(m));
  const imports = [...(extraHeaders.length > 0 ? ['default_headers'] : []), ...(extraMethods.length > 0 ? ['default_methods'] : [])];
  const lines = ['# settings.py (pip install django-cors-headers)'];
  if (imports.length > 0) lines.push(`from corsheaders.defaults import ${imports.join(', ')}`);
  lines.push(
    '',
    'INSTALLED_APPS = [',
    '    # …',
    '    "corsheaders",',
    ']',
    '',
    'MIDDLEWARE = [',
    '    "corsheaders.middleware.CorsMiddleware",  # as high as possible, above CommonMiddleware',
    '    # …',
    ']',
    '',
    `CORS_ALLOWED_ORIGINS = ${pyList([f.origin])}`,
  );
  if (f.credentials) lines.push('CORS_ALLOW_CREDENTIALS = True');
  if (extraHeaders.length > 0) lines.push(`CORS_ALLOW_HEADERS = (*default_headers, ${extraHeaders.map(cString).join(', ')})`);
  if (extraMethods.length > 0) lines.push(`CORS_ALLOW_METHODS = (*default_methods, ${extraMethods.map(cString).join(', ')})`);
  if (f.preflight && f.maxAge) lines.push(`CORS_PREFLIGHT_MAX_AGE = ${Number(f.maxAge) || 600}`);
  if (f.privateNetwork) lines.push('CORS_ALLOW_PRIVATE_NETWORK = True');
  if (f.removeOrigin) lines.push('# Remove any other middleware or proxy rule that also sets Access-Control-Allow-Origin.');
  return lines.join('\n');
}

function flaskSnippet(f: SnippetFacts): string {
  const args = ['    app,', `    origins=${pyList([f.origin])},`, `    methods=${pyList(f.methods)},`];
  if (f.headers.length > 0) args.push(`    allow_headers=${pyList(f.headers)},`);
  if (f.credentials) args.push('    supports_credentials=True,');
  if (f.preflight && f.maxAge) args.push(`    max_age=${Number(f.maxAge) || 600},`);
  const lines = ['# pip install flask-cors', 'from flask_cors import CORS', '', 'CORS(', ...args, ')'];
  if (f.privateNetwork || f.localNetwork) lines.push('# Flask-CORS may not answer the local-network question: add that header to OPTIONS responses yourself.');
  if (f.removeOrigin) lines.push('# Remove any other code or proxy rule that also sets Access-Control-Allow-Origin.');
  return lines.join('\n');
}

function fastapiSnippet(f: SnippetFacts): string {
  const args = ['    CORSMiddleware,', `    allow_origins=${pyList([f.origin])},`, `    allow_methods=${pyList(f.methods)},`];
  if (f.headers.length > 0) args.push(`    allow_headers=${pyList(f.headers)},`);
  if (f.credentials) args.push('    allow_credentials=True,');
  if (f.preflight && f.maxAge) args.push(`    max_age=${Number(f.maxAge) || 600},`);
  const lines = ['from fastapi.middleware.cors import CORSMiddleware', '', 'app.add_middleware(', ...args, ')'];
  if (f.serverError)
    lines.push('# Unhandled exceptions become a 500 outside this middleware, without CORS headers: fix the error itself.');
  if (f.privateNetwork || f.localNetwork) lines.push('# CORSMiddleware does not answer the local-network question: add that header to OPTIONS responses yourself.');
  if (f.removeOrigin) lines.push('# Remove any other code or proxy rule that also sets Access-Control-Allow-Origin.');
  return lines.join('\n');
}

const SPRING_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']);

function springSnippet(f: SnippetFacts): string {
  const lines = [
    'import java.util.List;',
    'import org.springframework.boot.web.servlet.FilterRegistrationBean;',
    'import org.springframework.context.annotation.Bean;',
    'import org.springframework.context.annotation.Configuration;',
    'import org.springframework.core.Ordered;',
    'import org.springframework.web.cors.CorsConfiguration;',
    'import org.springframework.web.cors.UrlBasedCorsConfigurationSource;',
    'import org.springframework.web.filter.CorsFilter;',
    '',
    '@Configuration',
    'public class CorsConfig {',
    '    @Bean',
    '    public FilterRegistrationBean<CorsFilter> corsFilter() {',
    '        CorsConfiguration config = new CorsConfiguration();',
    `        config.setAllowedOrigins(List.of(${cString(f.origin)}));`,
    `        config.setAllowedMethods(List.of(${f.methods.map(cString).join(', ')}));`,
  ];
  if (f.headers.length > 0) lines.push(`        config.setAllowedHeaders(List.of(${f.headers.map(cString).join(', ')}));`);
  if (f.credentials) lines.push('        config.setAllowCredentials(true);');
  if (f.preflight && f.maxAge) lines.push(`        config.setMaxAge(${Number(f.maxAge) || 600}L);`);
  if (f.privateNetwork) lines.push('        config.setAllowPrivateNetwork(true); // recent Spring versions');
  lines.push(
    '        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();',
    '        source.registerCorsConfiguration("/**", config);',
    '        // First in the chain: preflights are answered before Spring Security or a handler can reject them.',
    '        FilterRegistrationBean<CorsFilter> bean = new FilterRegistrationBean<>(new CorsFilter(source));',
    '        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);',
    '        return bean;',
    '    }',
    '}',
  );
  if (f.methods.every((m) => SPRING_METHODS.has(m))) {
    const methods = f.methods.map((m) => `RequestMethod.${m}`);
    const attrs = [`origins = ${cString(f.origin)}`, `methods = ${methods.length === 1 ? methods[0] : `{${methods.join(', ')}}`}`];
    if (f.headers.length > 0) attrs.push(`allowedHeaders = {${f.headers.map(cString).join(', ')}}`);
    if (f.credentials) attrs.push('allowCredentials = "true"');
    if (f.preflight && f.maxAge) attrs.push(`maxAge = ${Number(f.maxAge) || 600}`);
    lines.push('// Or on one controller (without Spring Security in front of it):', `// @CrossOrigin(${attrs.join(', ')})`);
  }
  if (f.removeOrigin) lines.push('// Remove any other filter or proxy rule that also sets Access-Control-Allow-Origin.');
  return lines.join('\n');
}

function aspnetSnippet(f: SnippetFacts): string {
  const policy = [`        .WithOrigins(${cString(f.origin)})`, `        .WithMethods(${f.methods.map(cString).join(', ')})`];
  if (f.headers.length > 0) policy.push(`        .WithHeaders(${f.headers.map(cString).join(', ')})`);
  if (f.credentials) policy.push('        .AllowCredentials()');
  if (f.preflight && f.maxAge) policy.push(`        .SetPreflightMaxAge(TimeSpan.FromSeconds(${Number(f.maxAge) || 600}))`);
  const last = policy.length - 1;
  policy[last] = `${policy[last]});`;
  const lines = [
    '// Program.cs',
    'builder.Services.AddCors(options =>',
    '{',
    '    options.AddPolicy("ApiCors", policy => policy',
    ...policy,
    '});',
    '',
    'var app = builder.Build();',
    'app.UseRouting();',
    '// After UseRouting, before UseAuthentication/UseAuthorization: preflights never carry credentials.',
    'app.UseCors("ApiCors");',
  ];
  if (f.privateNetwork || f.localNetwork) lines.push('// The CORS middleware does not answer the local-network question: add that header to OPTIONS responses yourself.');
  if (f.removeOrigin) lines.push('// Remove any other middleware or proxy rule that also sets Access-Control-Allow-Origin.');
  return lines.join('\n');
}

function rubyMethod(method: string): string {
  return /^[A-Za-z]+$/.test(method) ? `:${method.toLowerCase()}` : rubyString(method);
}

function railsSnippet(f: SnippetFacts): string {
  const options = [];
  if (f.headers.length > 0) options.push(`      headers: [${f.headers.map(rubyString).join(', ')}],`);
  options.push(`      methods: [${f.methods.map(rubyMethod).join(', ')}],`);
  if (f.credentials) options.push('      credentials: true,');
  if (f.preflight && f.maxAge) options.push(`      max_age: ${Number(f.maxAge) || 600},`);
  const lastIndex = options.length - 1;
  options[lastIndex] = options[lastIndex]!.replace(/,$/, '');
  const lines = [
    '# Gemfile: gem "rack-cors"',
    '# config/initializers/cors.rb',
    'Rails.application.config.middleware.insert_before 0, Rack::Cors do',
    '  allow do',
    `    origins ${rubyString(f.origin)}`,
    '    resource "*",',
    ...options,
    '  end',
    'end',
  ];
  if (f.privateNetwork || f.localNetwork) lines.push('# rack-cors may not answer the local-network question: add that header to OPTIONS responses yourself.');
  if (f.removeOrigin) lines.push('# Remove any other middleware or proxy rule that also sets Access-Control-Allow-Origin.');
  return lines.join('\n');
}

function goSnippet(f: SnippetFacts, fix: Fix): string {
  const lines = [
    '// Wrap your handler: http.ListenAndServe(addr, withCORS(mux))',
    'func withCORS(next http.Handler) http.Handler {',
    '\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {',
    '\t\th := w.Header()',
    `\t\tif r.Header.Get("Origin") == ${cString(f.origin)} {`,
  ];
  for (const [name, value] of fix.actual?.setHeaders ?? [['Access-Control-Allow-Origin', f.origin]]) {
    if (name.toLowerCase() !== 'vary') lines.push(`\t\t\th.Set(${cString(name)}, ${cString(value)})`);
  }
  if (!fix.actual && f.credentials) lines.push('\t\t\th.Set("Access-Control-Allow-Credentials", "true")');
  lines.push('\t\t}', '\t\th.Add("Vary", "Origin")');
  if (fix.preflight) {
    lines.push('\t\tif r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {');
    for (const [name, value] of fix.preflight.setHeaders) {
      const key = name.toLowerCase();
      if (key === 'access-control-allow-origin' || key === 'access-control-allow-credentials') continue;
      lines.push(`\t\t\th.Set(${cString(name)}, ${cString(value)})`);
    }
    lines.push(`\t\t\tw.WriteHeader(${fix.preflight.status === 204 ? 'http.StatusNoContent' : fix.preflight.status})`, '\t\t\treturn', '\t\t}');
  }
  lines.push('\t\tnext.ServeHTTP(w, r)', '\t})', '}');
  const opts = [`AllowedOrigins: []string{${cString(f.origin)}}`, `AllowedMethods: []string{${f.methods.map(cString).join(', ')}}`];
  if (f.headers.length > 0) opts.push(`AllowedHeaders: []string{${f.headers.map(cString).join(', ')}}`);
  if (f.credentials) opts.push('AllowCredentials: true');
  if (f.preflight && f.maxAge) opts.push(`MaxAge: ${Number(f.maxAge) || 600}`);
  if (f.privateNetwork) opts.push('AllowPrivateNetwork: true');
  lines.push('', '// Or with github.com/rs/cors:', `// cors.New(cors.Options{${opts.join(', ')}}).Handler(mux)`);
  if (f.removeOrigin) lines.push('// Remove any other handler or proxy rule that also sets Access-Control-Allow-Origin.');
  return lines.join('\n');
}

/** The fix as a snippet per server stack; empty when the fix has no headers (network, browser setting…).
 * The locale is accepted for comments; the code is the same in every locale. */
export function fixSnippets(record: CorsRecord, fix: Fix, _locale: Locale): Snippet[] {
  const facts = snippetFacts(record, fix);
  if (!facts) return [];
  const code: Record<ServerStack, () => string> = {
    headers: () => headersSnippet(facts, fix),
    express: () => expressSnippet(facts),
    nginx: () => nginxSnippet(facts, fix),
    apache: () => apacheSnippet(facts, fix),
    caddy: () => caddySnippet(facts, fix),
    django: () => djangoSnippet(facts),
    flask: () => flaskSnippet(facts),
    fastapi: () => fastapiSnippet(facts),
    spring: () => springSnippet(facts),
    aspnet: () => aspnetSnippet(facts),
    rails: () => railsSnippet(facts),
    go: () => goSnippet(facts, fix),
  };
  return SERVER_STACKS.map((stack) => ({ stack, ...LABELS[stack], code: code[stack]() }));
}

/** The stack that most likely answered, from the Server / X-Powered-By headers, to show its snippet first. */
export function likelyStack(record: CorsRecord): ServerStack | undefined {
  const { exchange } = record;
  const responses = [exchange.response, exchange.preflight?.response, ...exchange.redirects];
  const said = responses
    .flatMap((r) => (r ? [headerValue(r.headers, 'server') ?? '', headerValue(r.headers, 'x-powered-by') ?? ''] : []))
    .join(' ')
    .toLowerCase();
  if (said.trim() === '') return undefined;
  const rules: [RegExp, ServerStack][] = [
    [/express/, 'express'],
    [/asp\.net|kestrel|microsoft-iis/, 'aspnet'],
    [/uvicorn|hypercorn|fastapi|starlette/, 'fastapi'],
    [/werkzeug|flask/, 'flask'],
    [/wsgiserver|django|gunicorn/, 'django'],
    [/phusion|passenger|puma|unicorn|rails/, 'rails'],
    [/tomcat|jetty|undertow|spring/, 'spring'],
    [/caddy/, 'caddy'],
    [/nginx|openresty/, 'nginx'],
    [/apache|httpd/, 'apache'],
    [/\bgo\b|golang/, 'go'],
  ];
  for (const [pattern, stack] of rules) if (pattern.test(said)) return stack;
  return undefined;
}
