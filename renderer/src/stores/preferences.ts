import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { darkTheme, dateEnUS, dateKoKR, enUS, koKR, useOsTheme } from 'naive-ui';
import { api } from '../api/client.ts';
import { i18n, type Locale } from '../i18n/index.ts';
import { withoutDefaultPlaceholders } from '../shell/naive-locale.ts';
import { preferencesStorageKey, readPreferences, resolveTheme, writePreferences, type ThemeChoice } from '../shell/preferences.ts';

/**
 * The user's display preferences: theme (following the OS unless overridden) and language
 * (following the system language unless chosen). Persisted in localStorage; applying the
 * language here keeps vue-i18n, naive-ui's own texts and `<html lang>` in step.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  const stored = readPreferences(localStorage.getItem(preferencesStorageKey), navigator.language);
  const themeChoice = ref<ThemeChoice>(stored.theme);
  const locale = ref<Locale>(stored.locale);
  // naive-ui's OS theme is a module-level ref; outside a component it simply stays subscribed.
  const osTheme = useOsTheme();

  const theme = computed(() => resolveTheme(themeChoice.value, osTheme.value));
  const naiveTheme = computed(() => (theme.value === 'dark' ? darkTheme : null));
  const naiveLocale = computed(() => withoutDefaultPlaceholders(locale.value === 'ko' ? koKR : enUS));
  const naiveDateLocale = computed(() => (locale.value === 'ko' ? dateKoKR : dateEnUS));

  watch(
    locale,
    (value) => {
      i18n.global.locale.value = value;
      document.documentElement.lang = value;
    },
    { immediate: true },
  );
  watch(
    theme,
    (value) => {
      const root = document.documentElement;
      root.classList.add('theme-switching');
      // lets native parts (scrollbars, form controls) and tests see the theme in effect
      root.dataset['theme'] = value;
      root.style.colorScheme = value;
      // two frames: the new colours are painted before transitions come back
      requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove('theme-switching')));
    },
    { immediate: true },
  );
  // the desktop app's title bar and menus follow the choice too (browser mode ignores it)
  watch(themeChoice, (value) => void api.call('app.setWindowTheme', { theme: value }).catch(() => {}), { immediate: true });
  watch([themeChoice, locale], () => {
    localStorage.setItem(preferencesStorageKey, writePreferences({ theme: themeChoice.value, locale: locale.value }));
  });

  return { themeChoice, locale, theme, naiveTheme, naiveLocale, naiveDateLocale };
});
