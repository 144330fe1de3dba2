import { DEFAULT_SETTINGS } from '../../../src/messages.ts';
import { INITIAL_DATA, reduceData } from '../../../src/panel/state.ts';
import { demoRecords } from '../../shell/records.ts';

const records = demoRecords();

describe('reduceData', () => {
  test('a snapshot replaces everything and marks the state loaded', () => {
    const state = reduceData(INITIAL_DATA, {
      type: 'snapshot',
      payload: { tabId: 1, records: records.slice(0, 3), dropped: 7, settings: { preserveLog: true, scope: 'all-tabs' } },
    });
    expect(state.loaded).toBe(true);
    expect(state.records.map((r) => r.id)).toEqual(records.slice(0, 3).map((r) => r.id));
    expect(state.dropped).toBe(7);
    expect(state.settings.preserveLog).toBe(true);
  });

  test('added appends new records, ignores ones it already has, and drops what the background dropped', () => {
    let state = reduceData(INITIAL_DATA, { type: 'snapshot', payload: { tabId: 1, records: records.slice(0, 3), dropped: 0, settings: DEFAULT_SETTINGS } });
    state = reduceData(state, { type: 'added', payload: { tabId: 1, records: [records[2]!, records[3]!], dropped: 0 } });
    expect(state.records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    state = reduceData(state, { type: 'added', payload: { tabId: 1, records: [records[4]!], dropped: 2 } });
    expect(state.records.map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(state.dropped).toBe(2);
  });

  test('cleared empties the list and the dropped count; settings and local settings merge', () => {
    let state = reduceData(INITIAL_DATA, { type: 'snapshot', payload: { tabId: 1, records, dropped: 5, settings: DEFAULT_SETTINGS } });
    state = reduceData(state, { type: 'cleared', payload: { tabId: 1 } });
    expect(state.records).toEqual([]);
    expect(state.dropped).toBe(0);
    state = reduceData(state, { type: 'local-settings', payload: { preserveLog: true } });
    expect(state.settings).toEqual({ ...DEFAULT_SETTINGS, preserveLog: true });
    state = reduceData(state, { type: 'settings', payload: { preserveLog: false, scope: 'devtools-open' } });
    expect(state.settings).toEqual({ preserveLog: false, scope: 'devtools-open' });
  });
});

describe('shell records', () => {
  test('the classifier finds the intended reason in every hand-made scenario', async () => {
    const { SCENARIOS } = await import('../../shell/records.ts');
    const records = demoRecords();
    expect(records.map((r) => r.diagnosis.reason)).toEqual(SCENARIOS.map((s) => s.expect));
  });
});
