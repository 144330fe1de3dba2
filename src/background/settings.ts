/**
 * Settings in storage.local (key `settings`), merged over DEFAULT_SETTINGS. One cached copy per worker
 * life; storage.onChanged keeps it current when another context writes.
 */
import { DEFAULT_SETTINGS, type Settings } from '../messages.ts';

export const SETTINGS_KEY = 'settings';

export interface LocalArea {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export class SettingsStore {
  readonly #area: LocalArea;
  readonly #onChange: (settings: Settings) => void;
  #current: Settings | undefined;
  #loading: Promise<Settings> | undefined;

  constructor(area: LocalArea, onChange: (settings: Settings) => void) {
    this.#area = area;
    this.#onChange = onChange;
  }

  get(): Promise<Settings> {
    if (this.#current !== undefined) return Promise.resolve(this.#current);
    this.#loading ??= this.#area.get(SETTINGS_KEY).then(
      (items) => {
        this.#current ??= sanitize(items[SETTINGS_KEY]);
        return this.#current;
      },
      () => {
        this.#current ??= { ...DEFAULT_SETTINGS };
        return this.#current;
      },
    );
    return this.#loading;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = sanitize({ ...(await this.get()), ...patch });
    this.#apply(next);
    await this.#area.set({ [SETTINGS_KEY]: next });
    return next;
  }

  /** storage.onChanged for the local area: a write from any context (or our own) lands here. */
  changedInStorage(newValue: unknown): void {
    this.#apply(sanitize(newValue));
  }

  #apply(next: Settings): void {
    const before = this.#current;
    this.#current = next;
    if (before === undefined || before.preserveLog !== next.preserveLog || before.scope !== next.scope) this.#onChange(next);
  }
}

/** Keeps only known keys with valid values; anything else falls back to the default. */
export function sanitize(value: unknown): Settings {
  const v = (value ?? {}) as Partial<Record<keyof Settings, unknown>>;
  return {
    preserveLog: typeof v.preserveLog === 'boolean' ? v.preserveLog : DEFAULT_SETTINGS.preserveLog,
    scope: v.scope === 'all-tabs' || v.scope === 'devtools-open' ? v.scope : DEFAULT_SETTINGS.scope,
  };
}
