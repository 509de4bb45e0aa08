import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../../shared/errors.ts';
import { mainErrorText, renderedParams } from './main-error-text.ts';
import { hangul, isPhraseParam, received, translator } from './main-error-test-support.ts';

type Params = Record<string, string | number>;

/** One of main's operations errors, built the way main builds it: code, English text, key and parameters. */
interface Sample {
  readonly code: ErrorCode;
  readonly key: string;
  readonly params: Params;
  readonly message: string;
  /** The English key says the same as main's text (false where main writes "container(s)"). */
  readonly mirrors?: false;
}

// Names as operators write them: spaces, Hangul, accents, digits, one letter.
const names = ['payments api', '결제-서비스', 'web-ä', 'svc_7', 'a'];

function samples(name: string, number: number): Sample[] {
  const where = `team-b/${name}`;
  const s = (code: ErrorCode, key: string, params: Params, message: string, mirrors?: false): Sample => ({ code, key, params, message, ...(mirrors === false ? { mirrors } : {}) });
  const kubectl = `Error from server (Forbidden): pods "${name}" is forbidden`;
  return [
    s('AUTH_FAILED', 'kube.credentialsRejected', { detail: kubectl, doingKey: 'listPodsOf', target: where }, `The cluster did not accept the credentials while listing the pods of ${where}: ${kubectl}`),
    s('PERMISSION_DENIED', 'kube.forbidden', { detail: kubectl }, kubectl),
    s('NOT_FOUND', 'kube.notFound', { detail: kubectl }, kubectl),
    s('CONFLICT', 'kube.conflict', { detail: kubectl }, kubectl),
    s('INVALID_INPUT', 'kube.invalid', { detail: kubectl }, kubectl),
    s('UNAVAILABLE', 'kube.unavailable', { detail: kubectl, doingKey: 'readDeployment', deployment: where }, `The API server could not answer while reading deployment ${where}: ${kubectl}`),
    s('INTERNAL', 'kube.unexpected', { detail: kubectl, doingKey: 'scaleTo', deployment: where, replicas: number }, `Unexpected answer while scaling ${where} to ${number}: ${kubectl}`),
    s('TIMEOUT', 'kube.timeout', { doingKey: 'deletePod', pod: where }, `The API server did not answer in time while deleting pod ${where}.`),
    s('UNREACHABLE', 'kube.unreachable', { detail: 'connect ECONNREFUSED 127.0.0.1:6443', doingKey: 'listNamespaces' }, 'Cannot reach the Kubernetes API server while listing namespaces: connect ECONNREFUSED 127.0.0.1:6443'),
    s('INVALID_INPUT', 'pods.notInService', { pod: where, deployment: name }, `Pod ${where} is not part of service ${name}.`),
    s('UNAVAILABLE', 'pods.clusterNotReady', {}, 'The cluster connection is not ready yet.'),
    s('UNREACHABLE', 'pods.watchSilent', { seconds: number }, `No answer from the API server for ${number} s: the link is silent`),
    s('UNAVAILABLE', 'pods.watchStopped', {}, 'The Pod List was closed before its pods were listed.'),
    s('INVALID_INPUT', 'containers.stopTimeoutRange', { max: number }, `The stop timeout must be a whole number of seconds from 0 to ${number}.`),
    s('NOT_FOUND', 'containers.notOnEngine', { container: '0123456789ab', engine: `ssh://${name}@host` }, `Container 0123456789ab was not found on ssh://${name}@host; it may have been removed. Refresh the list.`),
    s('CONFLICT', 'containers.restartPaused', { name }, `Container "${name}" is paused; Restart is only offered for running or exited containers. Unpause it from Command Execution first.`),
    s('CONFLICT', 'containers.restartNeverStarted', { name }, `Container "${name}" was created but never started; Restart is only offered for running or exited containers.`),
    s('CONFLICT', 'containers.sessionAlreadyOpen', {}, 'This Container List session is already open; open the list again.'),
    s('NOT_FOUND', 'containers.sessionClosed', {}, 'This Container List is no longer open; reopen the tab.'),
    s('NOT_FOUND', 'containers.notInService', { container: 'fedcba987654', service: name }, `Container fedcba987654 is not part of "${name}"; refresh the list.`),
    s('INVALID_INPUT', 'services.containersNotPods', { service: name, runtime: 'podman' }, `"${name}" runs on podman; it has containers, not pods.`),
    s('INVALID_INPUT', 'services.podsNotContainers', { service: name }, `"${name}" is a Kubernetes Deployment; it has pods, not containers.`),
    s('NOT_FOUND', 'config.keyMissing', { kind: 'Secret', where, key: `${name}.key` }, `Secret ${where} has no key "${name}.key".`),
    s('INVALID_INPUT', 'config.binaryValue', { key: name, where }, `"${name}" is binary data in ConfigMap ${where}; it cannot be edited as text.`),
    s('INVALID_INPUT', 'config.immutable', { kind: 'ConfigMap', where }, `ConfigMap ${where} is immutable; create a new one instead.`),
    s('INVALID_INPUT', 'config.tooLarge', { kind: 'Secret', where }, `Secret ${where} would be larger than 1 MiB, the Kubernetes limit.`),
    s('CONFLICT', 'config.changedElsewhere', { kind: 'ConfigMap', where }, `ConfigMap ${where} was changed by someone else since you loaded it; reload and try again.`),
    s('INVALID_INPUT', 'changes.engineChangeOnKubernetes', { action: 'containers.redeploy' }, '"containers.redeploy" is a Docker/Podman change; this service runs on Kubernetes.'),
    s('INVALID_INPUT', 'changes.kubernetesChangeOnEngine', { action: 'deployment.scale', engine: 'Podman' }, '"deployment.scale" is a Kubernetes change; this service runs on Podman.'),
    s('NOT_FOUND', 'changes.historyEntryMissing', { service: name, historyId: number }, `"${name}" has no image history entry ${number}; refresh the list.`),
    s('NOT_FOUND', 'changes.nothingToRollBack', { label: `${name}-db`, service: name }, `"${name}-db" has no container in "${name}" any more; nothing to roll back.`),
    s('CONFLICT', 'scaling.noHpa', { deployment: where }, `No HPA targets ${where}; use Apply Pod Count instead.`),
    s('INVALID_INPUT', 'scaling.outsideHpaRange', { hpa: `${name}-hpa`, deployment: where, min: number, max: number + 3 }, `HPA "${name}-hpa" keeps ${where} between ${number} and ${number + 3} replicas; choose a count in that range.`),
    s('INVALID_INPUT', 'scaling.minAboveMax', { min: number + 1, max: number }, `minReplicas (${number + 1}) must not be greater than maxReplicas (${number}).`),
    s('CONFLICT', 'scaling.metricsServerPartial', { applied: number, total: number + 2, detail: `Deployment kube-system/${name} (forbidden)` }, `Metrics Server is installed only in part: ${number} of ${number + 2} objects applied. Failed: Deployment kube-system/${name} (forbidden).`),
    s('TIMEOUT', 'scaling.metricsServerNotAvailable', { apiService: 'v1beta1.metrics.k8s.io', seconds: number, detail: `MissingEndpoints: ${name}`, deployment: 'metrics-server', namespace: 'kube-system' }, `Every Metrics Server object was applied, but APIService v1beta1.metrics.k8s.io is not Available after ${number} s (MissingEndpoints: ${name}). Check the metrics-server pods in kube-system (image pull, readiness), then install again.`),
    s('INVALID_INPUT', 'deployments.noContainer', { deployment: name, container: `${name}-sidecar` }, `Deployment ${name} has no container "${name}-sidecar".`),
    s('INVALID_INPUT', 'deployments.sameImage', { container: name, image: `registry.local/${name}:1.2` }, `Container "${name}" already runs registry.local/${name}:1.2; nothing to change.`),
    s('CONFLICT', 'deployments.noPreviousRevision', { deployment: name }, `Deployment ${name} has no previous revision to roll back to.`),
    s('NOT_FOUND', 'deployments.revisionMissing', { deployment: name, revision: number }, `Revision ${number} of deployment ${name} was not found.`),
    s('CONFLICT', 'deployments.alreadyAtRevision', { deployment: name, revision: number }, `Skipped rollback: deployment ${name} already runs revision ${number}.`),
    s('CONFLICT', 'deployments.noPodTemplate', { deployment: name }, `Deployment ${name} has no pod template.`),
    s('NOT_FOUND', 'deployments.imagePullFailed', { image: `${name}:latest`, engine: 'podman', detail: 'manifest unknown' }, `Image "${name}:latest" is not on podman and could not be pulled: manifest unknown`),
    s('NOT_FOUND', 'deployments.imageGone', { image: 'sha256:0a1b2c', engine: 'docker' }, 'Image sha256:0a1b2c is no longer on docker; it was removed. Pull it again by digest or tag, then roll back.'),
    s('NOT_FOUND', 'deployments.imageGoneRecorded', { image: 'sha256:0a1b2c', recordedAs: `${name}:2`, engine: 'docker' }, `Image sha256:0a1b2c (recorded as ${name}:2) is no longer on docker; it was removed. Pull it again by digest or tag, then roll back.`),
    s('CONFLICT', 'deployments.rolloutFailed.nothingReplaced', { detail: `port ${number} is taken` }, `port ${number} is taken`),
    s('CONFLICT', 'deployments.rolloutFailed.putBack', { detail: 'port is taken', count: number, label: name }, `port is taken The ${number} container(s) of "${name}" already replaced were put back on their previous image, so the service runs as before.`, false),
    s('CONFLICT', 'deployments.rolloutFailed.notPutBack', { detail: 'port is taken', count: number, label: name }, `port is taken The ${number} container(s) of "${name}" already replaced could not all be put back; check them, so the service runs as before.`, false),
    s('CONFLICT', 'deployments.renameFailed', { name, detail: 'conflict' }, `Could not rename "${name}" aside to replace it: conflict`),
    s('CONFLICT', 'deployments.newContainerFailedRestarted', { name, detail: 'exit 1' }, `The new container for "${name}" did not start (exit 1); the previous container was kept and started again.`),
    s('CONFLICT', 'deployments.newContainerFailedKept', { name, detail: 'exit 1' }, `The new container for "${name}" did not start (exit 1); the previous container was kept and left as it was.`),
    s('INVALID_INPUT', 'domains.traefikWildcard', { host: `${name}.example` }, `Traefik's Host() matcher takes no wildcard; add ${name}.example or each sub-domain by name.`),
    s('NOT_FOUND', 'domains.noContainersToLabel', { service: name }, `"${name}" has no containers to label.`),
    s('NOT_FOUND', 'domains.traefikNoExposedPort', { service: name, port: number }, `No container of "${name}" exposes port ${number}; Traefik forwards to an exposed container port (EXPOSE or a published port).`),
    s('NOT_FOUND', 'domains.traefikRouteMissing', { service: name, where: `${name}.io/api` }, `No Traefik label of "${name}" routes ${name}.io/api.`),
    s('CONFLICT', 'domains.traefikRouteNotOurs', { router: `${name}-r`, where: `${name}.io/` }, `The Traefik router "${name}-r" for ${name}.io/ was not added by KIOPS; change it where it was written (the compose file's labels).`),
    s('CONFLICT', 'domains.traefikTaken', { where: `${name}.io/`, router: 'r1', container: name }, `${name}.io/ is already routed by Traefik router "r1" on container "${name}"; remove that route first.`),
    s('CONFLICT', 'domains.traefikTakenHere', { where: `${name}.io/`, router: 'r1', container: name }, `${name}.io/ is already routed by Traefik router "r1" on container "${name}" of this service; remove that route first.`),
    s('NOT_FOUND', 'domains.caddyNoPublishedPort', { service: name, port: number }, `No container of "${name}" publishes port ${number} (or exposes it with host networking), so Caddy on this host cannot reach it. Publish the port, then add the domain.`),
    s('CONFLICT', 'domains.caddyTaken.named', { where: `${name}.io/`, owner: 'kiops-x', upstreams: '127.0.0.1:8080' }, `${name}.io/ is already routed by Caddy (kiops-x) to 127.0.0.1:8080; remove that route first.`),
    s('CONFLICT', 'domains.caddyTaken.namedNonProxy', { where: `${name}.io/`, owner: 'kiops-x' }, `${name}.io/ is already routed by Caddy (kiops-x) to a non-proxy handler; remove that route first.`),
    s('CONFLICT', 'domains.caddyTaken.unnamed', { where: `${name}.io/`, server: `srv ${name}`, upstreams: '127.0.0.1:8080' }, `${name}.io/ is already routed by Caddy (an unnamed route of server "srv ${name}") to 127.0.0.1:8080; remove that route first.`),
    s('CONFLICT', 'domains.caddyTaken.unnamedNonProxy', { where: `${name}.io/`, server: `srv ${name}` }, `${name}.io/ is already routed by Caddy (an unnamed route of server "srv ${name}") to a non-proxy handler; remove that route first.`),
    s('CONFLICT', 'domains.caddyNoServer', { url: 'http://127.0.0.1:2019' }, 'Caddy at http://127.0.0.1:2019 has no HTTP server to add routes to; give it a site first.'),
    s('NOT_FOUND', 'domains.caddyRouteMissing', { where: `${name}.io/`, service: name }, `Caddy has no route for ${name}.io/ to "${name}".`),
    s('CONFLICT', 'domains.caddyRouteNotOurs', { where: `${name}.io/`, routeId: `hand-${name}` }, `The route for ${name}.io/ was not added by KIOPS (hand-${name}); change it where it was written (the Caddyfile).`),
    s('CONFLICT', 'domains.caddyRouteNotOursNoId', { where: `${name}.io/` }, `The route for ${name}.io/ was not added by KIOPS (no @id); change it where it was written (the Caddyfile).`),
    s('UNREACHABLE', 'domains.caddyUnreachable', { url: 'http://127.0.0.1:2019', detail: 'ECONNREFUSED' }, "Caddy's admin API at http://127.0.0.1:2019 does not answer (ECONNREFUSED)."),
    s('CONFLICT', 'domains.caddyRefused', { method: 'POST', path: '/config/apps', detail: `bad host ${name}` }, `Caddy refused POST /config/apps: bad host ${name}`),
    s('CONFLICT', 'domains.ingressTaken', { route: `${name}.io/`, ingress: where }, `${name}.io/ is already routed by Ingress ${where}.`),
    s('INVALID_INPUT', 'domains.ingressClassMismatch', { ingress: where, currentClass: 'nginx', ingressClass: `${name}-class` }, `Ingress ${where} uses class "nginx"; a route with class "${name}-class" needs an Ingress of its own.`),
    s('NOT_FOUND', 'domains.ingressRouteMissing', { route: `${name}.io/`, deployment: where }, `No Ingress routes ${name}.io/ to ${where}.`),
    s('INVALID_INPUT', 'domains.noServiceSelects', { deployment: where }, `No Service selects the pods of ${where}; create one before adding a domain.`),
    s('INVALID_INPUT', 'domains.serviceNotSelecting', { service: name, deployment: 'web', names: 'a, b' }, `Service "${name}" does not select the pods of web; choose one of: a, b.`),
    s('INVALID_INPUT', 'domains.severalServices', { deployment: name, names: 'a, b' }, `Several Services select the pods of ${name} (a, b); choose one.`),
    s('INVALID_INPUT', 'domains.servicePortMissing', { service: name, port: number }, `Service ${name} has no port ${number}.`),
    s('CONFLICT', 'domains.ingressChanged.deleting', { ingress: where }, `The Ingress was changed by someone else while deleting Ingress ${where}; reload and try again.`),
    s('CONFLICT', 'domains.ingressChanged.updating', { ingress: where }, `The Ingress was changed by someone else while updating Ingress ${where}; reload and try again.`),
    s('NOT_FOUND', 'logs.containerNotInService', { container: name }, `Container ${name} is not part of this service; reload the targets.`),
    s('NOT_FOUND', 'logs.containerGone.readingLogs', { container: name, detail: 'no such container' }, `The container is gone (removed?) while reading the logs of container ${name}: no such container`),
    s('NOT_FOUND', 'logs.containerGone.lookingUp', { container: name, detail: 'no such container' }, `The container is gone (removed?) while looking up container ${name}: no such container`),
    s('UNAVAILABLE', 'logs.engineRefused.readingLogs', { container: name, detail: 'server error' }, `The engine refused while reading the logs of container ${name}: server error`),
    s('UNAVAILABLE', 'logs.engineRefused.lookingUp', { container: name, detail: 'server error' }, `The engine refused while looking up container ${name}: server error`),
    s('NOT_FOUND', 'logs.noSuchContainer', { pod: name, container: 'x', containers: 'app, init' }, `Pod ${name} has no container "x" (it has app, init); reload the targets.`),
    s('INVALID_INPUT', 'logs.chooseContainer', { pod: name, containers: 'app, sidecar' }, `Pod ${name} has several containers (app, sidecar); choose one.`),
    s('NOT_FOUND', 'logs.podNotInDeployment', { pod: name, deployment: where }, `Pod ${name} is not part of Deployment ${where}; reload the targets.`),
    s('INVALID_INPUT', 'commands.kubernetesNoContainer', {}, 'Kubernetes commands name their pod inside the command (kubectl exec POD -- CMD); there is no container selection.'),
    s('INVALID_INPUT', 'commands.noEngine', { service: name }, `"${name}" has no engine to run commands on.`),
    s('NOT_FOUND', 'commands.containerNotInService', { container: `${name}-1`, service: name }, `Container "${name}-1" is not part of "${name}"; pick one from the list.`),
    s('AUDIT_UNAVAILABLE', 'commands.auditUnavailable', { detail: `audit key for ${name} is missing` }, `audit key for ${name} is missing`),
    s('LIMIT_REACHED', 'commands.streamingLimit', { running: number, limit: number }, `You already have ${number} streaming sessions running (the limit is ${number}). Stop one before starting another.`),
    s('UNAVAILABLE', 'permissions.policyUnreadable', { path: `/etc/${name}/policy.yaml`, code: 'EACCES' }, `The organisation policy file (/etc/${name}/policy.yaml) cannot be read (EACCES).`),
    s('UNAVAILABLE', 'permissions.policyUnwritable', { path: `/etc/${name}/policy.yaml`, code: 'EROFS' }, `The organisation policy file (/etc/${name}/policy.yaml) could not be written (EROFS).`),
    s('INTERNAL', 'permissions.policyNoReadBack', {}, 'The organisation policy could not be written in a form that reads back.'),
  ];
}

