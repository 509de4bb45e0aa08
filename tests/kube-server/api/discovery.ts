// Discovery documents: the legacy ones (/api, /apis, /apis/{group}/{version}) and the
// aggregated apidiscovery.k8s.io/v2 form kubectl 1.32 asks for first.

import { RESOURCE_TYPES, apiVersionOf, servedGroups, typesIn, type ResourceType } from './resources.ts';

export type OptionalEnabled = (flag: 'metrics') => boolean;

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(group: string, versions: string[]): unknown {
  const list = versions.map((version) => ({ groupVersion: apiVersionOf(group, version), version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(enabled: OptionalEnabled): unknown {
  const groups = servedGroups(enabled).filter((entry) => entry.group !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((entry) => groupEntry(entry.group, entry.versions)) };
}

export function apiGroup(group: string, enabled: OptionalEnabled): unknown | undefined {
  const entry = servedGroups(enabled).find((candidate) => candidate.group === group && group !== '');
  return entry ? { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(entry.group, entry.versions) as object) } : undefined;
}

function singular(type: ResourceType): string {
  return type.singular;
}

export function apiResourceList(group: string, version: string, enabled: OptionalEnabled): unknown | undefined {
  const types = typesIn(group, version, enabled);
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const type of types) {
    resources.push({
      name: type.plural,
      singularName: singular(type),
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs,
      ...(type.shortNames ? { shortNames: type.shortNames } : {}),
      ...(type.categories ? { categories: type.categories } : {}),
    });
    for (const sub of type.subresources) {
      resources.push({
        name: `${type.plural}/${sub.name}`,
        singularName: '',
        namespaced: type.namespaced,
        ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind || type.kind,
        verbs: sub.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}

function aggregatedResource(type: ResourceType, version: string): unknown {
  return {
    resource: type.plural,
    responseKind: { group: type.group, version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs,
    ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    ...(type.categories ? { categories: type.categories } : {}),
    ...(type.subresources.length > 0
      ? {
          subresources: type.subresources.map((sub) => ({
            subresource: sub.name,
            responseKind: { group: sub.group ?? type.group, version: sub.version ?? version, kind: sub.kind || type.kind },
            verbs: sub.verbs,
          })),
        }
      : {}),
  };
}

/** apidiscovery.k8s.io APIGroupDiscoveryList for /api (legacy) or /apis (named groups). */
export function aggregatedDiscovery(legacy: boolean, apiVersion: string, enabled: OptionalEnabled): unknown {
  const groups = servedGroups(enabled).filter((entry) => (entry.group === '') === legacy);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion,
    metadata: {},
    items: groups.map((entry) => ({
      metadata: legacy ? { creationTimestamp: null } : { name: entry.group, creationTimestamp: null },
      versions: entry.versions.map((version) => ({
        version,
        resources: RESOURCE_TYPES.filter((type) => type.group === entry.group && type.versions.includes(version) && (!type.optional || enabled(type.optional))).map((type) =>
          aggregatedResource(type, version),
        ),
        freshness: 'Current',
      })),
    })),
  };
}

/** Which aggregated discovery version the Accept header asks for, if any. */
export function aggregatedVersionRequested(accept: string): string | undefined {
  for (const part of accept.split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList') || !part.includes('g=apidiscovery.k8s.io')) continue;
    if (/v=v2(;|$)/.test(part.replace(/\s/g, ''))) return 'v2';
    if (part.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}
