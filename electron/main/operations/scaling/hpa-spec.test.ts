import { describe, expect, it } from 'vitest';
import { hpaState, newHpa, targetsDeployment, updatedHpa } from './hpa-spec.ts';

const ref = { namespace: 'shop', deployment: 'web' };
const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } };

describe('the HPA KIOPS writes and reads', () => {
  it('creates what `kubectl autoscale deployment/web --min=1 --max=10 --cpu-percent=80` creates', () => {
    expect(newHpa(ref, { minReplicas: 1, maxReplicas: 10, targetCpu: 80 })).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    });
  });

  it('updates the CPU target and keeps a memory metric applied by YAML, which it reports but does not edit', () => {
    const existing = { ...newHpa(ref, { minReplicas: 1, maxReplicas: 10, targetCpu: 80 }), metadata: { name: 'web', namespace: 'shop', resourceVersion: '7' } };
    existing.spec.metrics = [...(existing.spec.metrics ?? []), memory];
    const updated = updatedHpa(existing, { minReplicas: 2, maxReplicas: 5, targetCpu: 60 });
    expect(updated.metadata?.resourceVersion).toBe('7');
    expect(updated.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
    expect(updated.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }, memory]);
    expect(hpaState(updated)).toMatchObject({ targetCpu: 60, otherMetrics: ['Resource memory'], currentCpu: null, conditions: [] });
  });

  it('only counts HPAs whose target is this Deployment', () => {
    expect(targetsDeployment(newHpa(ref, { minReplicas: 1, maxReplicas: 2, targetCpu: 50 }), ref)).toBe(true);
    expect(targetsDeployment(newHpa({ namespace: 'shop', deployment: 'api' }, { minReplicas: 1, maxReplicas: 2, targetCpu: 50 }), ref)).toBe(false);
    expect(targetsDeployment({ spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'web', apiVersion: 'apps/v1' }, maxReplicas: 3 } }, ref)).toBe(false);
  });
});
