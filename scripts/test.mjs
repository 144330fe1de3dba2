#!/usr/bin/env node
// The test command: build both targets, typecheck, lint, then every vitest project (unit + browser).
// Each non-vitest step counts as one test. Ends with one line: `tests: N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const steps = [
  ['build', 'npm', ['run', '--silent', 'build']],
  ['typecheck', 'npx', ['tsc', '--noEmit']],
  ['lint', 'npx', ['biome', 'lint', '.']],
];
if (existsSync('scripts/lint-firefox.mjs')) steps.push(['web-ext lint', 'node', ['scripts/lint-firefox.mjs']]);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  const run = spawnSync(cmd, args, { stdio: 'inherit' });
  const ok = run.status === 0;
  console.log(`[${ok ? 'pass' : 'FAIL'}] ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  ok ? passed++ : failed++;
}

mkdirSync('artifacts', { recursive: true });
const report = 'artifacts/vitest.json';
rmSync(report, { force: true });
const extra = process.argv.slice(2);
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], {
  stdio: 'inherit',
});
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that failed to load has no test results but is a failure.
  for (const f of r.testResults ?? []) if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed++;
} else {
  failed++;
}
if (vitest.status !== 0 && failed === 0) failed++;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
