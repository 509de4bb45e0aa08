import { computed, h } from 'vue';
import { storeToRefs } from 'pinia';
import { useI18n } from 'vue-i18n';
import type { MenuOption } from 'naive-ui';
import { useNavigationStore } from '../stores/navigation.ts';
import { isPageId, pageIds } from '../shell/pages.ts';

/** The side menu: one entry per page, labelled in the current language. */
export function useNavigation() {
  const store = useNavigationStore();
  const { current } = storeToRefs(store);
  const { t } = useI18n();

  // the label carries the page id so tests find an entry whatever the language
  const menuOptions = computed<MenuOption[]>(() =>
    pageIds.map((id) => ({ key: id, label: () => h('span', { 'data-testid': `nav-${id}` }, t(`nav.${id}`)) })),
  );

  function select(key: string | number): void {
    if (isPageId(key)) store.navigate(key);
  }

  return { current, menuOptions, select };
}
