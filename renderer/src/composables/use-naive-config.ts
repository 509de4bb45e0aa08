import { computed } from 'vue';
import type { ConfigProviderProps } from 'naive-ui';
import { usePreferencesStore } from '../stores/preferences.ts';

/** naive-ui's theme and locale from the user's preferences, for NConfigProvider and the discrete API. */
export function useNaiveConfig() {
  const preferences = usePreferencesStore();
  return computed<ConfigProviderProps>(() => ({
    theme: preferences.naiveTheme,
    locale: preferences.naiveLocale,
    dateLocale: preferences.naiveDateLocale,
    themeOverrides: themeOverrides,
  }));
}

/** KIOPS blue as the primary colour, same in light and dark. */
const themeOverrides: ConfigProviderProps['themeOverrides'] = {
  common: {
    primaryColor: '#2f6fed',
    primaryColorHover: '#4b85f5',
    primaryColorPressed: '#1f57c7',
    primaryColorSuppl: '#4b85f5',
  },
};
