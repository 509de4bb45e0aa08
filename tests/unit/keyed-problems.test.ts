import { describe, expect, it } from 'vitest';
import { catalogEnvironmentSchema } from '../../shared/contract/catalog.ts';
import { AppError } from '../../shared/errors.ts';
import { EnvironmentDiscovery, withDeadline } from '../../electron/main/catalog/environment-discovery.ts';
import { ServiceCatalog, type ServiceCatalogPorts } from '../../electron/main/catalog/service-catalog.ts';
import { DockerContextReader } from '../../electron/main/environments/docker-contexts.ts';
import type { EnvironmentRecord } from '../../electron/main/environments/environment-repository.ts';
import { LocalEngineDetection } from '../../electron/main/environments/local-engine-detection.ts';
import { hangul, translator } from '../../renderer/src/i18n/main-error-test-support.ts';
import { mainErrorText } from '../../renderer/src/i18n/main-error-text.ts';

/**
 * An environment the catalogue cannot read is a state with main's error; its key and parameters
 * travel with it, so the Services page's banner is Korean in a Korean window.
 */
function catalogWith(name: string, failure: () => Promise<never>): ServiceCatalog {
  const env = { id: 'env-1', name, kind: 'docker', production: false, target: { kind: 'engine', socketPath: '/run/docker.sock' } } as unknown as EnvironmentRecord;
  const ports = {
    environments: { list: () => [env] },
    settings: { manualServices: () => [], favourites: () => new Set<string>(), namespaces: () => null, lastKnown: () => null },
    discovery: { snapshot: failure } as unknown as EnvironmentDiscovery,
    trail: {},
  } as unknown as ServiceCatalogPorts;
  return new ServiceCatalog(ports);
}

describe.each(['prod east', '운영 도커', 'web-ä'])('the catalogue state of an unreachable environment "%s"', (name) => {
  it.each([
    ['containers', () => Promise.reject(new AppError('UNREACHABLE', `Cannot list the containers of "${name}": connect ECONNREFUSED`, undefined, { key: 'environments.catalog.containersUnreachable', params: { name, detail: 'connect ECONNREFUSED' } }))],
    ['deadline', () => withDeadline(new Promise<never>(() => undefined), 1, `"${name}" did not answer within 0 s.`, undefined, { key: 'environments.catalog.noAnswerWithin', params: { name, seconds: 0 } })],
  ] as const)('%s: the key survives the contract and renders Korean with the name', async (_case, failure) => {
    const listing = await catalogWith(name, failure).list();
    // through the contract's schema, as the window receives it
    const error = catalogEnvironmentSchema.parse(JSON.parse(JSON.stringify(listing.environments[0]))).error;
    if (error?.messageKey === undefined) throw new Error(`no key on ${JSON.stringify(error)}`);
    expect(error.messageKey).toMatch(/^environments\.catalog\./);
    const korean = mainErrorText({ message: error.message, text: { key: error.messageKey, params: error.params ?? {} } }, translator('ko'));
    expect(korean).toMatch(hangul);
    expect(korean).toContain(name);
    expect(mainErrorText({ message: error.message, text: { key: error.messageKey, params: error.params ?? {} } }, translator('en'))).toBe(error.message);
  });
});

describe.each(['prod east', '운영 클러스터'])('the namespace picker of a cluster "%s" that cannot list its namespaces', (name) => {
  it('says why in the window\'s language', async () => {
    const env = { id: 'env-2', name, kind: 'kubernetes', production: false, target: { kind: 'kubernetes', context: { contextName: name } } } as unknown as EnvironmentRecord;
    const runtime = { kubernetes: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) } as unknown as ConstructorParameters<typeof EnvironmentDiscovery>[0];
    const ports = {
      environments: { get: () => env },
      settings: { namespaces: () => null },
      discovery: new EnvironmentDiscovery(runtime, 60_000),
      trail: {},
    } as unknown as ServiceCatalogPorts;
    const choices = await new ServiceCatalog(ports).namespaceChoices(env.id);
    expect(choices.problem).toContain('127.0.0.1:1');
    if (choices.problemText === undefined) throw new Error('no key for the problem');
    const korean = mainErrorText({ message: choices.problem ?? '', text: choices.problemText }, translator('ko'));
    expect(korean).toMatch(hangul);
    expect(korean).toContain('127.0.0.1:1');
    expect(mainErrorText({ message: choices.problem ?? '', text: choices.problemText }, translator('en'))).toBe(choices.problem);
  });
});

describe.each(['prod east', '운영 소켓'])('why a Docker context or engine socket "%s" cannot be used', (name) => {
  const render = (view: { problem?: string; problemText?: { key: string; params?: Readonly<Record<string, string | number>> } }, locale: 'en' | 'ko') =>
    mainErrorText({ message: view.problem ?? '', text: view.problemText }, translator(locale));

  it('the Docker context list and the socket candidates carry the reason as a key', async () => {
    const socketPath = `/nonexistent/${name}/docker.sock`;
    const host = { env: { DOCKER_HOST: `unix://${name}.sock`, DOCKER_CONFIG: `/nonexistent/${name}` }, homeDir: `/nonexistent/${name}` };
    const { contexts } = await new DockerContextReader(host).read();
    const broken = contexts.find((context) => context.name === 'default');
    expect(broken?.problemText?.key).toBe('environments.dockerContext.socketNotAbsolute');
    if (broken === undefined) return;
    expect(render(broken, 'ko')).toMatch(hangul);
    expect(render(broken, 'ko')).toContain(`unix://${name}.sock`);
    expect(render(broken, 'en')).toBe(broken.problem);
    const candidates = await new LocalEngineDetection({ env: { DOCKER_HOST: `unix://${socketPath}` }, homeDir: `/nonexistent/${name}` }).detect(new Set());
    const missing = candidates.find((candidate) => candidate.socketPath === socketPath);
    expect(missing?.problemText?.key).toBe('environments.engine.noSocket');
    if (missing === undefined) return;
    expect(render(missing, 'ko')).toMatch(hangul);
    expect(render(missing, 'ko')).toContain(socketPath);
    expect(render(missing, 'en')).toBe(missing.problem);
  });
});
