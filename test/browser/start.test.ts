/**
 * `npm start` (scripts/start.mjs → src/cli/start.ts). Headless mode does everything but the window: the
 * lab answers, the browser runs with the extension's service worker up and DevTools on the CORS panel, and
 * SIGTERM closes it all. Without a display the interactive mode refuses in one line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildCli, requireExtensionBuild, ROOT, runNode } from './cli-support.ts';

const START = join(ROOT, 'scripts', 'start.mjs');
/** OS-chosen lab ports, so the test never collides with a lab someone runs on 8700-8702. */
const FREE_PORTS = { LAB_PORT_PAGE: '0', LAB_PORT_API: '0', LAB_PORT_THIRD: '0' };

beforeAll(() => {
  requireExtensionBuild('chrome');
  requireExtensionBuild('firefox');
  buildCli();
});

interface Running {
  child: ChildProcess;
  ready: Record<string, string>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let running: Running | undefined;
afterEach(() => {
  // A failed test must not leave the launcher (and its browser) behind.
  if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  running = undefined;
});

/** Spawns the launcher headless and resolves with the fields of its ready line. */
async function startHeadless(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [START, '--headless', '--no-build', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...FREE_PORTS },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const handle = { child, ready: {}, stdout: () => stdout, stderr: () => stderr, exited };
  running = handle;
  const deadline = Date.now() + 60_000;
  while (!stdout.includes('\n')) {
    if (child.exitCode !== null) throw new Error(`the launcher exited (${child.exitCode}) before it was ready: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`no ready line within 60 s; stderr: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const line = stdout.split('\n')[0] ?? '';
  expect(line).toMatch(/^cors-explainer start: ready /);
  handle.ready = Object.fromEntries(
    line
      .replace(/^cors-explainer start: ready /, '')
      .split(' ')
      .map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]),
  );
  return handle;
}

/** A tiny CDP client over the browser's WebSocket: independent of the launcher's own Playwright. */
async function cdpClient(endpoint: string) {
  const version = (await (await fetch(`${endpoint}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const socket = new WebSocket(version.webSocketDebuggerUrl, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  return {
    send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, (message) => (message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result as T)));
        socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      });
    },
    close: () => socket.close(),
  };
}

const answers = async (url: string): Promise<boolean> => {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
};

describe('npm start, Chromium, headless', () => {
  it('starts the lab and Chromium with the extension and DevTools on the CORS panel; SIGTERM ends it', async () => {
    const started = Date.now();
    const launcher = await startHeadless([]);
    console.log(`npm start (headless Chromium) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { lab, browser, extension, devtools, cdp } = launcher.ready;
    expect(browser).toBe('chromium');
    expect(extension).toMatch(/^[a-p]{32}$/);
    expect(devtools).toBe('cors-panel');
    expect(cdp).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lab).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // The lab answers with its index.
    const index = await fetch(lab ?? '');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<h1>CORS lab</h1>');

    // Inside the browser: the extension's service worker runs (and answers), the lab is open in a tab,
    // and a DevTools window is attached to it.
    const client = await cdpClient(cdp ?? '');
    try {
      const { targetInfos } = await client.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets');
      const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extension}/`));
      expect(worker, JSON.stringify(targetInfos)).toBeDefined();
      expect(targetInfos.some((t) => t.type === 'page' && t.url === lab)).toBe(true);
      expect(targetInfos.some((t) => t.type === 'page' && t.url.startsWith('devtools://devtools/'))).toBe(true);
      const { sessionId } = await client.send<{ sessionId: string }>('Target.attachToTarget', { targetId: worker?.targetId, flatten: true });
      const evaluated = await client.send<{ result: { value: unknown } }>(
        'Runtime.evaluate',
        { expression: 'chrome.runtime.id + " " + chrome.runtime.getManifest().version', returnByValue: true },
        sessionId,
      );
      expect(evaluated.result.value).toMatch(new RegExp(`^${extension} \\d+\\.\\d+\\.\\d+$`));
    } finally {
      client.close();
    }

    launcher.child.kill('SIGTERM');
    const exit = await launcher.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(launcher.stderr()).toBe('');
    expect(launcher.stdout().trimEnd().split('\n')).toHaveLength(1);
    // Everything it started is gone: the lab and the browser's debugging port.
    expect(await answers(lab ?? '')).toBe(false);
    expect(await answers(`${cdp}/json/version`)).toBe(false);
  });
});

describe('npm run start:firefox, headless', () => {
  it('starts the lab and Firefox with the extension and the toolbox on the CORS panel; SIGTERM ends it', async () => {
    const started = Date.now();
    const launcher = await startHeadless(['--browser', 'firefox']);
    console.log(`npm run start:firefox (headless) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { lab, browser, extension, devtools } = launcher.ready;
    expect(browser).toBe('firefox');
    expect(extension).toBe('cors-explainer@cors-explainer.dev');
    expect(devtools).toBe('cors-panel');
    const index = await fetch(lab ?? '');
    expect(index.status).toBe(200);

    launcher.child.kill('SIGTERM');
    expect(await launcher.exited).toEqual({ code: 0, signal: null });
    expect(launcher.stderr()).toBe('');
    expect(await answers(lab ?? '')).toBe(false);
  });
});

describe('npm start without a display', () => {
  it('says so in one line, points to the CLI and xvfb-run, and exits 2', async () => {
    const run = await runNode(START, ['--no-build'], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, CORS_EXPLAINER_HEADLESS: undefined });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs a display/);
    expect(lines[0]).toContain('xvfb-run npm start');
    expect(lines[0]).toContain('npx cors-explainer check <url>');
  });

  it('an unknown option is refused the same way', async () => {
    const run = await runNode(START, ['--browser', 'safari'], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^npm start: --browser must be chromium or firefox, not "safari"\n$/);
  });
});
