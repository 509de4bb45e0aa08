import { z } from 'zod';

// Kubernetes and engine names, validated the way their owners validate them, and the service
// id parsed into such names. An id the app gave out always parses; a crafted one
// (`env:deployment:../..`, `env:deployment:shop`) is refused here, before any handler could
// widen it into a cluster-wide request.

const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123SubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035LabelPattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const containerNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$/;
const composeProjectPattern = /^[a-z0-9][a-z0-9_-]{0,254}$/;
const recordIdPattern = /^[A-Za-z0-9_-]{1,100}$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Namespaces, container names in a pod, label-like names: RFC 1123 label, at most 63. */
export const isDns1123Label = (name: string): boolean => name.length <= 63 && dns1123LabelPattern.test(name);
/** Deployments, Pods, ConfigMaps, Secrets, Ingresses, HPAs: RFC 1123 subdomain, at most 253. */
export const isDns1123Subdomain = (name: string): boolean => name.length <= 253 && dns1123SubdomainPattern.test(name);
/** Services: RFC 1035 label (starts with a letter), at most 63. */
export const isDns1035Label = (name: string): boolean => name.length <= 63 && dns1035LabelPattern.test(name);
/** Docker and Podman container names. */
export const isContainerName = (name: string): boolean => containerNamePattern.test(name);
/** Compose project names (docker compose lowercases them). */
export const isComposeProject = (name: string): boolean => composeProjectPattern.test(name);

export const namespaceNameSchema = z.string().refine(isDns1123Label, 'must be a Kubernetes namespace name (lowercase letters, digits and "-", at most 63)');
export const kubeObjectNameSchema = z.string().refine(isDns1123Subdomain, 'must be a lowercase Kubernetes name (RFC 1123 subdomain)');
export const serviceObjectNameSchema = z.string().refine(isDns1035Label, 'must be a Kubernetes Service name (RFC 1035 label)');
export const containerNameSchema = z.string().refine(isContainerName, 'must be a container name');
export const composeProjectSchema = z.string().refine(isComposeProject, 'must be a Compose project name');

export type ParsedServiceId =
  | { readonly environmentId: string; readonly kind: 'deployment'; readonly namespace: string; readonly deployment: string }
  | { readonly environmentId: string; readonly kind: 'compose'; readonly project: string }
  | { readonly environmentId: string; readonly kind: 'container'; readonly containerName: string }
  | { readonly environmentId: string; readonly kind: 'manual'; readonly uuid: string };

/**
 * `<environmentId>:<kind>:<key>` into its validated parts, or a reason. Keys: deployment
 * `namespace/name`, compose project, container name, manual UUID.
 */
export function parseServiceIdText(id: string): { ok: true; value: ParsedServiceId } | { ok: false; reason: string } {
  const first = id.indexOf(':');
  const second = id.indexOf(':', first + 1);
  if (first <= 0 || second < 0) return { ok: false, reason: 'is not of the form environment:kind:name' };
  const environmentId = id.slice(0, first);
  const kind = id.slice(first + 1, second);
  const key = id.slice(second + 1);
  if (!recordIdPattern.test(environmentId)) return { ok: false, reason: 'does not start with an environment id the app gave out' };
  switch (kind) {
    case 'deployment': {
      const parts = key.split('/');
      const [namespace = '', deployment = ''] = parts;
      if (parts.length !== 2 || !isDns1123Label(namespace) || !isDns1123Subdomain(deployment)) {
        return { ok: false, reason: 'does not name a Deployment as namespace/name with valid Kubernetes names' };
      }
      return { ok: true, value: { environmentId, kind, namespace, deployment } };
    }
    case 'compose':
      return isComposeProject(key) ? { ok: true, value: { environmentId, kind, project: key } } : { ok: false, reason: 'does not name a valid Compose project' };
    case 'container':
      return isContainerName(key) ? { ok: true, value: { environmentId, kind, containerName: key } } : { ok: false, reason: 'does not name a valid container' };
    case 'manual':
      return uuidPattern.test(key) ? { ok: true, value: { environmentId, kind, uuid: key } } : { ok: false, reason: 'does not name a registered service' };
    default:
      return { ok: false, reason: `has an unknown kind "${kind.slice(0, 20)}"` };
  }
}

/** A service id as a request carries it: parsed and validated at the boundary. */
export const serviceIdSchema = z
  .string()
  .min(3)
  .max(600)
  .superRefine((id, context) => {
    const parsed = parseServiceIdText(id);
    if (!parsed.ok) context.addIssue({ code: 'custom', message: `is not a service id the app gave out: it ${parsed.reason}` });
  });
