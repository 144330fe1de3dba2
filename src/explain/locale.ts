/**
 * Locale choice and the small labels that go with it. The panel owns its UI strings; this file only maps a
 * browser UI language to one of the locales the explanations are written in.
 */
import type { Stage } from '../cors/diagnosis.ts';
import { en } from './text-en.ts';
import { fr } from './text-fr.ts';
import { ja } from './text-ja.ts';
import type { LocaleText } from './text-types.ts';
import type { Locale } from './types.ts';

export const LOCALES: readonly Locale[] = ['en', 'ja', 'fr'];

const TEXT: Record<Locale, LocaleText> = { en, ja, fr };

/** "ja", "ja-JP" → ja; "fr", "fr-CA", "fr_BE" → fr; anything else (or nothing) → en. */
export function detectLocale(uiLanguage: string | undefined): Locale {
  const primary = (uiLanguage ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'ja' || primary === 'fr' ? primary : 'en';
}

/** The text of a locale; an unknown value falls back to English rather than failing. */
export function textFor(locale: Locale): LocaleText {
  return TEXT[locale] ?? en;
}

export function stageLabel(stage: Stage, locale: Locale): string {
  return textFor(locale).stages[stage] ?? stage;
}
