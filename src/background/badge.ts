/**
 * The toolbar badge: per tab, the number of CORS failures recorded (warnings do not count). A sober dark
 * red with white text, so it reads as "something failed" without shouting.
 */
export const BADGE_COLOR = '#8c2a1f';
export const BADGE_TEXT_COLOR = '#ffffff';

export interface ActionApi {
  setBadgeText(details: { tabId?: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId?: number; color: string }): Promise<void>;
  setBadgeTextColor?(details: { tabId?: number; color: string }): Promise<void>;
}

export function badgeText(failures: number): string {
  if (failures <= 0) return '';
  return failures > 999 ? '999+' : String(failures);
}

export class Badge {
  readonly #action: ActionApi;
  /** What we last set per tab, so a burst does not repeat identical calls. */
  readonly #shown = new Map<number, string>();

  constructor(action: ActionApi) {
    this.#action = action;
  }

  /** Colours are global; set once per worker start. */
  init(): void {
    ignore(this.#action.setBadgeBackgroundColor({ color: BADGE_COLOR }));
    if (this.#action.setBadgeTextColor) ignore(this.#action.setBadgeTextColor({ color: BADGE_TEXT_COLOR }));
  }

  show(tabId: number, failures: number): void {
    const text = badgeText(failures);
    if (this.#shown.get(tabId) === text) return;
    this.#set(tabId, text);
  }

  /** Sets the text again even if unchanged: a navigation resets a tab's badge in the browser. */
  refresh(tabId: number, failures: number): void {
    this.#set(tabId, badgeText(failures));
  }

  forget(tabId: number): void {
    this.#shown.delete(tabId);
  }

  #set(tabId: number, text: string): void {
    this.#shown.set(tabId, text);
    // The tab may be gone by now: nothing to do then.
    ignore(this.#action.setBadgeText({ tabId, text }));
  }
}

function ignore(p: Promise<unknown> | undefined): void {
  p?.catch(() => undefined);
}
