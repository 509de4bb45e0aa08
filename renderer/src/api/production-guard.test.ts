import { describe, expect, it } from 'vitest';
import type { KiopsClient } from '../../../shared/contract/client.ts';
import { usePendingConfirmation } from '../composables/use-production-confirm.ts';
import { askedAlready, guardProductionCalls, rememberService } from './production-guard.ts';

/** A client that records what reached main and answers every call with `{}`. */
function recordingClient(): { client: KiopsClient; sent: [string, unknown][] } {
  const sent: [string, unknown][] = [];
  const client = {
    call: async (name: string, input: unknown) => {
      sent.push([name, input]);
      return {};
    },
    subscribe: () => () => undefined,
  } as unknown as KiopsClient;
  return { client, sent };
}

// the guard asks synchronously, as the call starts: the pending confirmation is there at once
const pending = usePendingConfirmation();

describe('the API guard outside production', () => {
  rememberService('svc-staging', { name: 'web', production: false });
  rememberService('svc-prod', { name: 'shop', production: true });

  // generated variants: each mutating call on a service that has no pop-confirm of its own
  const calls = [
    ['scaling.setReplicas', { serviceId: 'svc-staging', replicas: 3 }],
    ['scaling.setHpa', { serviceId: 'svc-staging', minReplicas: 1, maxReplicas: 4, targetCpu: 60 }],
    ['scaling.resumeHpa', { serviceId: 'svc-staging' }],
    ['config.setKey', { serviceId: 'svc-staging', kind: 'configmap', name: 'settings', key: 'LOG_LEVEL', value: 'debug', resourceVersion: '7' }],
    ['config.create', { serviceId: 'svc-staging', kind: 'secret', name: 'db' }],
    ['domains.add', { serviceId: 'svc-staging', host: 'shop.example.com', path: '/', pathType: 'Prefix', servicePort: 80 }],
    ['engineDomains.add', { serviceId: 'svc-staging', host: 'shop.example.test', path: '/', port: 8080, tls: false }],
    ['pods.restart', { serviceId: 'svc-unknown', pod: 'web-1' }],
  ] as const;

  for (const [name, input] of calls) {
    it(`${name}: asks once; Cancel sends nothing, Confirm sends the call unchanged`, async () => {
      const { client, sent } = recordingClient();
      const guarded = guardProductionCalls(client);
      const cancelled = guarded.call(name, { ...input } as never);
      expect(pending.value).toMatchObject({ call: name, production: false });
      expect(pending.value?.target).toBe(input.serviceId === 'svc-staging' ? 'web' : undefined);
      expect(sent).toEqual([]);
      pending.value?.resolve(null);
      await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(sent).toEqual([]);

      const confirmed = guarded.call(name, { ...input } as never);
      pending.value?.resolve('');
      await confirmed;
      expect(sent).toEqual([[name, input]]);
      expect(pending.value).toBeUndefined();
    });
  }

  it('a button that asked already (askedAlready) is not asked again; production still asks for the name', async () => {
    const { client, sent } = recordingClient();
    const guarded = guardProductionCalls(client);
    await guarded.call('pods.restart', askedAlready({ serviceId: 'svc-staging', pod: 'web-1' }));
    expect(sent).toEqual([['pods.restart', { serviceId: 'svc-staging', pod: 'web-1' }]]);

    const production = guarded.call('pods.restart', askedAlready({ serviceId: 'svc-prod', pod: 'shop-1' }));
    expect(pending.value).toMatchObject({ production: true, confirmText: 'shop' });
    pending.value?.resolve('shop');
    await production;
    expect(sent.at(-1)).toEqual(['pods.restart', { serviceId: 'svc-prod', pod: 'shop-1', confirmation: 'shop' }]);
  });

  it('reads and calls that carry their own confirmation go straight through', async () => {
    const { client, sent } = recordingClient();
    const guarded = guardProductionCalls(client);
    await guarded.call('scaling.get', { serviceId: 'svc-staging' });
    await guarded.call('config.deleteKey', { serviceId: 'svc-staging', kind: 'configmap', name: 'settings', key: 'OLD', resourceVersion: '3', confirmation: 'web' });
    expect(sent.map(([name]) => name)).toEqual(['scaling.get', 'config.deleteKey']);
    expect(pending.value).toBeUndefined();
  });
});
