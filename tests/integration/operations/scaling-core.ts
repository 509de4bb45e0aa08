import { startTabsCore, type TabsCore } from './tabs-support.ts';

/** The composition root over a fresh data folder whose organisation policy allows management everywhere (unless given another). */
export function startScalingTestCore(policyYaml = 'version: 1\ndefault: [logs, commands, management]\n'): Promise<TabsCore> {
  return startTabsCore({ organisationPolicy: policyYaml });
}
