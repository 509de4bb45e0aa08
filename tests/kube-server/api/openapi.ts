// A minimal OpenAPI v3 index. kubectl apply/create -f first asks /openapi/v3 whether each
// kind's PATCH accepts `fieldValidation`; answering yes lets the server validate and lets
// kubectl compute strategic merge patches from its built-in types instead of schemas.

import { RESOURCE_TYPES, type ResourceType } from './resources.ts';

function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiRoot(enabled: (flag: 'metrics') => boolean): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const type of RESOURCE_TYPES) {
    if (type.optional && !enabled(type.optional)) continue;
    for (const version of type.versions) {
      const path = groupVersionPath(type.group, version);
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=kiops-test-${version}` };
    }
  }
  return { paths };
}

function resourcePath(type: ResourceType, version: string): string {
  const prefix = `/${groupVersionPath(type.group, version)}`;
  return type.namespaced ? `${prefix}/namespaces/{namespace}/${type.plural}/{name}` : `${prefix}/${type.plural}/{name}`;
}

export function openApiGroupVersion(path: string): unknown | undefined {
  const types = RESOURCE_TYPES.filter((type) => type.versions.some((version) => groupVersionPath(type.group, version) === path));
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const type of types) {
    const version = type.versions.find((candidate) => groupVersionPath(type.group, candidate) === path) ?? 'v1';
    paths[resourcePath(type, version)] = {
      patch: {
        operationId: `patch${type.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: type.group, version, kind: type.kind },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        requestBody: { content: { 'application/json-patch+json': {}, 'application/merge-patch+json': {}, 'application/strategic-merge-patch+json': {} } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas: {} } };
}
