/** The app's pages, in menu order. Each id names its i18n section and its `nav` label. */
export const pageIds = ['services', 'environments', 'audit', 'security'] as const;
export type PageId = (typeof pageIds)[number];

export const defaultPage: PageId = 'services';

export function isPageId(value: unknown): value is PageId {
  return typeof value === 'string' && (pageIds as readonly string[]).includes(value);
}
