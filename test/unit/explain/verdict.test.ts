import { explain, LOCALES, reasonTitle } from '../../../src/explain/index.ts';
import { verdictFacts } from '../../../src/explain/verdict.ts';
import { API, classified, exchange, PAGE, preflight, response, scenario, THIRD } from './fixtures.ts';

const verdict = (name: Parameters<typeof scenario>[0], locale: 'en' | 'ja' | 'fr' = 'en') => explain(scenario(name), locale).verdict;

describe('verdicts name the culprit, the stage and the values', () => {
  it('a header the preflight does not allow', () => {
    expect(verdict('headerNotAllowed')).toBe("The preflight's Access-Control-Allow-Headers does not list x-token (it says: content-type).");
  });

  it('an origin that does not match', () => {
    expect(verdict('allowOriginMismatch')).toBe(
      `The response's Access-Control-Allow-Origin is https://app.example.com, but the page's origin is ${PAGE}.`,
    );
    expect(verdict('allowOriginTrailingSlash')).toContain('trailing slash');
  });

  it('a preflight answered 404 without ACAO', () => {
    expect(verdict('missingAllowOriginPreflight404')).toBe('The server answered the preflight with 404 and no Access-Control-Allow-Origin.');
  });

  it('the stage changes the sentence', () => {
    const actual = verdict('missingAllowOriginGet');
    const preflighted = verdict('missingAllowOriginPreflight404');
    const error = verdict('missingAllowOrigin500');
    expect(actual).toBe('The response (200) has no Access-Control-Allow-Origin header.');
    expect(error).toBe('The server answered the request with 500 and no Access-Control-Allow-Origin.');
    expect(new Set([actual, preflighted, error]).size).toBe(3);
  });

  it('Origin: null after a cross-origin redirect', () => {
    expect(verdict('nullOriginAfterRedirect')).toBe(
      `The response's Access-Control-Allow-Origin is ${PAGE}, but after the cross-origin redirect the request carries Origin: null.`,
    );
  });

  it('methods: missing, case-only mismatch', () => {
    expect(verdict('methodNotAllowed')).toBe("The preflight's Access-Control-Allow-Methods does not list PUT (it says: GET, POST).");
    expect(verdict('methodCaseMismatch')).toContain('case-sensitively: it must say PATCH');
  });

  it('malformed lists name the bad token', () => {
    expect(verdict('invalidAllowMethod')).toContain('contains PUT;');
    expect(verdict('invalidAllowHeader')).toContain('contains x-token;');
  });

  it('credentials: wildcard, missing ACAC, * in Allow-Headers', () => {
    expect(verdict('credentialsWithWildcard')).toContain(`exact origin (${PAGE})`);
    expect(verdict('credentialsMissingAllowCredentials')).toContain('Access-Control-Allow-Credentials');
    expect(verdict('headerWildcardWithCredentials')).toContain('does not count for a request with credentials, so x-token is not allowed');
  });

  it('redirects and network', () => {
    expect(verdict('preflightRedirect')).toBe(
      `The server answered the preflight with a redirect to ${API}/s/x/item/?n=1; a preflight must be answered directly, never redirected.`,
    );
    const creds = verdict('redirectContainsCredentials');
    expect(creds).toContain(`${API}/s/x/target?n=1`);
    expect(creds).not.toContain('user:');
    expect(verdict('connectionRefused')).toContain('net::ERR_CONNECTION_REFUSED');
    expect(verdict('preflightStatus500')).toBe('The server answered the preflight with 500; a preflight needs a 2xx status such as 204.');
  });

  it('every locale names the same culprit token', () => {
    for (const locale of LOCALES) {
      expect(verdict('headerNotAllowed', locale)).toContain('x-token');
      expect(verdict('methodNotAllowed', locale)).toContain('PUT');
      expect(verdict('allowOriginMismatch', locale)).toContain('https://app.example.com');
      expect(verdict('allowOriginMismatch', locale)).toContain(PAGE);
      expect(verdict('missingAllowOriginPreflight404', locale)).toContain('404');
    }
  });

  it('falls back to the evidence-free response when the classifier gave no evidence', () => {
    const record = scenario('headerNotAllowed');
    const bare = { ...record, diagnosis: { ...record.diagnosis, evidence: [], culprit: undefined } };
    expect(explain(bare, 'en').verdict).toBe(explain(record, 'en').verdict);
  });
});

