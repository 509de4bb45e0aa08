import type { Locale } from '../i18n/index.ts';

const formatters = new Map<Locale, Intl.DateTimeFormat>();

/** An audit timestamp in the reader's language and time zone, to the second. */
export function formatAuditTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', {
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
