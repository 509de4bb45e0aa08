import type { CallHandlers, StreamHandlers } from '../../ipc/router.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { PendingAnalyzer } from '../kubernetes/pending-analysis.ts';
import { PodActions } from '../kubernetes/pod-actions.ts';
import { untilAborted } from './abort.ts';
import { deleteConfirmedPendingPods } from './pending-pods-deletion.ts';
import type { PodWatchHub } from './pod-watch-hub.ts';
import type { KubernetesTarget, ServiceTargets } from './service-targets.ts';

type PodCalls = Pick<CallHandlers, 'pods.retryWatch' | 'pods.restart' | 'pods.forceDelete' | 'pods.deletePending' | 'pods.analyzePending'>;

/** The Pod List tab. Mutations go through PodActions (management permission, then audited). */
export function podHandlers(targets: ServiceTargets, hub: PodWatchHub, trail: Pick<AuditTrail, 'audited'>): { calls: PodCalls; streams: Pick<StreamHandlers, 'pods.watch'> } {
  const actions = (target: KubernetesTarget) => new PodActions({ access: target.access, service: target.ref, audit: trail, permissions: target.gate });
  return {
    streams: {
      'pods.watch': async ({ serviceId }, { emit, signal }) => {
        const unsubscribe = await hub.subscribe(serviceId, {
          onChanges: (changes) => emit({ kind: 'changes', reset: changes.reset, upserted: changes.upserted.map((row) => ({ ...row, containers: [...row.containers] })), removed: [...changes.removed] }),
          onState: (state) => emit({ kind: 'state', state }),
        });
        try {
          await untilAborted(signal);
        } finally {
          unsubscribe();
        }
      },
    },
    calls: {
      'pods.retryWatch': async ({ serviceId }) => ({ retried: await hub.retryNow(serviceId) }),
      'pods.restart': async ({ serviceId, pod }) => actions(await targets.kubernetes(serviceId)).restartPod(pod),
      'pods.forceDelete': async ({ serviceId, pod }) => actions(await targets.kubernetes(serviceId)).forceDeletePod(pod),
      'pods.deletePending': async ({ serviceId, expectedPods }) => {
        const result = await deleteConfirmedPendingPods(await targets.kubernetes(serviceId), expectedPods, trail);
        return { deleted: [...result.deleted], skipped: [...result.skipped], failed: [...result.failed] };
      },
      'pods.analyzePending': async ({ serviceId, pod }) => {
        const { access, ref } = await targets.kubernetes(serviceId);
        const analysis = await new PendingAnalyzer(access.kubeConfig, ref).analyze(pod);
        return {
          ...analysis,
          findings: analysis.findings.map((finding) => ({ ...finding, evidence: [...finding.evidence] })),
          events: [...analysis.events],
          limitations: [...analysis.limitations],
          limitationTexts: [...analysis.limitationTexts],
        };
      },
    },
  };
}
