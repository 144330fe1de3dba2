/**
 * Fix snippets: one per stack, filled with this request's origin, method, headers and credentials, and
 * correct code. Where an interpreter is on the machine the snippet is run against a strict stand-in of its
 * library (option names as the real library spells them), so the values that arrive are checked, hostile
 * ones included; the rest are checked for shape and quoting.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import type { CorsRecord } from '../../../src/cors/record.ts';
import { buildFix, fixSnippets, likelyStack, SERVER_STACKS } from '../../../src/explain/index.ts';
import type { ServerStack, Snippet } from '../../../src/explain/types.ts';
import { classified, EXCHANGES, exchange, PAGE, preflight, response, type ScenarioName, scenario } from './fixtures.ts';

const snippetsOf = (record: CorsRecord) => fixSnippets(record, buildFix(record), 'en');
const byStack = (snippets: Snippet[]) => Object.fromEntries(snippets.map((s) => [s.stack, s.code])) as Record<ServerStack, string>;

/** A preflighted, credentialed PUT with two custom headers whose preflight lacks everything. */
function preflightedRecord(origin = PAGE, cookie = true): CorsRecord {
  return classified(
    exchange({
      initiator: origin,
      method: 'PUT',
      requestHeaders: [['origin', origin], ['content-type', 'application/json'], ...(cookie ? ([['cookie', 'x']] as const) : [])],
      preflight: preflight({ method: 'PUT', origin, acrh: 'content-type,x-token', status: 404 }),
      error: 'net::ERR_FAILED',
    }),
  );
}

/** A value that breaks any naive quoting. */
const HOSTILE = `https://evil.test"'\`$(touch /tmp/pwned)\${x}#{y}%{z}\\u000a\\\n;}{<script>`;

