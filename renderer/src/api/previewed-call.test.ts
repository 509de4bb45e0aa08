import { describe, expect, it } from 'vitest';
import { previewedCall } from './previewed-call.ts';

const serviceId = 'env-1:deployment:default/web';

describe('previewedCall: a guarded call mapped to the preview of the same change', () => {
  it.each([
    ['deployment.setImage', { container: 'web', image: 'nginx:1.28' }],
    ['deployment.setImage', { container: 'api-2', image: `registry.example/a/b@sha256:${'c'.repeat(64)}` }],
    ['deployment.rollback', { toRevision: 3 }],
    ['deployment.rollback', {}],
    ['deployment.restart', {}],
    ['scaling.setReplicas', { replicas: 0 }],
    ['scaling.setReplicas', { replicas: 7 }],
    ['scaling.deleteHpa', {}],
    ['scaling.setHpa', { minReplicas: 2, maxReplicas: 5, targetCpu: 60 }],
    ['config.setKey', { kind: 'configmap', name: 'settings', key: 'LOG_LEVEL', value: 'debug', resourceVersion: '12' }],
    ['config.deleteKey', { kind: 'secret', name: 'db', key: 'PASSWORD', resourceVersion: '4' }],
    ['domains.remove', { host: 'shop.example.com', path: '/' }],
    ['containers.rollback', { historyId: 9 }],
    ['engineDomains.add', { host: 'shop.example.test', path: '/api', port: 8080, tls: false }],
    ['engineDomains.remove', { host: 'shop.example.test', path: '/' }],
  ] as const)('%s %j keeps the change and drops the service id and the confirmation', (name, change) => {
    expect(previewedCall(name, { serviceId, ...change, confirmation: 'web' })).toEqual({ serviceId, change: { action: name, ...change } });
  });

  it('fills the defaults the mutation would apply, and leaves out how a redeploy runs', () => {
    expect(previewedCall('domains.add', { serviceId, host: 'a.example.com', servicePort: 80 })?.change).toEqual({ action: 'domains.add', host: 'a.example.com', path: '/', pathType: 'Prefix', servicePort: 80 });
    expect(previewedCall('containers.redeploy', { serviceId, containerId: 'a'.repeat(64), image: 'nginx:1.28', stopTimeoutSeconds: 5, confirmation: undefined })?.change).toEqual({ action: 'containers.redeploy', containerId: 'a'.repeat(64), image: 'nginx:1.28' });
  });

  it.each([
    ['deployment.setImage', { serviceId, image: 'nginx:1.28' }],
    ['containers.restart', { serviceId, containerId: 'a'.repeat(64) }],
    ['config.create', { serviceId, kind: 'configmap', name: 'x' }],
    ['scaling.resumeHpa', { serviceId, replicas: 2 }],
    ['deployment.restart', { confirmation: 'web' }],
    ['deployment.restart', null],
  ])('%s %j has no preview', (name, input) => {
    expect(previewedCall(name, input)).toBeNull();
  });
});
