import { defineStore } from 'pinia';
import { ref } from 'vue';
import { defaultPage, type PageId } from '../shell/pages.ts';

/**
 * Which page is shown. In memory on purpose: the URL fragment carries browser mode's access
 * token at boot, so the fragment is not used for routing.
 */
export const useNavigationStore = defineStore('navigation', () => {
  const current = ref<PageId>(defaultPage);
  /** Counts every navigation, also to the page already shown: choosing a page again refreshes it. */
  const visits = ref(0);

  function navigate(page: PageId): void {
    current.value = page;
    visits.value++;
  }

  return { current, visits, navigate };
});