describe('fixSnippets', () => {
  it('gives one snippet per stack, in order, with label and language', () => {
    const snippets = snippetsOf(scenario('missingAllowOriginGet'));
    expect(snippets.map((s) => s.stack)).toEqual([...SERVER_STACKS]);
    expect(SERVER_STACKS).toHaveLength(12);
    for (const s of snippets) {
      expect(s.label.trim()).not.toBe('');
      expect(s.language.trim()).not.toBe('');
    }
  });

  it('every snippet of every header fix names the origin', () => {
    for (const name of Object.keys(EXCHANGES) as ScenarioName[]) {
      const record = scenario(name);
      const fix = buildFix(record);
      const snippets = fixSnippets(record, fix, 'en');
      if (!fix.actual && !fix.preflight) {
        expect(snippets).toEqual([]);
        continue;
      }
      const origin = (fix.actual?.setHeaders ?? fix.preflight?.setHeaders ?? []).find(([n]) => n === 'Access-Control-Allow-Origin')?.[1];
      for (const s of snippets) expect(s.code, `${name} / ${s.stack}`).toContain(origin);
    }
  });

  const CREDENTIALS: Record<ServerStack, string> = {
    headers: 'Access-Control-Allow-Credentials: true',
    express: 'credentials: true',
    nginx: 'add_header Access-Control-Allow-Credentials "true" always;',
    apache: 'Header always set Access-Control-Allow-Credentials "true"',
    caddy: 'Access-Control-Allow-Credentials "true"',
    django: 'CORS_ALLOW_CREDENTIALS = True',
    flask: 'supports_credentials=True',
    fastapi: 'allow_credentials=True',
    spring: 'config.setAllowCredentials(true);',
    aspnet: '.AllowCredentials()',
    rails: 'credentials: true',
    go: 'h.Set("Access-Control-Allow-Credentials", "true")',
  };

  it('allows credentials exactly when the request used them', () => {
    const withCookie = byStack(snippetsOf(preflightedRecord(PAGE, true)));
    const without = byStack(snippetsOf(preflightedRecord(PAGE, false)));
    for (const stack of SERVER_STACKS) {
      expect(withCookie[stack], stack).toContain(CREDENTIALS[stack]);
      expect(without[stack], stack).not.toContain(CREDENTIALS[stack]);
    }
  });

  it('allows the method and the requested headers', () => {
    const code = byStack(snippetsOf(preflightedRecord()));
    for (const stack of SERVER_STACKS) {
      // django-cors-headers allows PUT by default; the snippet only lists methods beyond its defaults.
      if (stack !== 'django') expect(code[stack], stack).toMatch(/PUT|:put/);
      expect(code[stack], stack).toContain('x-token');
    }
    const purge = byStack(
      snippetsOf(classified(exchange({ method: 'PURGE', preflight: preflight({ method: 'PURGE', status: 404 }), error: 'net::ERR_FAILED' }))),
    );
    expect(purge.django).toContain('CORS_ALLOW_METHODS = (*default_methods, "PURGE")');
  });

  it('nginx answers OPTIONS itself with 204 and sends every header with "always"', () => {
    const nginx = byStack(snippetsOf(preflightedRecord())).nginx;
    expect(nginx).toMatch(/if \(\$request_method = OPTIONS\) \{[^}]*return 204;\s*\}/);
    const adds = nginx.split('\n').filter((l) => l.trim().startsWith('add_header'));
    expect(adds.length).toBeGreaterThan(5);
    for (const line of adds) expect(line).toMatch(/ always;$/);
    expect(nginx).toContain('proxy_hide_header Access-Control-Allow-Origin;');
  });

  it('apache answers preflights with 204 and sets headers on error responses too', () => {
    const apache = byStack(snippetsOf(preflightedRecord())).apache;
    expect(apache).toContain('RewriteCond %{REQUEST_METHOD} OPTIONS');
    expect(apache).toContain('[R=204,L]');
    expect(apache).toContain('Header unset Access-Control-Allow-Origin');
    expect(apache).toContain(`Header always set Access-Control-Allow-Origin "${PAGE}"`);
    expect(apache).toContain('Header always merge Vary "Origin"');
  });

  it('a simple request needs no preflight handling', () => {
    const code = byStack(snippetsOf(scenario('missingAllowOriginGet')));
    expect(code.nginx).not.toContain('OPTIONS');
    expect(code.headers).not.toContain('204');
    expect(code.go).not.toContain('MethodOptions');
    expect(code.express).not.toContain('allowedHeaders');
  });

  it('a doubled header is removed where it is added twice', () => {
    const code = byStack(snippetsOf(scenario('multipleAllowOrigin')));
    expect(code.headers).toContain('remove any other Access-Control-Allow-Origin first');
    for (const stack of ['express', 'django', 'flask', 'fastapi', 'spring', 'aspnet', 'rails', 'go'] as const) {
      expect(code[stack], stack).toContain('also sets Access-Control-Allow-Origin');
    }
  });

  it('django keeps its default headers and adds the custom one', () => {
    const django = byStack(snippetsOf(preflightedRecord())).django;
    expect(django).toContain('from corsheaders.defaults import default_headers');
    expect(django).toContain('CORS_ALLOW_HEADERS = (*default_headers, "x-token")');
    expect(django).toContain(`CORS_ALLOWED_ORIGINS = ["${PAGE}"]`);
    expect(django).not.toContain('CORS_ALLOW_METHODS');
  });

  it('a null origin (after a redirect) is written as the string "null"', () => {
    const code = byStack(snippetsOf(scenario('nullOriginAfterRedirect')));
    expect(code.headers).toContain('Access-Control-Allow-Origin: null');
    expect(code.express).toContain("origin: 'null'");
  });

  it('no snippets when the fix has no headers', () => {
    expect(snippetsOf(scenario('connectionRefused'))).toEqual([]);
  });

  it('a hostile origin adds no line to any snippet and keeps quotes balanced', () => {
    const benign = byStack(snippetsOf(preflightedRecord('https://benign.test')));
    const hostile = byStack(snippetsOf(preflightedRecord(HOSTILE)));
    for (const stack of SERVER_STACKS) expect(hostile[stack].split('\n').length, stack).toBe(benign[stack].split('\n').length);
    for (const line of hostile.nginx.split('\n').filter((l) => l.includes('add_header'))) {
      expect(line).toMatch(/^\s*add_header \S+ "(?:[^"\\$]|\\.)*" always;$/);
    }
    for (const line of hostile.apache.split('\n').filter((l) => l.includes('Header always set'))) {
      expect(line).toMatch(/^\s*Header always set \S+ "(?:[^"\\%]|\\.|%%)*"$/);
    }
    for (const line of hostile.caddy.split('\n').filter((l) => l.includes('Access-Control-Allow-Origin'))) {
      expect(line).toMatch(/^\s*Access-Control-Allow-Origin "(?:[^"\\{}]|\\.)*"$/);
    }
    // Ruby interpolates #{…} in double quotes: never unescaped.
    expect(hostile.rails).not.toMatch(/(?<!\\)#\{/);
  });
});

