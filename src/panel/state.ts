/**
 * The panel's data state, as a pure reducer over the background's messages (and the panel's own optimistic
 * changes), so the rules are testable without a DOM.
 */
import type { CorsRecord } from '../cors/record.ts';
import { DEFAULT_SETTINGS, type PortMessageToPanel, type Settings } from '../messages.ts';
import type { ConnectionStatus } from './source.ts';

export interface DataState {
  records: CorsRecord[];
  dropped: number;
  settings: Settings;
  status: ConnectionStatus;
  /** False until the first snapshot: the panel shows nothing rather than a wrong empty state. */
  loaded: boolean;
}

export const INITIAL_DATA: DataState = {
  records: [],
  dropped: 0,
  settings: DEFAULT_SETTINGS,
  status: 'reconnecting',
  loaded: false,
};

export type DataAction =
  | PortMessageToPanel
  | { type: 'status'; payload: ConnectionStatus }
  | { type: 'local-settings'; payload: Partial<Settings> };

export function reduceData(state: DataState, action: DataAction): DataState {
  switch (action.type) {
    case 'snapshot':
      return {
        ...state,
        records: action.payload.records,
        dropped: action.payload.dropped,
        settings: { ...DEFAULT_SETTINGS, ...action.payload.settings },
        loaded: true,
      };
    case 'added': {
      if (action.payload.records.length === 0 && action.payload.dropped === state.dropped) return state;
      const known = new Set(state.records.map((r) => r.id));
      const fresh = action.payload.records.filter((r) => !known.has(r.id));
      let records = fresh.length > 0 ? state.records.concat(fresh) : state.records;
      // The background dropped the oldest records to stay under its cap: drop the same ones here.
      const newlyDropped = action.payload.dropped - state.dropped;
      if (newlyDropped > 0) records = records.slice(Math.min(newlyDropped, records.length));
      return { ...state, records, dropped: Math.max(state.dropped, action.payload.dropped) };
    }
    case 'cleared':
      return { ...state, records: [], dropped: 0 };
    case 'settings':
      return { ...state, settings: { ...DEFAULT_SETTINGS, ...action.payload } };
    case 'local-settings':
      return { ...state, settings: { ...state.settings, ...action.payload } };
    case 'status':
      return action.payload === state.status ? state : { ...state, status: action.payload };
    default:
      return state;
  }
}
