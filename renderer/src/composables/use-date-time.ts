import { useI18n } from 'vue-i18n';
import type { Locale } from '../i18n/index.ts';
import { formatClock, formatDateTime, formatNumber } from '../shell/date-time.ts';

/** Dates, times and numbers in the UI's language, not the browser's (which may differ). */
export function useDateTime() {
  const { locale } = useI18n();
  return {
    dateTime: (iso: string | null | undefined): string => (iso ? formatDateTime(iso, locale.value as Locale) : '—'),
    clock: (at: string | number): string => formatClock(at, locale.value as Locale),
    number: (value: number): string => formatNumber(value, locale.value as Locale),
  };
}
