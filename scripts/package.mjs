#!/usr/bin/env node
// `npm run package`: production builds of both targets, zipped for the Chrome Web Store and for AMO
// (artifacts/cors-explainer-{chrome,firefox}-<version>.zip). The Firefox zip is linted first.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('npm', ['run', '--silent', 'build']);
run('node', ['scripts/lint-firefox.mjs']);
for (const target of ['chrome', 'firefox']) {
  run('npx', [
    'web-ext', 'build', '--source-dir', `dist/${target}`, '--artifacts-dir', 'artifacts',
    '--filename', `cors-explainer-${target}-${version}.zip`, '--overwrite-dest', '--no-config-discovery',
  ]);
}
console.log(`packaged: artifacts/cors-explainer-chrome-${version}.zip, artifacts/cors-explainer-firefox-${version}.zip`);
