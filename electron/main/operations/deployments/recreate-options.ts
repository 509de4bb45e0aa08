import type Docker from 'dockerode';

// How a container is recreated from its inspect result, the way `docker compose up` and
// watchtower do it. Settings the old image supplied (its Env, Labels, Cmd, Entrypoint…) are
// left out so the new image's own values apply: copying them would pin the old release's
// label or PATH onto the new container.

type ImageConfig = Partial<Pick<Docker.ContainerCreateOptions, 'Env' | 'Labels' | 'Cmd' | 'Entrypoint' | 'WorkingDir' | 'User' | 'ExposedPorts' | 'Volumes' | 'StopSignal' | 'Healthcheck'>>;

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function withoutInherited<T extends Record<string, unknown>>(own: T | undefined, inherited: T | undefined): T | undefined {
  if (!own) return undefined;
  const kept = Object.fromEntries(Object.entries(own).filter(([key, value]) => !(inherited && Object.hasOwn(inherited, key) && sameJson(inherited[key], value))));
  return kept as T;
}

function envWithoutInherited(own: readonly string[] | undefined, inherited: readonly string[] | undefined): string[] | undefined {
  if (!own) return undefined;
  const fromImage = new Set(inherited ?? []);
  return own.filter((entry) => !fromImage.has(entry));
}

/** A field the container took unchanged from its image is omitted; one the user set is kept. */
function own<T>(value: T | undefined, inherited: T | undefined): T | undefined {
  return value === undefined || sameJson(value, inherited) ? undefined : value;
}

/**
 * HostConfig as inspect gave it, except what an engine reports in another spelling than it
 * accepts: Podman's compat API inspects ulimits as `RLIMIT_NOFILE` and only creates with `nofile`.
 */
function hostConfigForCreate(hostConfig: Docker.HostConfig): Docker.HostConfig {
  if (!hostConfig.Ulimits) return hostConfig;
  return { ...hostConfig, Ulimits: hostConfig.Ulimits.map((limit) => ({ ...limit, Name: (limit.Name ?? '').replace(/^RLIMIT_/, '').toLowerCase() })) };
}

// Networks whose name is the network mode itself, not a user-defined network to re-attach.
const builtInNetworkModes = new Set(['none', 'host', 'default', 'bridge', 'private', 'slirp4netns', 'pasta']);

/**
 * Create options for the replacement: same name, labels, env, mounts, ports, restart policy,
 * network mode and the rest of HostConfig; `image` instead of the old one. Returns the extra
 * networks to connect after create (the Docker API before 1.44 takes one endpoint at create).
 */
export function recreateOptions(info: Docker.ContainerInspectInfo, oldImage: ImageConfig, image: string, name: string): { create: Docker.ContainerCreateOptions; extraNetworks: { name: string; config: Docker.EndpointSettings }[] } {
  const config = info.Config;
  const drop = <T>(value: T | undefined) => (value === undefined ? {} : value);
  const networks = Object.entries(info.NetworkSettings?.Networks ?? {}).filter(([network]) => !builtInNetworkModes.has(network));
  const endpoint = (settings: Docker.EndpointSettings): Docker.EndpointSettings => ({
    ...(settings.IPAMConfig ? { IPAMConfig: settings.IPAMConfig } : {}),
    ...(settings.Links ? { Links: settings.Links } : {}),
    // The old container's short id is an automatic alias; the new one gets its own.
    Aliases: (settings.Aliases ?? []).filter((alias) => !info.Id.startsWith(alias)),
  });
  const [first, ...rest] = networks;
  const optional = {
    Env: envWithoutInherited(config.Env, oldImage.Env),
    Labels: withoutInherited(config.Labels, oldImage.Labels),
    Cmd: own(config.Cmd, oldImage.Cmd),
    Entrypoint: own(config.Entrypoint, oldImage.Entrypoint),
    WorkingDir: own(config.WorkingDir, oldImage.WorkingDir) || undefined,
    User: own(config.User, oldImage.User) || undefined,
    ExposedPorts: withoutInherited(config.ExposedPorts, oldImage.ExposedPorts),
    Volumes: withoutInherited(config.Volumes ?? undefined, oldImage.Volumes),
    // Missing from the type, present in inspect results of both engines.
    StopSignal: own((config as { StopSignal?: string }).StopSignal, oldImage.StopSignal),
    Healthcheck: own(config.Healthcheck, oldImage.Healthcheck),
    Domainname: config.Domainname || undefined,
  };
  const create: Docker.ContainerCreateOptions = {
    name,
    Image: image,
    Tty: config.Tty,
    OpenStdin: config.OpenStdin,
    StdinOnce: config.StdinOnce,
    AttachStdin: config.AttachStdin,
    AttachStdout: config.AttachStdout,
    AttachStderr: config.AttachStderr,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    HostConfig: hostConfigForCreate(info.HostConfig),
    ...(first ? { NetworkingConfig: { EndpointsConfig: { [first[0]]: endpoint(drop(first[1])) } } } : {}),
  };
  return { create, extraNetworks: rest.map(([network, settings]) => ({ name: network, config: endpoint(settings) })) };
}
