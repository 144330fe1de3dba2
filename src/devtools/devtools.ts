/**
 * The devtools page: loaded as soon as DevTools opens on a tab, and until it closes. It registers the CORS
 * panel, and keeps a port to the background that says which tab it inspects (DEVTOOLS_PORT_NAME,
 * `inspect`): with the 'devtools-open' recording scope the tab is recorded from the moment DevTools opens,
 * not only once the CORS panel is first shown (Chrome loads a panel's page only then).
 *
 * The background learns that DevTools closed when the port disconnects. A stopped service worker drops the
 * port too: the page connects again (which starts the worker), so that the close is still seen.
 */
import browser from 'webextension-polyfill';
import { DEVTOOLS_PORT_NAME, type PortMessageFromDevtools } from '../messages.ts';

browser.devtools.panels.create('CORS', '/icons/icon-32.png', '/src/panel/panel.html');

/** Delays before connecting again after a disconnect (ms); the last one repeats. */
const RETRY_MS = [0, 250, 1000, 5000];
/** A port that lived this long was a working connection: the next retry starts from the first delay. */
const HEALTHY_MS = 10_000;

const tabId = browser.devtools.inspectedWindow.tabId;
let attempt = 0;

function connect(): void {
  let port: browser.Runtime.Port;
  try {
    port = browser.runtime.connect({ name: DEVTOOLS_PORT_NAME });
  } catch {
    // The extension was reloaded or removed: this page's context is gone for good.
    return;
  }
  const opened = Date.now();
  port.onDisconnect.addListener(() => {
    if (Date.now() - opened >= HEALTHY_MS) attempt = 0;
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 5000;
    attempt++;
    setTimeout(connect, delay);
  });
  port.postMessage({ type: 'inspect', payload: { tabId } } satisfies PortMessageFromDevtools);
}

if (Number.isInteger(tabId) && tabId >= 0) connect();
