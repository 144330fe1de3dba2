/**
 * curl commands are run by real shells with `curl` replaced by a function that prints its arguments, so the
 * test sees exactly what curl would receive, and that nothing else ran.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTED } from '../../../src/cors/exchange.ts';
import { curlCommands, shellQuote } from '../../../src/explain/index.ts';
import { API, classified, exchange, record as makeRecord, PAGE, preflight, response, scenario } from './fixtures.ts';

const SHELLS = ['/bin/sh', '/bin/bash'].filter((sh) => existsSync(sh));

/** The arguments curl would get, per shell (all shells must agree). */
function argv(command: string): string[] {
  const results = SHELLS.map((shell) => {
    const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}\n`;
    const run = spawnSync(shell, ['-s'], { input: script, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(run.status, `${shell}: ${run.stderr}`).toBe(0);
    expect(run.stderr).toBe('');
    return run.stdout.split('\0').slice(0, -1);
  });
  for (const r of results) expect(r).toEqual(results[0]);
  return results[0] ?? [];
}

describe('curlCommands', () => {
  it('a simple GET: no preflight, the Origin and the recorded headers', () => {
    const cmd = curlCommands(scenario('missingAllowOriginGet'));
    expect(cmd.preflight).toBeUndefined();
    expect(argv(cmd.actual)).toEqual(['-i', `${API}/s/x/data?n=1`, '-H', `Origin: ${PAGE}`, '-H', 'Accept: */*']);
  });

  it('a preflighted PUT: OPTIONS with Access-Control-Request-*, then the request with placeholders for unrecorded values', () => {
    const record = classified(
      exchange({
        method: 'PUT',
        requestHeaders: [
          ['origin', PAGE],
          ['content-type', 'application/json'],
          ['x-token', ''],
          ['cookie', REDACTED],
        ],
        preflight: preflight({ method: 'PUT', acrh: 'content-type,x-token', status: 404 }),
        error: 'net::ERR_FAILED',
      }),
    );
    const cmd = curlCommands(record);
    expect(argv(cmd.preflight ?? '')).toEqual([
      '-i',
      '-X',
      'OPTIONS',
      `${API}/s/x/data?n=1`,
      '-H',
      `Origin: ${PAGE}`,
      '-H',
      'Access-Control-Request-Method: PUT',
      '-H',
      'Access-Control-Request-Headers: content-type,x-token',
    ]);
    expect(argv(cmd.actual)).toEqual([
      '-i',
      '-X',
      'PUT',
      `${API}/s/x/data?n=1`,
      '-H',
      `Origin: ${PAGE}`,
      '-H',
      'Content-Type: application/json',
      '-H',
      'X-Token: …',
      '-H',
      'Cookie: …',
    ]);
    expect(cmd.actual).not.toContain(REDACTED);
  });

  it('Authorization is a placeholder, HEAD uses --head, user:password is dropped from the URL', () => {
    const record = classified(
      exchange({
        method: 'HEAD',
        url: 'http://user:secret@127.0.0.1:8701/s/x/data?n=1',
        requestHeaders: [
          ['origin', PAGE],
          ['authorization', REDACTED],
        ],
        preflight: preflight({ method: 'HEAD', acrh: 'authorization', status: 403, headers: [['access-control-allow-origin', PAGE]] }),
        error: 'net::ERR_FAILED',
      }),
    );
    const cmd = curlCommands(record);
    const args = argv(cmd.actual);
    expect(args.slice(0, 3)).toEqual(['-i', '--head', 'http://127.0.0.1:8701/s/x/data?n=1']);
    expect(args).toContain('Authorization: …');
    expect(`${cmd.preflight}${cmd.actual}`).not.toContain('secret');
  });

  it('after a cross-origin redirect, the request goes to the final URL with Origin: null', () => {
    const args = argv(curlCommands(scenario('nullOriginAfterRedirect')).actual);
    expect(args).toContain('Origin: null');
    expect(args[1]).toBe('http://localhost:8702/s/x/target?n=1');
  });

  it('hostile values reach curl intact (controls as "?") and nothing else runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explain-curl-'));
    const sentinel = join(dir, 'pwned');
    try {
      const evil = `a'b"c$(touch ${sentinel})\`touch ${sentinel}2\`\${HOME};|&<>*?[x]\\\n\r\u0007\u001b[31mz`;
      const long = `${'v'.repeat(100_000)}'$(touch ${sentinel}3)`;
      const record = classified(
        exchange({
          method: `P'UT$(touch ${sentinel}4)`,
          url: `${API}/s/$(touch ${sentinel}5)/'x'?q=${evil}`,
          initiator: PAGE,
          requestHeaders: [
            ['origin', evil],
            ['content-type', long],
            ['x-evil', evil],
          ],
          response: response(200, []),
          error: 'net::ERR_FAILED',
        }),
      );
      const cmd = curlCommands(record);
      const clean = (s: string) => [...s].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? '?' : c)).join('');
      const args = argv(cmd.actual);
      expect(args).toContain(`Origin: ${clean(evil)}`);
      expect(args).toContain(`Content-Type: ${long}`);
      expect(args).toContain(`X-Evil: ${clean(evil)}`);
      expect(args).toContain(`P'UT$(touch ${sentinel}4)`);
      expect(args).toContain(`${API}/s/$(touch ${sentinel}5)/'x'?q=${clean(evil)}`);
      if (cmd.preflight) argv(cmd.preflight);
      for (const suffix of ['', '2', '3', '4', '5']) expect(existsSync(`${sentinel}${suffix}`)).toBe(false);
      // Pasted into a terminal, nothing invisible can hide in the command.
      for (const invisible of ['\r', '\u0007', '\u001b']) expect(cmd.actual.includes(invisible)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a URL that looks like an option is passed with --url', () => {
    // classify() does not look at a string that is no URL; the record is hand-made.
    const record = makeRecord(exchange({ url: '-o/tmp/x', response: response(200, []), error: 'net::ERR_FAILED' }), scenario('missingAllowOriginGet').diagnosis);
    const args = argv(curlCommands(record).actual);
    expect(args.slice(0, 3)).toEqual(['-i', '--url', '-o/tmp/x']);
  });
});

describe('shellQuote', () => {
  it('round-trips any printable string through sh', () => {
    for (const value of ["it's", "''", "'", '$(x)', '`x`', '"\\', '!', '', ' lead', '\t', 'ü✓😀']) {
      expect(argv(`curl ${shellQuote(value)}`)).toEqual([value.replace(/\t/g, '?')]);
    }
  });
});
