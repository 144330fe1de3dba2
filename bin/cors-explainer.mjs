#!/usr/bin/env node
// `npx cors-explainer check <url>`: runs the built CLI (dist/cli/cors-explainer.mjs, from `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/cors-explainer.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('cors-explainer: the CLI is not built (dist/cli/cors-explainer.mjs is missing); run `npm run build`\n');
  process.exit(2);
}
const { main } = await import(entry.href);
const status = await main(process.argv.slice(2));
// Everything printed has been written (main waits for it); the browser is closed. Exit now, whatever
// handle a library may have left open.
process.exit(status);
