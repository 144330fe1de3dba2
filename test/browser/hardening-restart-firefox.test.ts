/**
 * Firefox (dist/firefox, headless, WebDriver BiDi): the extension's event page is terminated again and
 * again while a page keeps failing, the way Firefox suspends an idle event page (the same call
 * about:debugging's "Terminate background script" makes, from chrome scope). The next webRequest event
 * starts a fresh background page, which must continue the tab's records from storage.session: everything
 * recorded before a termination is still there after it, nothing is recorded twice, seq stays unique and
 * increasing. One Firefox start.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CorsRecord } from '../../src/cors/record.ts';
import type { Requests } from '../../src/messages.ts';
import { type FirefoxHandle, launchFirefox } from './support/firefox.ts';
import { httpServer, type Running, until } from './hardening-support.ts';

const EXTENSION = resolve(process.env.CORS_EXTENSION_DIR_FIREFOX ?? 'dist/firefox');
const ROUNDS = 5;
const PER_ROUND = 4;

let firefox: FirefoxHandle;
let site: Running;
let api: Running;
let tab: string;
let tabId: number;

beforeAll(async () => {
  site = await httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>restarts</title>');
  });
  api = await httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
    res.end('{}');
  });
  firefox = await launchFirefox({ extension: EXTENSION });
  tab = await firefox.openTab(`${site.origin}/`);
  const url = `${site.origin}/`;
  const id = await firefox.extensionEval<number | undefined>(
    // @ts-expect-error `browser` exists in the extension page
    async (u: string) => (await browser.tabs.query({})).find((t: { url?: string }) => t.url === u)?.id,
    url,
  );
  if (typeof id !== 'number') throw new Error('no tab id for the page');
  tabId = id;
});

afterAll(async () => {
  await firefox?.close();
  await Promise.all([site?.close(), api?.close()]);
});

/** The background's state as Firefox keeps it: starting, running, suspending or stopped. */
function backgroundState(): Promise<string> {
  return firefox.chromeEval<string>((id: string) => {
    // @ts-expect-error chrome-scope globals
    return String(WebExtensionPolicy.getByID(id)?.extension?.backgroundState);
  }, firefox.extension?.id ?? '');
}

/** Terminates the event page as Firefox does when it is idle; resolves once it is stopped. */
async function terminateBackground(): Promise<void> {
  await firefox.chromeEval(async (id: string) => {
    // @ts-expect-error chrome-scope globals
    const extension = WebExtensionPolicy.getByID(id).extension;
    await extension.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true });
  }, firefox.extension?.id ?? '');
  expect(await until(backgroundState, (s) => s === 'stopped', 10_000, 50)).toBe('stopped');
}

async function failures(round: number): Promise<string[]> {
  return firefox.evaluate<string[]>(
    tab,
    (base: string, r: number, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          fetch(`${base}/x?n=${r}-${i}`).then(
            // Firefox lets the page see nothing either way; a blocked response rejects.
            () => 'passed',
            () => 'failed',
          ),
        ),
      ),
    api.origin,
    round,
    PER_ROUND,
  );
}

/** Through the background (which a message wakes): it reads what the previous one stored. */
const records = async (): Promise<CorsRecord[]> =>
  (await firefox.sendExtensionMessage<Requests['getRecords']['reply']>({ type: 'getRecords', payload: { tabId } })).records;
const tagOf = (r: CorsRecord): string => new URL(r.exchange.url).searchParams.get('n') ?? '';

it(`the event page terminated ${ROUNDS} times: stored records survive, none doubled, seq unique`, async () => {
  const expected: string[] = [];
  const states: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Failures while the background is stopped wake it (its webRequest listeners are persistent).
    expect(await failures(round)).toEqual(Array(PER_ROUND).fill('failed'));
    states.push(await backgroundState());
    for (let i = 0; i < PER_ROUND; i++) expected.push(`${round}-${i}`);
    const now = await until(records, (r) => expected.every((t) => r.some((x) => tagOf(x) === t)), 10_000, 200);
    expect(now.map(tagOf).sort()).toEqual([...expected].sort());
    // A write is in flight for a moment after the records are visible: let it land, then stop.
    await new Promise((r) => setTimeout(r, 300));
    await terminateBackground();
  }
  // Woken by the message, a fresh background answers from storage alone.
  const final = await records();
  const tags = final.map(tagOf);
  const seqs = final.map((r) => r.seq);
  console.log(`firefox: ${ROUNDS} terminations, background woke as ${JSON.stringify(states)}; ${final.length} records, seq ${seqs[0]}…${seqs.at(-1)}`);
  expect(states.every((s) => s === 'running' || s === 'starting')).toBe(true);
  expect([...tags].sort()).toEqual([...expected].sort());
  expect(new Set(tags).size).toBe(tags.length);
  expect(seqs).toEqual(Array.from({ length: expected.length }, (_, i) => i + 1));
  for (const r of final) expect(r.diagnosis.reason).toBe('CORSMissingAllowOrigin');
  expect(await firefox.sendExtensionMessage({ type: 'ping', payload: {} })).toEqual({ ok: true, engine: 'gecko' });
});
