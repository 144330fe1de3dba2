#!/usr/bin/env node
// npm start (Chromium) / npm run start:firefox: the CORS lab plus a browser with the extension and DevTools
// open. This file checks for a display, builds what is missing or older than its sources, then runs
// dist/cli/start.mjs (src/cli/start.ts).
//   --browser chromium|firefox   default chromium
//   --headless                   no window (tests, CI); also env CORS_EXPLAINER_HEADLESS=1
//   --no-build                   use dist/ as it is
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fail = (line) => {
  process.stderr.write(`${line}\n`);
  process.exit(2);
};

const argv = process.argv.slice(2);
let browser = 'chromium';
let headless = ['1', 'true', 'yes'].includes((process.env.CORS_EXPLAINER_HEADLESS ?? '').toLowerCase());
let build = true;
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === '--headless') headless = true;
  else if (arg === '--no-build') build = false;
  else if (arg === '--browser') browser = argv[++i] ?? '';
  else if (arg.startsWith('--browser=')) browser = arg.slice('--browser='.length);
  else fail(`npm start: unknown option ${arg} (options: --browser chromium|firefox, --headless, --no-build)`);
}
if (browser !== 'chromium' && browser !== 'firefox') fail(`npm start: --browser must be chromium or firefox, not "${browser}"`);

if (!headless && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  fail(
    'npm start needs a display for the browser window and there is none ($DISPLAY and $WAYLAND_DISPLAY are unset): ' +
      'run `xvfb-run npm start`, or check a page without a window with `npx cors-explainer check <url>`.',
  );
}

const target = browser === 'chromium' ? 'chrome' : 'firefox';
const outputs = [
  { script: `build:${target}`, marker: join(root, 'dist', target, 'manifest.json'), sources: ['src', 'public', 'manifest.json', 'vite.config.ts'] },
  { script: 'build:cli', marker: join(root, 'dist', 'cli', 'start.mjs'), sources: ['src', 'vite.cli.config.ts'] },
];
for (const { script, marker, sources } of outputs) {
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  if (built > 0 && (!build || newestIn(sources) <= built)) continue;
  if (!build) fail(`npm start: ${marker} is missing; run \`npm run build\` (or drop --no-build)`);
  process.stderr.write(`Building (npm run ${script})…\n`);
  const run = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) fail(`npm start: \`npm run ${script}\` failed (exit ${run.status}); see the errors above`);
}

const { runStart } = await import(pathToFileURL(join(root, 'dist', 'cli', 'start.mjs')).href);
process.exit(await runStart({ browser, headless }));

/** The newest modification time among these files and directories (recursively), relative to root. */
function newestIn(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (stat.mtimeMs > newest) {
      newest = stat.mtimeMs;
    }
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}
