import type Docker from 'dockerode';
import { containerName } from '../containers/engine.ts';
import { recreateOptions } from '../deployments/recreate-options.ts';
import type { ChangePreview, RecreatePlan } from './change-preview.ts';
import { diffObjects, diffSummary, type ChangeLine } from './object-diff.ts';

type ImageConfig = NonNullable<Docker.ImageInspectInfo['Config']>;

/** What an operator sees of a container before and after: image, labels, env names, ports, mounts. */
function shape(image: string, imageId: string, labels: Record<string, string> | undefined, env: readonly string[] | undefined, exposed: object | undefined, host: Docker.HostConfig | undefined, volumes: object | undefined) {
  return {
    image,
    imageId,
    labels: labels ?? {},
    // Env values may be credentials: the diff names the variable, never its value.
    env: Object.fromEntries((env ?? []).map((entry) => [entry.split('=')[0] ?? entry, entry.slice(entry.indexOf('=') + 1)])),
    exposedPorts: Object.keys(exposed ?? {}).sort(),
    ports: host?.PortBindings ?? {},
    binds: host?.Binds ?? [],
    volumes: Object.keys(volumes ?? {}).sort(),
    restartPolicy: host?.RestartPolicy?.Name ?? '',
    networkMode: host?.NetworkMode ?? '',
  };
}

const hideEnvValues = (line: ChangeLine): ChangeLine => (line.path.startsWith('env.') ? { ...line, before: null, after: null } : line);

/**
 * The recreate plan of a redeploy, an image update or a rollback, computed as the recreate itself
 * computes it (recreateOptions), without touching the container: the old and new image ids, the
 * settings carried over, and what changes in labels, env, ports and volumes because the new image
 * brings its own defaults.
 */
export async function recreatePlan(docker: Docker, info: Docker.ContainerInspectInfo, image: string): Promise<{ plan: RecreatePlan; lines: ChangeLine[] }> {
  const name = containerName(info.Name);
  const inspectConfig = (reference: string) =>
    docker
      .getImage(reference)
      .inspect()
      .then((inspected) => ({ id: inspected.Id, config: inspected.Config as ImageConfig | undefined }))
      .catch(() => null);
  const [oldImage, newImage] = await Promise.all([inspectConfig(info.Image), inspectConfig(image)]);
  const { create, extraNetworks } = recreateOptions(info, oldImage?.config ?? {}, image, name);
  const fromImage = info.Config.Image;
  const before = shape(fromImage, info.Image, info.Config.Labels, info.Config.Env, info.Config.ExposedPorts, info.HostConfig, info.Config.Volumes ?? undefined);
  const newConfig = newImage?.config;
  const envNames = new Set((create.Env ?? []).map((entry) => entry.split('=')[0]));
  const after = shape(
    image,
    newImage?.id ?? '(pulled when applied)',
    { ...(newConfig?.Labels ?? {}), ...(create.Labels ?? {}) },
    [...(newConfig?.Env ?? []).filter((entry) => !envNames.has(entry.split('=')[0])), ...(create.Env ?? [])],
    { ...(newConfig?.ExposedPorts ?? {}), ...(create.ExposedPorts ?? {}) },
    create.HostConfig,
    { ...(newConfig?.Volumes ?? {}), ...(create.Volumes ?? {}) },
  );
  const carriedOver = [
    ...Object.keys(create).filter((key) => !['name', 'Image', 'HostConfig', 'NetworkingConfig'].includes(key) && create[key as keyof typeof create] !== undefined),
    ...Object.entries(create.HostConfig ?? {}).filter(([, value]) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)).map(([key]) => `HostConfig.${key}`),
    ...extraNetworks.map((network) => `network ${network.name}`),
  ];
  const plan: RecreatePlan = { container: name, imageFrom: fromImage, imageIdFrom: info.Image, imageTo: image, imageIdTo: newImage?.id ?? null, carriedOver };
  return { plan, lines: diffObjects(before, after).map(hideEnvValues).map((line) => ({ ...line, path: `${name}: ${line.path}` })) };
}

/** The plan of every container the change recreates together (a Compose service's containers). */
export async function recreatePreview(docker: Docker, target: string, infos: readonly Docker.ContainerInspectInfo[], imageFor: (info: Docker.ContainerInspectInfo) => string): Promise<ChangePreview> {
  const plans = await Promise.all(infos.map((info) => recreatePlan(docker, info, imageFor(info))));
  const lines = plans.flatMap((entry) => entry.lines);
  return { target, method: 'recreate-plan', lines, summary: diffSummary(lines), errors: [], plans: plans.map((entry) => entry.plan) };
}
