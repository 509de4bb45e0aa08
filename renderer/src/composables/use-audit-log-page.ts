import { onBeforeUnmount, onMounted } from 'vue';
import { useI18n } from 'vue-i18n';
import { useAuditLogStore } from '../stores/audit-log.ts';
import { useAppStatusStore } from '../stores/app-status.ts';
import { notifyFailure, notifySuccess } from '../notifications.ts';

/**
 * The Audit Log page's lifecycle and user actions: reads the trail and follows it live while
 * the page is shown (the subscription is cancelled when it is left), and reports export
 * results as notifications.
 */
export function useAuditLogPage() {
  const store = useAuditLogStore();
  const status = useAppStatusStore();
  const { t } = useI18n();

  onMounted(() => void store.open());
  onBeforeUnmount(() => store.close());

  async function exportTrail(): Promise<void> {
    const fileName = await store.exportTrail();
    if (fileName) notifySuccess(t('audit.exported', { fileName }));
    else if (store.exportFailure) notifyFailure(store.exportFailure, t('audit.exportFailed'));
  }

  async function loadMore(): Promise<void> {
    await store.loadMore();
    if (store.loadMoreFailure) notifyFailure(store.loadMoreFailure, t('audit.loadFailed'));
  }

  /** Verifies the chain; the status bar re-reads the trail's state, so a finding turns it red. */
  async function verify(): Promise<void> {
    await store.verify();
    await status.connect();
  }

  /** Records the acknowledgement, re-reads the rows and the status bar (green again once accepted). */
  async function acknowledge(reason: string): Promise<void> {
    if (await store.acknowledge(reason)) await store.reload();
    await status.connect();
  }

  return { store, exportTrail, loadMore, verify, acknowledge };
}
