// The floor extension must register exactly what ours registers (events, filters, extraInfoSpec), or the
// comparison "ours vs floor" measures the wrong thing. Both are run against a fake webRequest that
// records every addListener call; the floor's background.js runs in a vm with that fake as its API.
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';

const EVENTS = ['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onCompleted', 'onErrorOccurred'];

function fakeWebRequest() {
  /** @type {string[]} */
  const calls = [];
  /** @type {Record<string, any>} */
  const api = {};
  for (const name of EVENTS) {
    api[name] = {
      addListener: (/** @type {unknown} */ _fn, /** @type {unknown} */ filter, /** @type {unknown} */ spec) =>
        calls.push(`${name} ${JSON.stringify(filter)} ${JSON.stringify(spec ?? [])}`),
      removeListener: () => undefined,
    };
  }
  return { api, calls };
}

/** @param {any} m the bundled entries @returns {{ engine: string, same: boolean, ours: string[], floor: string[] }[]} */
export function checkFloor(m) {
  const source = readFileSync(new URL('./floor-extension/background.js', import.meta.url), 'utf8');
  return /** @type {const} */ (['chrome', 'firefox']).map((engine) => {
    const ours = fakeWebRequest();
    const profile = engine === 'firefox' ? m.firefoxProfile : m.chromeProfile;
    new m.WebRequestAdapter(ours.api, profile, () => undefined, { events: undefined }).listen();
    const floor = fakeWebRequest();
    const runtime = engine === 'firefox' ? { getBrowserInfo: () => undefined } : {};
    const globals = engine === 'firefox' ? { browser: { webRequest: floor.api, runtime } } : { chrome: { webRequest: floor.api, runtime } };
    const context = createContext({ ...globals });
    context.globalThis = context;
    runInContext(source, context);
    const a = [...ours.calls].sort();
    const b = [...floor.calls].sort();
    return { engine, same: JSON.stringify(a) === JSON.stringify(b), ours: a, floor: b };
  });
}
