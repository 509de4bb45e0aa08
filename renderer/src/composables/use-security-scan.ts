import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { SecurityFinding, SecurityProfile, SecurityReport, SecurityScanSummary } from '../../../shared/contract/security.ts';
import type { ServiceRow } from '../../../shared/contract/catalog.ts';
import { api } from '../api/client.ts';
import { downloadText } from '../shell/download.ts';
import { toFailure, windowTranslator, type Failure } from '../shell/failure.ts';
import { reportMarkdown, sortFindings } from '../components/security/report-markdown.ts';

/**
 * The Security Analysis page: the scan form, one running scan (cancelling the subscription
 * stops it in main), the findings as they arrive, the history and the report shown.
 */
export function useSecurityScan() {
  const targetUrl = ref('');
  const serviceId = ref<string | null>(null);
  const profile = ref<SecurityProfile>('standard');
  const maxRequests = ref(100);
  const authorised = ref(false);
  const running = ref(false);
  const progress = shallowRef<{ done: number; total: number; current: string }>();
  const findings = shallowRef<SecurityFinding[]>([]);
  const summary = shallowRef<SecurityScanSummary>();
  const failure = shallowRef<Failure>();
  const history = shallowRef<SecurityScanSummary[]>([]);
  const services = shallowRef<ServiceRow[]>([]);
  let cancel: (() => void) | null = null;

  const canRun = computed(() => !running.value && authorised.value && /^https?:\/\/\S+$/i.test(targetUrl.value.trim()));
  const report = computed<SecurityReport | undefined>(() => (summary.value ? { ...summary.value, findings: findings.value } : undefined));

  async function loadHistory(): Promise<void> {
    try {
      history.value = await api.call('security.history', {});
    } catch (error) {
      failure.value = toFailure(error);
    }
  }

  async function loadServices(): Promise<void> {
    try {
      services.value = (await api.call('catalog.list', {})).services;
    } catch {
      services.value = []; // the tag is optional: a catalog problem must not block a scan
    }
  }

  function run(): void {
    if (!canRun.value) return;
    running.value = true;
    findings.value = [];
    summary.value = undefined;
    failure.value = undefined;
    progress.value = undefined;
    const input = { targetUrl: targetUrl.value.trim(), profile: profile.value, maxRequests: maxRequests.value, confirmation: true as const, ...(serviceId.value ? { serviceId: serviceId.value } : {}) };
    cancel = api.subscribe('security.scan', input, {
      event: (event) => {
        if (event.kind === 'progress') progress.value = event;
        else if (event.kind === 'finding') findings.value = sortFindings([...findings.value, event.finding]);
        else summary.value = event.summary;
      },
      end: (end) => {
        if (end.reason === 'error') failure.value = { code: end.error.code, message: end.error.message };
        running.value = false;
        cancel = null;
        void loadHistory();
      },
    });
  }

  function stop(): void {
    cancel?.();
  }

  async function open(scanId: string): Promise<void> {
    try {
      const loaded = await api.call('security.report', { scanId });
      const { findings: found, ...rest } = loaded;
      summary.value = rest;
      findings.value = sortFindings(found);
    } catch (error) {
      failure.value = toFailure(error);
    }
  }

  function exportReport(format: 'json' | 'markdown'): void {
    const current = report.value;
    if (!current) return;
    const name = `dast-${new URL(current.targetUrl).host.replace(/[^\w.-]/g, '_')}-${current.startedAt.slice(0, 19).replace(/:/g, '')}`;
    if (format === 'json') downloadText(`${name}.json`, JSON.stringify(current, null, 2), 'application/json');
    else downloadText(`${name}.md`, reportMarkdown(current, windowTranslator()), 'text/markdown');
  }

  void loadHistory();
  void loadServices();
  onScopeDispose(() => cancel?.());

  return { targetUrl, serviceId, profile, maxRequests, authorised, running, progress, findings, summary, failure, history, services, canRun, run, stop, open, exportReport };
}
