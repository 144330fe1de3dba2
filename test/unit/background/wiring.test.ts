// The small pieces around the store: request routing, settings, the badge and the recording scope.
import { describe, expect, it } from 'vitest';
import type { WebRequestAdapter } from '../../../src/background/adapter.ts';
import { BADGE_COLOR, Badge, badgeText } from '../../../src/background/badge.ts';
import { type RequestHandlers, routeRequest } from '../../../src/background/router.ts';
import { INSPECTED_KEY, RecordingScope } from '../../../src/background/scope.ts';
import { SETTINGS_KEY, SettingsStore, sanitize } from '../../../src/background/settings.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/messages.ts';
import { MemoryArea, settle } from './fakes.ts';

describe('routeRequest', () => {
  const handlers: RequestHandlers = {
    ping: async () => ({ ok: true, engine: 'gecko' }),
    getSettings: async () => DEFAULT_SETTINGS,
    getRecords: async ({ tabId }) => ({ records: [], dropped: tabId }),
    getAllRecords: async () => ({ tabs: {} }),
  };

  it('routes by type to the handler with the payload', async () => {
    expect(await routeRequest(handlers, { type: 'getRecords', payload: { tabId: 12 } })).toEqual({ records: [], dropped: 12 });
    expect(await routeRequest(handlers, { type: 'ping', payload: {} })).toEqual({ ok: true, engine: 'gecko' });
  });

  it('leaves unknown and malformed messages unanswered', () => {
    for (const m of [null, 'ping', { type: 'nope' }, { type: 'constructor' }, { type: 'hasOwnProperty' }, { payload: {} }]) {
      expect(routeRequest(handlers, m)).toBeUndefined();
    }
  });
});

describe('SettingsStore', () => {
  it('defaults, merges patches, persists under `settings`, and reports real changes only', async () => {
    const area = new MemoryArea();
    const changes: Settings[] = [];
    const s = new SettingsStore(area, (next) => changes.push(next));
    expect(await s.get()).toEqual(DEFAULT_SETTINGS);
    expect(await s.update({ preserveLog: true })).toEqual({ preserveLog: true, scope: 'all-tabs' });
    expect(area.data.get(SETTINGS_KEY)).toEqual({ preserveLog: true, scope: 'all-tabs' });
    s.changedInStorage({ preserveLog: true, scope: 'all-tabs' });
    s.changedInStorage({ preserveLog: true, scope: 'devtools-open' });
    expect(changes).toEqual([
      { preserveLog: true, scope: 'all-tabs' },
      { preserveLog: true, scope: 'devtools-open' },
    ]);
  });

  it('reads what another context stored, and repairs values of the wrong type', async () => {
    const area = new MemoryArea();
    area.data.set(SETTINGS_KEY, { preserveLog: 'yes', scope: 'devtools-open', extra: 1 });
    expect(await new SettingsStore(area, () => {}).get()).toEqual({ preserveLog: false, scope: 'devtools-open' });
    expect(sanitize(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(sanitize({ scope: 'everything' })).toEqual(DEFAULT_SETTINGS);
  });
});

describe('Badge', () => {
  function fakeAction() {
    const calls: Array<[string, unknown]> = [];
    return {
      calls,
      action: {
        setBadgeText: async (d: { tabId?: number; text: string }) => void calls.push(['text', d]),
        setBadgeBackgroundColor: async (d: { color: string }) => void calls.push(['color', d]),
        setBadgeTextColor: async (d: { color: string }) => void calls.push(['textColor', d]),
      },
    };
  }

  it('shows the count per tab, empty for zero, 999+ beyond, without repeating identical calls', () => {
    expect([0, 1, 999, 1000].map(badgeText)).toEqual(['', '1', '999', '999+']);
    const { calls, action } = fakeAction();
    const badge = new Badge(action);
    badge.init();
    badge.show(1, 2);
    badge.show(1, 2);
    badge.show(2, 0);
    badge.refresh(1, 2); // after a navigation the browser forgot it: set again
    expect(calls).toEqual([
      ['color', { color: BADGE_COLOR }],
      ['textColor', { color: '#ffffff' }],
      ['text', { tabId: 1, text: '2' }],
      ['text', { tabId: 2, text: '' }],
      ['text', { tabId: 1, text: '2' }],
    ]);
  });

  it('survives a closed tab (the browser rejects the call)', async () => {
    const badge = new Badge({
      setBadgeText: () => Promise.reject(new Error('No tab with id: 5')),
      setBadgeBackgroundColor: async () => {},
    });
    badge.init();
    badge.show(5, 1);
    await settle();
  });
});

describe('RecordingScope', () => {
  class FakeAdapter {
    listening: { tabId?: number } | undefined;
    constructor(readonly log: string[], readonly name: string) {}
    listen(filter: { tabId?: number } = {}) {
      if (this.listening) return;
      this.listening = filter;
      this.log.push(`listen ${this.name}`);
    }
    stop() {
      if (!this.listening) return;
      this.listening = undefined;
      this.log.push(`stop ${this.name}`);
    }
  }

  function setup(area = new MemoryArea()) {
    const log: string[] = [];
    const all = new FakeAdapter(log, 'all');
    const perTab = new Map<number, FakeAdapter>();
    const scope = new RecordingScope(all as unknown as WebRequestAdapter, (tabId) => {
      const a = new FakeAdapter(log, `tab ${tabId}`);
      perTab.set(tabId, a);
      return a as unknown as WebRequestAdapter;
    }, area);
    return { scope, log, all, perTab, area };
  }

  it('all tabs: the wide listeners only', async () => {
    const { scope, log } = setup();
    scope.start();
    await scope.apply('all-tabs');
    await scope.inspecting(4, true);
    expect(log).toEqual(['listen all']);
    expect(scope.records(99)).toBe(true);
  });

  it('devtools-open: wide listeners go, one narrow set per inspected tab, stored for the next worker', async () => {
    const { scope, log, perTab, area } = setup();
    scope.start();
    await scope.apply('devtools-open');
    expect(log).toEqual(['listen all', 'stop all']);
    await scope.inspecting(4, true);
    expect(perTab.get(4)?.listening).toEqual({ tabId: 4 });
    expect(area.data.get(INSPECTED_KEY)).toEqual([4]);
    expect(scope.records(4)).toBe(true);
    expect(scope.records(5)).toBe(false);
    await scope.inspecting(4, false);
    expect(perTab.get(4)?.listening).toBeUndefined();
    await scope.apply('all-tabs');
    expect(log).toEqual(['listen all', 'stop all', 'listen tab 4', 'stop tab 4', 'listen all']);
  });

  it('a restarted worker narrows to the tabs that were inspected before it stopped', async () => {
    const area = new MemoryArea();
    area.data.set(INSPECTED_KEY, [7, 8]);
    const { scope, perTab, all } = setup(area);
    scope.start();
    await scope.apply('devtools-open');
    expect(all.listening).toBeUndefined();
    expect([...perTab.keys()].sort()).toEqual([7, 8]);
  });
});
