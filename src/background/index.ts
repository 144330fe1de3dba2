/**
 * The service worker (Chrome) / event page (Firefox). Everything a stopped worker must be woken for is
 * registered synchronously, here at the top level: webRequest (through the adapter), tabs, runtime
 * messages and ports, storage changes. The rest is wiring: adapter → tracker → store → badge and ports.
 */
import browser from 'webextension-polyfill';
import type { CorsRecord } from '../cors/record.ts';
import { isWarningReason } from '../cors/reasons.ts';
import { type RecordingHolder, type WebRequestApi, WebRequestAdapter } from './adapter.ts';
import { chromeProfile } from './adapter-chrome.ts';
import { firefoxProfile } from './adapter-firefox.ts';
import { Badge } from './badge.ts';
import { corsLogic } from './cors-logic.ts';
import { installDebugHook } from './debug.ts';
import type { NavigationEvent, TrackerEvent } from './events.ts';
import { PanelPorts } from './ports.ts';
import { type RequestHandlers, routeRequest } from './router.ts';
import { RecordingScope } from './scope.ts';
import { SettingsStore } from './settings.ts';
import { failureCount, RecordStore, type StorageArea } from './store.ts';
import { TabGate } from './tab-gate.ts';
import { Tracker } from './tracker.ts';

const isFirefox = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
const profile = isFirefox ? firefoxProfile : chromeProfile;
const session = browser.storage.session as unknown as StorageArea;
const isWarningRecord = (r: CorsRecord): boolean => isWarningReason(r.diagnosis.reason);

const badge = new Badge(browser.action);
const ports = new PanelPorts({
  records: (tabId) => store.get(tabId),
  settings: () => settings.get(),
  clear: (tabId) => store.clear(tabId),
  setSettings: (patch) => settings.update(patch),
  inspecting: (tabId, open) => void scope.inspecting(tabId, open),
});
const store = new RecordStore(session, {
  added: (tabId, records, dropped) => ports.added(tabId, records, dropped),
  cleared: (tabId) => ports.cleared(tabId),
  changed: (tabId, tab) => badge.show(tabId, failureCount(tab, isWarningRecord)),
});
const settings = new SettingsStore(browser.storage.local, (next) => {
  ports.settingsChanged(next);
  void scope.apply(next.scope);
});
/** A failure is stored only for a tab this worker knows to exist (see tab-gate.ts). */
const openTabs = new TabGate((tabId) => browser.tabs.get(tabId).then(() => true));
const tracker = new Tracker(profile.facts, corsLogic, (exchange, diagnosis) => {
  if (scope.records(exchange.tabId)) openTabs.run(exchange.tabId, () => store.add(exchange, diagnosis));
});

const recording: RecordingHolder = { events: undefined };
installDebugHook(recording);
/** Tabs that navigated and whose badge the browser is about to reset (see onNavigate). */
const badgeAfterCommit = new Set<number>();
const sink = (event: TrackerEvent): void => {
  if (event.kind === 'navigate') {
    onNavigate(event);
    return;
  }
  if (badgeAfterCommit.size > 0 && event.kind === 'send' && badgeAfterCommit.delete(event.tabId)) restoreBadge(event.tabId);
  tracker.handle(event);
};
const webRequest = browser.webRequest as unknown as WebRequestApi;
const newAdapter = (): WebRequestAdapter => new WebRequestAdapter(webRequest, profile, sink, recording);
const scope = new RecordingScope(newAdapter(), newAdapter, session);
scope.start();

/**
 * Clearing on navigation. The signal is the top frame's main_frame request (onBeforeRequest filtered to
 * main_frame: it fires for navigations only, so it costs nothing on subresources). Its timestamp is when
 * the navigation started, and the store drops only records of requests that started before it: records of
 * the new page survive however late this event is handled (tabs.onUpdated has no timestamp, and its
 * 'loading' can arrive after the new page's first failures). Same-document navigations send no request and
 * clear nothing, like DevTools.
 */
function onNavigate(event: NavigationEvent): void {
  badgeAfterCommit.add(event.tabId);
  void settings.get().then((s) => {
    if (!s.preserveLog) return store.clearBefore(event.tabId, event.time);
  });
}

/**
 * The browser resets a tab's badge when the tab commits a new document, which is after the navigation
 * started (when we may already have set it) and before the new document's first request. So that first
 * request puts the count back. This costs a set lookup per request, where tabs.onUpdated would wake the
 * worker for every page load in every tab.
 */
function restoreBadge(tabId: number): void {
  void store.get(tabId).then((tab) => {
    const failures = failureCount(tab, isWarningRecord);
    if (failures > 0) badge.refresh(tabId, failures);
    else badge.show(tabId, 0);
  });
}

browser.tabs.onRemoved.addListener((tabId) => {
  openTabs.forget(tabId);
  badge.forget(tabId);
  badgeAfterCommit.delete(tabId);
  void store.removeTab(tabId);
  void scope.inspecting(tabId, false);
});

browser.runtime.onConnect.addListener((port) => {
  ports.accept(port);
});

const handlers: RequestHandlers = {
  ping: async () => ({ ok: true, engine: profile.facts.engine }),
  getSettings: () => settings.get(),
  getRecords: async ({ tabId }) => {
    const tab = await store.get(tabId);
    return { records: tab.records, dropped: tab.dropped };
  },
  getAllRecords: async () => {
    const tabs: Record<string, { records: CorsRecord[]; dropped: number }> = {};
    for (const tab of await store.all()) tabs[String(tab.tabId)] = { records: tab.records, dropped: tab.dropped };
    return { tabs };
  },
};
browser.runtime.onMessage.addListener((message: unknown) => routeRequest(handlers, message));

browser.storage.onChanged.addListener((changes, area) => {
  const change = changes.settings;
  if (area === 'local' && change !== undefined) settings.changedInStorage(change.newValue);
});

badge.init();
void settings.get().then((s) => scope.apply(s.scope));
// Tabs closed while the worker was stopped still have a key: drop those.
void browser.tabs
  .query({})
  .then((tabs) => store.retainTabs(new Set(tabs.map((t) => t.id ?? -1))))
  .catch(() => undefined);