describe('snippets run against strict stand-ins of their libraries', () => {
  it('Express: the cors options carry exactly this request’s values (hostile origin too)', () => {
    for (const origin of [PAGE, HOSTILE]) {
      const code = byStack(snippetsOf(preflightedRecord(origin))).express;
      const seen: unknown[] = [];
      const cors = (options: unknown) => {
        seen.push(options);
        return () => undefined;
      };
      const context = vm.createContext({ require: (name: string) => (name === 'cors' ? cors : undefined), app: { use: () => undefined } });
      vm.runInContext(code, context);
      expect(seen).toEqual([
        { origin, methods: ['PUT'], allowedHeaders: ['content-type', 'x-token'], credentials: true, maxAge: 600 },
      ]);
    }
  });

  const python = spawnSync('python3', ['--version']).status === 0;

  it.skipIf(!python)('Flask-CORS, FastAPI and django-cors-headers receive exactly these values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explain-py-'));
    try {
      mkdirSync(join(dir, 'fastapi', 'middleware'), { recursive: true });
      mkdirSync(join(dir, 'corsheaders'), { recursive: true });
      writeFileSync(
        join(dir, 'flask_cors.py'),
        `import json
OPTIONS = {'resources', 'origins', 'methods', 'expose_headers', 'allow_headers', 'supports_credentials', 'max_age',
           'send_wildcard', 'vary_header', 'automatic_options', 'intercept_exceptions', 'always_send', 'allow_private_network'}
def CORS(app=None, **kwargs):
    unknown = set(kwargs) - OPTIONS
    if unknown: raise TypeError(f'unknown Flask-CORS options {unknown}')
    print(json.dumps({'flask': kwargs}))
`,
      );
      writeFileSync(join(dir, 'fastapi', '__init__.py'), '');
      writeFileSync(join(dir, 'fastapi', 'middleware', '__init__.py'), '');
      writeFileSync(
        join(dir, 'fastapi', 'middleware', 'cors.py'),
        `class CORSMiddleware:
    def __init__(self, app, allow_origins=(), allow_methods=('GET',), allow_headers=(), allow_credentials=False,
                 allow_origin_regex=None, expose_headers=(), max_age=600):
        self.options = dict(allow_origins=allow_origins, allow_methods=allow_methods, allow_headers=allow_headers,
                            allow_credentials=allow_credentials, max_age=max_age)
`,
      );
      writeFileSync(join(dir, 'corsheaders', '__init__.py'), '');
      writeFileSync(
        join(dir, 'corsheaders', 'defaults.py'),
        `default_headers = ('accept', 'authorization', 'content-type', 'user-agent', 'x-csrftoken', 'x-requested-with')
default_methods = ('DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT')
`,
      );
      const runner = `import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
code = json.loads(sys.stdin.read())
class App:
    def add_middleware(self, cls, **kwargs):
        print(json.dumps({'fastapi': cls(None, **kwargs).options}))
exec(code['flask'], {'app': App()})
exec(code['fastapi'], {'app': App()})
settings = {}
exec(code['django'], settings)
known = {'CORS_ALLOWED_ORIGINS', 'CORS_ALLOW_CREDENTIALS', 'CORS_ALLOW_HEADERS', 'CORS_ALLOW_METHODS', 'CORS_PREFLIGHT_MAX_AGE',
         'CORS_ALLOW_PRIVATE_NETWORK', 'INSTALLED_APPS', 'MIDDLEWARE'}
names = {k for k in settings if k.isupper()}
if names - known: raise NameError(f'unknown django-cors-headers settings {names - known}')
print(json.dumps({'django': {k: list(v) if isinstance(v, tuple) else v for k, v in settings.items() if k in names}}))
`;
      for (const origin of [PAGE, HOSTILE]) {
        const code = byStack(snippetsOf(preflightedRecord(origin)));
        const out = execFileSync('python3', ['-c', runner], { input: JSON.stringify(code), encoding: 'utf8' });
        const [flask, fastapi, django] = out.trim().split('\n').map((line) => JSON.parse(line));
        expect(flask.flask).toEqual({
          origins: [origin],
          methods: ['PUT'],
          allow_headers: ['content-type', 'x-token'],
          supports_credentials: true,
          max_age: 600,
        });
        expect(fastapi.fastapi).toEqual({
          allow_origins: [origin],
          allow_methods: ['PUT'],
          allow_headers: ['content-type', 'x-token'],
          allow_credentials: true,
          max_age: 600,
        });
        expect(django.django.CORS_ALLOWED_ORIGINS).toEqual([origin]);
        expect(django.django.CORS_ALLOW_CREDENTIALS).toBe(true);
        expect(django.django.CORS_ALLOW_HEADERS).toContain('x-token');
        expect(django.django.CORS_ALLOW_HEADERS).toContain('x-requested-with');
        expect(django.django.MIDDLEWARE[0]).toBe('corsheaders.middleware.CorsMiddleware');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const javac = spawnSync('javac', ['-version']).status === 0;

  it.skipIf(!javac)('Spring: compiles and configures exactly these values', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'explain-java-'));
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    try {
      write('org/springframework/context/annotation/Bean.java', 'package org.springframework.context.annotation; public @interface Bean {}');
      write('org/springframework/context/annotation/Configuration.java', 'package org.springframework.context.annotation; public @interface Configuration {}');
      write('org/springframework/core/Ordered.java', 'package org.springframework.core; public interface Ordered { int HIGHEST_PRECEDENCE = Integer.MIN_VALUE; }');
      write(
        'org/springframework/web/cors/CorsConfiguration.java',
        `package org.springframework.web.cors; import java.util.List;
public class CorsConfiguration {
  public List<String> origins, methods, headers; public Boolean credentials; public Long maxAge;
  public void setAllowedOrigins(List<String> v) { origins = v; }
  public void setAllowedMethods(List<String> v) { methods = v; }
  public void setAllowedHeaders(List<String> v) { headers = v; }
  public void setAllowCredentials(Boolean v) { credentials = v; }
  public void setMaxAge(Long v) { maxAge = v; }
  public void setAllowPrivateNetwork(Boolean v) {}
}`,
      );
      write('org/springframework/web/cors/CorsConfigurationSource.java', 'package org.springframework.web.cors; public interface CorsConfigurationSource {}');
      write(
        'org/springframework/web/cors/UrlBasedCorsConfigurationSource.java',
        `package org.springframework.web.cors; import java.util.*;
public class UrlBasedCorsConfigurationSource implements CorsConfigurationSource {
  public final Map<String, CorsConfiguration> map = new HashMap<>();
  public void registerCorsConfiguration(String pattern, CorsConfiguration config) { map.put(pattern, config); }
}`,
      );
      write(
        'org/springframework/web/filter/CorsFilter.java',
        `package org.springframework.web.filter; import org.springframework.web.cors.*;
public class CorsFilter { public final CorsConfigurationSource source; public CorsFilter(CorsConfigurationSource source) { this.source = source; } }`,
      );
      write(
        'org/springframework/boot/web/servlet/FilterRegistrationBean.java',
        `package org.springframework.boot.web.servlet;
public class FilterRegistrationBean<T> { public final T filter; public int order; public FilterRegistrationBean(T filter) { this.filter = filter; } public void setOrder(int order) { this.order = order; } }`,
      );
      const code = byStack(snippetsOf(preflightedRecord(HOSTILE))).spring;
      write('CorsConfig.java', code);
      write(
        'Main.java',
        `import org.springframework.web.cors.*; import java.util.*;
public class Main {
  static String codes(String s) { StringBuilder b = new StringBuilder(); s.codePoints().forEach(c -> b.append(c).append(',')); return b.toString(); }
  public static void main(String[] args) {
    var bean = new CorsConfig().corsFilter();
    var config = ((UrlBasedCorsConfigurationSource) bean.filter.source).map.get("/**");
    System.out.println(codes(config.origins.get(0)));
    System.out.println(String.join("|", config.methods) + " " + String.join("|", config.headers) + " " + config.credentials + " " + config.maxAge + " " + (bean.order == Integer.MIN_VALUE));
  }
}`,
      );
      const files = spawnSync('find', [dir, '-name', '*.java'], { encoding: 'utf8' }).stdout.trim().split('\n');
      execFileSync('javac', ['-d', join(dir, 'out'), ...files], { encoding: 'utf8' });
      const out = execFileSync('java', ['-cp', join(dir, 'out'), 'Main'], { encoding: 'utf8' }).trim().split('\n');
      const expected = [...HOSTILE].map((c) => c.codePointAt(0)).join(',');
      expect(out[0]).toBe(`${expected},`);
      expect(out[1]).toBe('PUT content-type|x-token true 600 true');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('likelyStack', () => {
  it('reads Server and X-Powered-By', () => {
    const withHeaders = (headers: [string, string][]) =>
      classified(exchange({ response: response(200, headers), error: 'net::ERR_FAILED' }));
    expect(likelyStack(withHeaders([['server', 'nginx/1.25.3']]))).toBe('nginx');
    expect(likelyStack(withHeaders([['x-powered-by', 'Express']]))).toBe('express');
    expect(likelyStack(withHeaders([['server', 'uvicorn']]))).toBe('fastapi');
    expect(likelyStack(withHeaders([['server', 'Kestrel']]))).toBe('aspnet');
    expect(likelyStack(withHeaders([['server', 'Apache/2.4.58 (Ubuntu)']]))).toBe('apache');
    expect(likelyStack(withHeaders([]))).toBeUndefined();
  });
});