describe('hostile values in verdicts', () => {
  it('control characters are shown as escapes and long values are cut', () => {
    const hostile = `https://evil.test\n<script>alert(1)</script>\u202e${'x'.repeat(100_000)}`;
    const record = classified(exchange({ response: response(200, [['access-control-allow-origin', hostile]]), error: 'net::ERR_FAILED' }));
    const text = explain(record, 'en').verdict;
    expect(text).not.toMatch(/[\n\u202e]/);
    expect(text).toContain('\\n');
    expect(text).toContain('\\u202e');
    expect(text.length).toBeLessThan(600);
    expect(verdictFacts(record).got?.endsWith('…')).toBe(true);
  });
});

describe('certaintyNote', () => {
  it('inferred credentials: explains what is unseen and lists the alternatives by title', () => {
    const record = scenario('headerWildcardWithCredentials');
    expect(record.diagnosis.certainty).toBe('inferred');
    const note = explain(record, 'en').certaintyNote;
    expect(note).toContain("credentials: 'include'");
    for (const alt of record.diagnosis.alternatives) expect(note).toContain(reasonTitle(alt, 'en'));
    for (const locale of LOCALES) expect(explain(record, locale).certaintyNote).toContain(reasonTitle(record.diagnosis.alternatives[0]!, locale));
  });

  it('certain diagnoses have none', () => {
    expect(explain(scenario('headerNotAllowed'), 'en').certaintyNote).toBeUndefined();
  });

  it('each unseen fact has its own sentence', () => {
    const base = scenario('missingAllowOriginGet');
    const notes = (['credentials-mode', 'request-mode', 'response-headers', 'console-only', undefined] as const).map(
      (unseen) =>
        explain({ ...base, diagnosis: { ...base.diagnosis, certainty: 'inferred', unseen, alternatives: ['CORSMethodNotFound'] } }, 'fr')
          .certaintyNote,
    );
    expect(new Set(notes).size).toBe(5);
    for (const note of notes) expect(note).toContain(reasonTitle('CORSMethodNotFound', 'fr'));
  });
});

describe('preflightWhy', () => {
  it('names every cause: method and Content-Type', () => {
    const why = explain(scenario('missingAllowOriginPreflight404'), 'en').preflightWhy;
    expect(why).toContain('the method is PUT');
    expect(why).toContain('the Content-Type is application/json');
    expect(why).toContain('simplest fix');
  });

  it('a custom header', () => {
    const why = explain(scenario('headerNotAllowed'), 'ja').preflightWhy;
    expect(why).toContain('x-token');
  });

  it('absent without a preflight', () => {
    expect(explain(scenario('missingAllowOriginGet'), 'en').preflightWhy).toBeUndefined();
  });

  it('a preflight with no visible cause mentions the hidden triggers', () => {
    const record = classified(
      exchange({
        method: 'POST',
        preflight: preflight({ method: 'POST', headers: [['access-control-allow-origin', 'https://other.test']] }),
        error: 'net::ERR_FAILED',
      }),
    );
    expect(explain(record, 'en').preflightWhy).toContain('upload progress listener');
  });

  it('the preflight-reason finding is not repeated when preflightWhy says it', () => {
    const record = scenario('headerNotAllowed');
    expect(record.diagnosis.findings.some((f) => f.code === 'preflight-reason')).toBe(true);
    expect(explain(record, 'en').findings.some((f) => f.text.includes('was preflighted'))).toBe(false);
  });
});

describe('redirect stage', () => {
  it('a redirect response without ACAO is named as the redirect', () => {
    const record = classified(
      exchange({
        url: `${API}/s/x/start?n=1`,
        redirects: [{ status: 302, from: `${API}/s/x/start?n=1`, location: `${THIRD}/s/x/t?n=1`, headers: [['location', `${THIRD}/s/x/t?n=1`]] }],
        error: 'net::ERR_FAILED',
      }),
    );
    expect(record.diagnosis.stage).toBe('redirect');
    expect(explain(record, 'en').verdict).toBe('The redirect response (302) has no Access-Control-Allow-Origin header.');
    expect(explain(record, 'fr').verdict).toBe("La réponse de redirection (302) ne contient pas d'en-tête Access-Control-Allow-Origin.");
  });
});