describe("main's operations errors in the window's language", () => {
  const korean = translator('ko');
  const english = translator('en');
  names.forEach((name, index) => {
    const number = [1, 2, 7, 11, 600][index] ?? 3;
    it(`for "${name}": a Korean window shows Korean with every parameter, an English one main's exact English`, () => {
      for (const sample of samples(name, number)) {
        const error = new AppError(sample.code, sample.message, undefined, { key: `operations.${sample.key}`, params: sample.params });
        const window = received(error);
        const shown = mainErrorText(window, korean);
        expect(shown, sample.key).toMatch(hangul);
        expect(shown, sample.key).not.toContain('{');
        expect(shown, sample.key).not.toBe(sample.message);
        for (const [name, value] of Object.entries(sample.params)) if (!isPhraseParam(name)) expect(shown, `${sample.key} shows ${value}`).toContain(String(value));
        expect(mainErrorText(window, english), sample.key).toBe(sample.message);
        if (sample.mirrors !== false) expect(english.render(`mainErrors.operations.${sample.key}`, renderedParams({ key: sample.key, params: sample.params }, english) ?? {}), `${sample.key}: the English key mirrors main`).toBe(sample.message);
      }
    });
  });

  it('"container(s)" in main\'s English becomes a proper plural in the English key, one counter word in Korean', () => {
    for (const count of [1, 2, 11]) {
      const params = { detail: 'port is taken', count, label: 'web' };
      const englishText = english.render('mainErrors.operations.deployments.rolloutFailed.putBack', params);
      expect(englishText).toContain(count === 1 ? 'The 1 container of "web"' : `The ${count} containers of "web"`);
      expect(korean.render('mainErrors.operations.deployments.rolloutFailed.notPutBack', params)).toContain(`컨테이너 ${count}개`);
    }
  });
});

