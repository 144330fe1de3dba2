/**
 * `cors-explainer check` in Chromium, on the CORS lab: the CLI as a user runs it (exit status, table,
 * JSON export), its one-line errors, and the whole lab catalogue through `checkUrls` in one browser start:
 * what the CLI reports for each scenario must be what Chromium itself says (expected.chromium).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../lab/server.mjs';
import { runnableScenarios, scenarioById } from '../../lab/scenarios.mjs';
import { checkUrls } from '../../src/cli/check.ts';
import type { ExportDocument } from '../../src/explain/types.ts';
import { buildCli, exportProblems, interruptCheck, requireExtensionBuild, runCli, runNode } from './cli-support.ts';

let lab: Awaited<ReturnType<typeof startLab>>;
const page = (id: string) => `${lab.origins.page}/scenario/${id}`;

beforeAll(async () => {
  requireExtensionBuild('chrome');
  buildCli();
  lab = await startLab();
});

afterAll(async () => {
  await lab?.close();
});

describe('cors-explainer check (Chromium), as a command', () => {
  it('a page with a CORS failure: exit 1, a table naming the reason, nothing on stderr', async () => {
    const scenario = scenarioById('missing-allow-origin-get');
    const run = await runCli(['check', page('missing-allow-origin-get')]);
    console.log(`one check run (browser start to exit): ${(run.ms / 1000).toFixed(1)} s`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`1 CORS failure on ${page('missing-allow-origin-get')} (Chromium):`);
    expect(lines[2]).toMatch(/^METHOD\s+URL\s+REASON\s+STAGE\s+VERDICT$/);
    expect(lines).toHaveLength(4);
    const row = lines[3] ?? '';
    expect(row).toMatch(/^GET\s+http:\/\/127\.0\.0\.1:\d+\/s\/missing-allow-origin-get\/data\?…\s+/);
    expect(row).toContain(`  ${scenario?.expected.chromium}  `);
    expect(row).toMatch(/\sactual\s/);
    expect(row).toMatch(/Access-Control-Allow-Origin/);
  });

  it('--json: the export document, valid, with the reason Chromium gives', async () => {
    const scenario = scenarioById('header-not-allowed');
    const run = await runCli(['check', page('header-not-allowed'), '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as ExportDocument;
    expect(exportProblems(doc)).toEqual([]);
    expect(doc.engine).toBe('chromium');
    expect(doc.pageUrl).toBe(page('header-not-allowed'));
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]?.reason).toBe(scenario?.expected.chromium);
    expect(doc.records[0]?.stage).toBe('preflight');
    expect(doc.records[0]?.method).toBe('GET');
    expect(doc.records[0]?.url).toContain('/s/header-not-allowed/');
  });

  it('a page without CORS problems: exit 0 and an empty result', async () => {
    const run = await runCli(['check', page('ok-preflighted-put'), '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as ExportDocument;
    expect(exportProblems(doc)).toEqual([]);
    expect(doc.records).toEqual([]);
  });

  it('warnings alone do not fail: exit 0, the warning still listed', async () => {
    const id = 'authorization-via-wildcard';
    expect(scenarioById(id)?.expected.chromium).toBe('CORSAllowHeaderFromPreflightDeprecation');
    const run = await runCli(['check', page(id)]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`No CORS failures on ${page(id)} (Chromium); 1 CORS warning:`);
    expect(run.stdout).toContain('CORSAllowHeaderFromPreflightDeprecation (warning)');
  });

  it('a page that does not load: exit 2 and one line on stderr', async () => {
    const url = `http://127.0.0.1:${lab.closedPort}/`;
    const run = await runCli(['check', url]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^cors-explainer: could not load ${url.replaceAll('.', '\\.')}: net::ERR_CONNECTION_REFUSED`));
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('Ctrl-C during a check: exit 130, nothing reported, the browser profile deleted', async () => {
    const run = await interruptCheck(['check', page('abort-controller')], 'SIGINT');
    expect(run.profile).toMatch(/cors-explainer-chromium-/);
    expect(run.status).toBe(130);
    expect(run.stdout).toBe('');
    expect(existsSync(run.profile)).toBe(false);
  });

  it('--verbose reports progress on stderr only', async () => {
    const run = await runCli(['check', page('ok-simple-get'), '--verbose']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`No CORS failures on ${page('ok-simple-get')} (Chromium).\n`);
    expect(run.stderr).toMatch(/chromium started with extension [a-p]{32}/);
    expect(run.stderr).toMatch(/network idle/);
  });
});

describe('cors-explainer: usage and launch errors exit 2 with one line', () => {
  const oneLineError = (run: { status: number | null; stdout: string; stderr: string }, pattern: RegExp) => {
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
  };

  it('an unknown --browser', async () => {
    oneLineError(await runCli(['check', 'http://example.test/', '--browser', 'webkit']), /--browser must be chromium or firefox, not "webkit"/);
  });

  it('no URL', async () => {
    oneLineError(await runCli(['check']), /missing URL/);
  });

  it('no command, an unknown option, a URL without a scheme, a bad --wait', async () => {
    oneLineError(await runCli([]), /missing command/);
    oneLineError(await runCli(['check', 'http://example.test/', '--fast']), /unknown option --fast/);
    oneLineError(await runCli(['check', 'localhost:3000']), /not a URL: "localhost:3000" \(did you mean http:\/\/localhost:3000\?\)/);
    oneLineError(await runCli(['check', 'http://example.test/', '--wait', 'soon']), /--wait takes a number of milliseconds/);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: cors-explainer check <url>/);
    expect(run.stdout).toMatch(/--browser <name>/);
  });

  it('no Chromium at CHROME_PATH', async () => {
    oneLineError(
      await runCli(['check', page('ok-simple-get')], { CHROME_PATH: '/nonexistent/chromium' }),
      /^cors-explainer: Chromium not found at \/nonexistent\/chromium; set CHROME_PATH/,
    );
  });

  it('no extension build', async () => {
    oneLineError(
      await runCli(['check', page('ok-simple-get'), '--extension', '/nonexistent/dist']),
      /^cors-explainer: no extension build in \/nonexistent\/dist \(manifest\.json is missing\); run `npm run build`/,
    );
  });

  it('no CLI build: bin/cors-explainer.mjs says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cors-explainer-bin-'));
    try {
      await mkdir(join(dir, 'bin'));
      await writeFile(join(dir, 'bin', 'cors-explainer.mjs'), await readFile(join(import.meta.dirname, '../../bin/cors-explainer.mjs')));
      oneLineError(await runNode(join(dir, 'bin', 'cors-explainer.mjs'), ['check', 'http://example.test/']), /the CLI is not built.*npm run build/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the export check used above', () => {
  it('finds a broken document', () => {
    expect(exportProblems({ schema: 'cors-explainer/export', schemaVersion: 1, records: [{}] }).length).toBeGreaterThan(5);
  });
});

describe('checkUrls: every observable lab scenario in one Chromium', () => {
  it('reports, for each scenario, exactly the reason Chromium gives', async () => {
    const scenarios = runnableScenarios.filter((s) => !s.webRequestSilent?.includes('chromium'));
    const started = Date.now();
    const results = await checkUrls(
      'chromium',
      scenarios.map((s) => page(s.id)),
    );
    const seconds = (Date.now() - started) / 1000;
    const mismatches: string[] = [];
    scenarios.forEach((scenario, i) => {
      const result = results[i];
      const reasons = [...new Set(result?.document.records.map((r) => r.reason))];
      const expected = scenario.expected.chromium === null ? [] : [scenario.expected.chromium];
      if (result?.loadError) mismatches.push(`${scenario.id}: page did not load (${result.loadError})`);
      else if (JSON.stringify(reasons) !== JSON.stringify(expected)) {
        mismatches.push(`${scenario.id}: expected ${expected.join(', ') || 'nothing'}, the CLI reported ${reasons.join(', ') || 'nothing'}`);
      }
      for (const record of result?.document.records ?? []) {
        if (!record.url.includes(`/s/${scenario.id}/`)) mismatches.push(`${scenario.id}: a record for another URL: ${record.url}`);
      }
    });
    console.log(
      `cli chromium: ${scenarios.length - mismatches.length}/${scenarios.length} scenarios as Chromium judges them, ` +
        `${seconds.toFixed(1)} s for one browser start and ${scenarios.length} pages`,
    );
    expect(results).toHaveLength(scenarios.length);
    expect(mismatches).toEqual([]);
  });
});
