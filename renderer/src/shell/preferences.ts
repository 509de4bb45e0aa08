import { z } from 'zod';
import { locales, localeFromLanguage, type Locale } from '../i18n/index.ts';

export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];

export interface Preferences {
  /** `system` follows the OS light/dark setting; the others override it. */
  theme: ThemeChoice;
  locale: Locale;
}

export const preferencesStorageKey = 'kiops.preferences';

// Version the stored shape so a later change can migrate instead of silently dropping it.
const storedPreferencesSchema = z.object({
  version: z.literal(1),
  theme: z.enum(themeChoices),
  locale: z.enum(locales),
});

/**
 * Reads what an earlier session stored. Anything unreadable (hand-edited, from another
 * version, truncated) falls back to defaults instead of breaking the window: the theme
 * follows the OS and the language follows the system language.
 */
export function readPreferences(stored: string | null, systemLanguage: string | undefined): Preferences {
  const defaults: Preferences = { theme: 'system', locale: localeFromLanguage(systemLanguage) };
  if (stored === null) return defaults;
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return defaults;
  }
  const parsed = storedPreferencesSchema.safeParse(raw);
  return parsed.success ? { theme: parsed.data.theme, locale: parsed.data.locale } : defaults;
}

export function writePreferences(preferences: Preferences): string {
  return JSON.stringify({ version: 1, ...preferences } satisfies z.infer<typeof storedPreferencesSchema>);
}

/** The theme actually shown: the override, or the OS setting (light when the OS says nothing). */
export function resolveTheme(choice: ThemeChoice, osTheme: 'light' | 'dark' | null): 'light' | 'dark' {
  return choice === 'system' ? (osTheme ?? 'light') : choice;
}
