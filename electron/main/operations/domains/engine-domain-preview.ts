import type Docker from 'dockerode';
import { isAppError } from '../../../../shared/errors.ts';
import type { ChangePreview } from '../changes/change-preview.ts';
import { diffObjects, diffSummary, type ChangeLine } from '../changes/object-diff.ts';
import { recreatePlan } from '../changes/recreate-plan.ts';
import { containerName } from '../containers/engine.ts';
import type { EngineTarget } from '../handlers/service-targets.ts';
import { caddyRouteJson, type CaddyAdmin, type CaddyRoute } from './caddy-admin.ts';
import { ownedCaddyRoute, pathOf, planCaddyRoute, upstreamsOf } from './caddy-domains.ts';
import { labelsOf, type LabelPlan } from './traefik-domains.ts';

export type EngineDomainChange = { readonly action: 'add'; readonly host: string; readonly path: string; readonly port: number; readonly tls: boolean } | { readonly action: 'remove'; readonly host: string; readonly path: string };

const whereOf = (host: string, path: string): string => `${host}${path === '/' ? '' : path}`;

/** The service's Caddy routes keyed by host + path, as Caddy holds their JSON. */
function serviceRoutes(routes: readonly CaddyRoute[], infos: readonly Docker.ContainerInspectInfo[]): Record<string, unknown> {
  const dials = new Set(upstreamsOf(infos).map((upstream) => upstream.dial));
  return Object.fromEntries(routes.filter((route) => route.upstreams.some((dial) => dials.has(dial))).flatMap((route) => route.hosts.map((host) => [whereOf(host, pathOf(route)), route.json])));
}

/** A preview's refusals (AppErrors) become its errors, as the Kubernetes previews do. */
async function refusalsAsErrors(target: string, method: ChangePreview['method'], run: () => Promise<ChangePreview>): Promise<ChangePreview> {
  try {
    return await run();
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { target, method, lines: [], summary: 'refused', errors: [error.message], errorTexts: [error.text ?? null], plans: [] };
  }
}

/**
 * Caddy: the service's routes before and after, as route JSON (the route KIOPS would add with
 * its "@id", or the one it would remove). Nothing is sent to Caddy but reads.
 */
export function caddyPreview(admin: CaddyAdmin, target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], change: EngineDomainChange): Promise<ChangePreview> {
  const label = `caddy/${whereOf(change.host, change.path)}`;
  return refusalsAsErrors(label, 'server-dry-run', async () => {
    const before = serviceRoutes(await admin.routes(), infos);
    let after: Record<string, unknown>;
    if (change.action === 'add') {
      const { upstream } = await planCaddyRoute(admin, target, infos, change);
      after = { ...before, [whereOf(change.host, change.path)]: caddyRouteJson({ host: change.host, path: change.path, upstream }) };
    } else {
      const route = await ownedCaddyRoute(admin, target, infos, change);
      const gone = new Set(route.hosts.map((host) => whereOf(host, pathOf(route))));
      after = Object.fromEntries(Object.entries(before).filter(([where]) => !gone.has(where)));
    }
    const lines = diffObjects({ routes: before }, { routes: after });
    return { target: label, method: 'server-dry-run', lines, summary: diffSummary(lines), errors: [], plans: [] };
  });
}

/**
 * Traefik: the label changes per container, and the recreate plan of each container that gets
 * them (labels are fixed at creation, so the change recreates it through the redeploy path).
 */
export function traefikPreview(docker: Docker, kind: string, change: EngineDomainChange, plan: () => Promise<LabelPlan>): Promise<ChangePreview> {
  const label = `${kind}/traefik/${whereOf(change.host, change.path)}`;
  return refusalsAsErrors(label, 'recreate-plan', async () => {
    const { infos, change: relabel } = await plan();
    const each = await Promise.all(
      infos.map(async (info) => {
        const name = containerName(info.Name);
        const labels = relabel(labelsOf(info));
        const recreate = await recreatePlan(docker, { ...info, Config: { ...info.Config, Labels: labels } }, info.Config.Image);
        const labelLines: ChangeLine[] = diffObjects({ labels: labelsOf(info) }, { labels }).map((line) => ({ ...line, path: `${name}: ${line.path}` }));
        return { plan: recreate.plan, lines: [...labelLines, ...recreate.lines.filter((line) => !line.path.startsWith(`${name}: labels.`))] };
      }),
    );
    const lines = each.flatMap((entry) => entry.lines);
    return { target: label, method: 'recreate-plan', lines, summary: diffSummary(lines), errors: [], plans: each.map((entry) => entry.plan) };
  });
}
