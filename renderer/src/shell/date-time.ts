import type { Locale } from '../i18n/index.ts';

// English: an unambiguous year-month-day 24-hour form, which operators read across regions
// (Swedish formatting is exactly that); Korean: the Korean convention.
const formatLocales: Record<Locale, string> = { en: 'sv-SE', ko: 'ko-KR' };
const formatters = new Map<Locale, Intl.DateTimeFormat>();

/** A timestamp in the reader's time zone, to the second, in the UI language's convention. */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(formatLocales[locale], {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    formatters.set(locale, formatter);
  }
  return formatter.format(date);
}

const numberLocales: Record<Locale, string> = { en: 'en-US', ko: 'ko-KR' };
const numberFormatters = new Map<Locale, Intl.NumberFormat>();

/** A count or size grouped the UI language's way, whatever language the browser runs in. */
export function formatNumber(value: number, locale: Locale): string {
  let formatter = numberFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(numberLocales[locale]);
    numberFormatters.set(locale, formatter);
  }
  return formatter.format(value);
}

/** Only the time of day, for "updated at" notes. */
export function formatClock(iso: string | number, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleTimeString(formatLocales[locale], { hour12: false });
}