describe("main's limitations, setup help and Container List states in the window's language", () => {
  const korean = translator('ko');
  const english = translator('en');
  for (const [namespace, url, host] of [['shop', 'http://127.0.0.1:2019', 'ops@bastion:22'], ['가게 b', 'http://10.0.0.7:2019', 'é@h']] as const) {
    it(`limitations and places looked for (${namespace}): Korean with their names, the English key as main writes it`, () => {
      const lines: [string, Params, string][] = [
        ['limitations.ingressClasses', {}, 'Ingress classes could not be listed (a cluster-wide read); new routes use the cluster default class.'],
        ['limitations.secrets', { namespace }, `The cluster does not let you list Secrets in ${namespace}.`],
        ['limitations.hpas', {}, 'HorizontalPodAutoscalers could not be read; autoscaling is not shown.'],
        ['limitations.warningEvents', {}, 'Events could not be read; recent warnings are not shown.'],
        ['limitations.podWarnings', {}, 'The pods could not be listed; warnings of the Deployment and its ReplicaSets are shown, not those of its pods.'],
        ['domains.lookedFor.caddy', { url }, `Caddy admin API at ${url}`],
        ['domains.lookedFor.caddyThroughSsh', { url, host }, `Caddy admin API at ${url} on ${host} (through SSH)`],
        ['domains.lookedFor.caddyEngineHost', { url }, `Caddy admin API at ${url} (the engine host’s own address)`],
        ['domains.lookedFor.traefik', { engine: 'podman' }, 'a running Traefik container on this podman engine'],
        ['containers.liveUpdatesPaused.engineClosed', {}, 'Live updates paused (the engine closed the event stream).'],
        ['containers.liveUpdatesPaused.streamClosed', {}, 'Live updates paused (the event stream was closed).'],
        ['containers.liveUpdatesPaused.linkLost', { detail: `socket hang up ${host}` }, `Live updates paused (the link to the engine was lost (socket hang up ${host})).`],
        ['containers.liveUpdatesPaused.silent', { seconds: namespace.length + 30 }, `Live updates paused (no answer from the engine for ${namespace.length + 30} s: the link is silent).`],
        ['containers.liveUpdatesPaused.connectFailed', { detail: `connect ECONNREFUSED ${url}` }, `Live updates paused (connect ECONNREFUSED ${url}).`],
        ['scaling.metricsStatus.cannotCheck', { detail: `Error from server (Forbidden): ${namespace}` }, `Cannot check for Metrics Server: Error from server (Forbidden): ${namespace}`],
        ['scaling.metricsStatus.notServed', { deployment: 'metrics-server', namespace }, `The metrics-server Deployment exists in ${namespace}, but metrics.k8s.io is not served (its APIService is missing or unavailable). Reinstall it.`],
        ['scaling.metricsStatus.notAnswering', { detail: `503 ${url}` }, `metrics.k8s.io is registered but does not answer yet: 503 ${url}`],
        ['scaling.metricsStatus.noReadyPod', { deployment: 'metrics-server', replicas: namespace.length }, `metrics-server has no ready pod yet (0/${namespace.length} ready).`],
        ['containers.refreshFailed', { detail: `engine at ${url} stopped` }, `The container list could not be refreshed: engine at ${url} stopped`],
        ['domains.setupHelp', {}, 'No reverse proxy was found for this host. Either run Caddy with its admin API on 127.0.0.1:2019 (the default: `caddy run`, or the Debian package `caddy`) and KIOPS adds routes through it, leaving automatic HTTPS to Caddy; or run Traefik as a container with its Docker provider (image `traefik`, `--providers.docker`, entrypoints `web`/`websecure`) and KIOPS writes `traefik.http.routers.*` labels on the service’s containers.'],
      ];
      for (const [key, params, message] of lines) {
        const shown = mainErrorText({ message, text: { key: `operations.${key}`, params } }, korean);
        expect(shown, key).toMatch(hangul);
        for (const value of Object.values(params)) expect(shown, key).toContain(String(value));
        expect(mainErrorText({ message, text: { key: `operations.${key}`, params } }, english)).toBe(message);
        expect(english.render(`mainErrors.operations.${key}`, params), key).toBe(message);
      }
    });
  }
});
