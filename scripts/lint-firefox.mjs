#!/usr/bin/env node
// `web-ext lint` on the Firefox build. Fails on any error, and on any warning that is not explained below.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Warnings that cannot be avoided, and why. */
const EXPLAINED = {
  // Preact's renderer contains the code path for `dangerouslySetInnerHTML`; we never use it (biome's
  // security/noDangerouslySetInnerHtml is an error in this repo), but the linter sees the assignment.
  UNSAFE_VAR_ASSIGNMENT: (m) => /assets\/.*\.js$/.test(m.file ?? ''),
};

if (!existsSync('dist/firefox/manifest.json')) {
  console.error('dist/firefox is missing: run `npm run build` first');
  process.exit(2);
}
const run = spawnSync('npx', ['web-ext', 'lint', '--source-dir', 'dist/firefox', '--output', 'json', '--no-config-discovery'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error('web-ext lint gave no JSON report:', run.stderr || run.stdout);
  process.exit(1);
}
const unexplained = report.warnings.filter((w) => !EXPLAINED[w.code]?.(w));
for (const m of [...report.errors, ...unexplained]) console.log(`  ${m._type} ${m.code} ${m.file ?? ''}: ${m.message}`);
const explained = report.warnings.length - unexplained.length;
console.log(`web-ext lint: ${report.errors.length} errors, ${unexplained.length} unexplained warnings, ${explained} explained warnings`);
process.exit(report.errors.length === 0 && unexplained.length === 0 ? 0 : 1);
