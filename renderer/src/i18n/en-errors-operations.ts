/**
 * English of the messages main's operations code sends as keys (`mainErrors.operations.*`); part of
 * `en-errors.ts`. Each mirrors main's English text with its parameters as `{name}`. Where main's
 * text names what it was doing ("while listing pods"), the key leaves that phrase out, as
 * `kubeUnreachable` does; a `{detail}` is text from outside the app (the API server, the engine, the OS).
 * Where main writes "container(s)", the key has proper plural forms.
 */
export const enErrorsOperations = {
  kube: {
    credentialsRejected: 'The cluster did not accept the credentials: {detail}',
    forbidden: '{detail}',
    notFound: '{detail}',
    conflict: '{detail}',
    invalid: '{detail}',
    unavailable: 'The API server could not answer: {detail}',
    unexpected: 'Unexpected answer: {detail}',
  },
  pods: {
    notInService: 'Pod {pod} is not part of service {deployment}.',
    clusterNotReady: 'The cluster connection is not ready yet.',
    watchSilent: 'No answer from the API server for {seconds} s: the link is silent',
  },
  containers: {
    stopTimeoutRange: 'The stop timeout must be a whole number of seconds from 0 to {max}.',
    notOnEngine: 'Container {container} was not found on {engine}; it may have been removed. Refresh the list.',
    restartPaused: 'Container "{name}" is paused; Restart is only offered for running or exited containers. Unpause it from Command Execution first.',
    restartNeverStarted: 'Container "{name}" was created but never started; Restart is only offered for running or exited containers.',
    sessionAlreadyOpen: 'This Container List session is already open; open the list again.',
    sessionClosed: 'This Container List is no longer open; reopen the tab.',
    notInService: 'Container {container} is not part of "{service}"; refresh the list.',
  },
  services: {
    containersNotPods: '"{service}" runs on {runtime}; it has containers, not pods.',
    podsNotContainers: '"{service}" is a Kubernetes Deployment; it has pods, not containers.',
  },
  config: {
    keyMissing: '{kind} {where} has no key "{key}".',
    binaryValue: '"{key}" is binary data in ConfigMap {where}; it cannot be edited as text.',
    immutable: '{kind} {where} is immutable; create a new one instead.',
    tooLarge: '{kind} {where} would be larger than 1 MiB, the Kubernetes limit.',
    changedElsewhere: '{kind} {where} was changed by someone else since you loaded it; reload and try again.',
  },
  changes: {
    engineChangeOnKubernetes: '"{action}" is a Docker/Podman change; this service runs on Kubernetes.',
    kubernetesChangeOnEngine: '"{action}" is a Kubernetes change; this service runs on {engine}.',
    historyEntryMissing: '"{service}" has no image history entry {historyId}; refresh the list.',
    nothingToRollBack: '"{label}" has no container in "{service}" any more; nothing to roll back.',
  },
  scaling: {
    noHpa: 'No HPA targets {deployment}; use Apply Pod Count instead.',
    outsideHpaRange: 'HPA "{hpa}" keeps {deployment} between {min} and {max} replicas; choose a count in that range.',
    minAboveMax: 'minReplicas ({min}) must not be greater than maxReplicas ({max}).',
    metricsServerMissing:
      'HPA creation failure: Metrics Server is not installed in this cluster (metrics.k8s.io is not served), so the HPA could not read CPU usage. Install it from the Pod List tab, then create the HPA again.',
    metricsServerPartial: 'Metrics Server is installed only in part: {applied} of {total} objects applied. Failed: {detail}.',
    metricsServerNotAvailable:
      'Every Metrics Server object was applied, but APIService {apiService} is not Available after {seconds} s ({detail}). Check the {deployment} pods in {namespace} (image pull, readiness), then install again.',
  },
  deployments: {
    noContainer: 'Deployment {deployment} has no container "{container}".',
    sameImage: 'Container "{container}" already runs {image}; nothing to change.',
    noPreviousRevision: 'Deployment {deployment} has no previous revision to roll back to.',
    revisionMissing: 'Revision {revision} of deployment {deployment} was not found.',
    alreadyAtRevision: 'Skipped rollback: deployment {deployment} already runs revision {revision}.',
    noPodTemplate: 'Deployment {deployment} has no pod template.',
    imagePullFailed: 'Image "{image}" is not on {engine} and could not be pulled: {detail}',
    imageGone: 'Image {image} is no longer on {engine}; it was removed. Pull it again by digest or tag, then roll back.',
    imageGoneRecorded: 'Image {image} (recorded as {recordedAs}) is no longer on {engine}; it was removed. Pull it again by digest or tag, then roll back.',
    rolloutFailed: {
      nothingReplaced: '{detail}',
      putBack:
        '{detail} | {detail} The 1 container of "{label}" already replaced was put back on its previous image, so the service runs as before. | {detail} The {count} containers of "{label}" already replaced were put back on their previous image, so the service runs as before.',
      notPutBack:
        '{detail} | {detail} The 1 container of "{label}" already replaced could not be put back; check it. | {detail} The {count} containers of "{label}" already replaced could not all be put back; check them, so the service runs as before.',
    },
    renameFailed: 'Could not rename "{name}" aside to replace it: {detail}',
    newContainerFailedRestarted: 'The new container for "{name}" did not start ({detail}); the previous container was kept and started again.',
    newContainerFailedKept: 'The new container for "{name}" did not start ({detail}); the previous container was kept and left as it was.',
  },
  domains: {
    traefikWildcard: "Traefik's Host() matcher takes no wildcard; add {host} or each sub-domain by name.",
    noContainersToLabel: '"{service}" has no containers to label.',
    traefikNoExposedPort: 'No container of "{service}" exposes port {port}; Traefik forwards to an exposed container port (EXPOSE or a published port).',
    traefikRouteMissing: 'No Traefik label of "{service}" routes {where}.',
    traefikRouteNotOurs: 'The Traefik router "{router}" for {where} was not added by KIOPS; change it where it was written (the compose file\'s labels).',
    traefikTaken: '{where} is already routed by Traefik router "{router}" on container "{container}"; remove that route first.',
    traefikTakenHere: '{where} is already routed by Traefik router "{router}" on container "{container}" of this service; remove that route first.',
    caddyNoPublishedPort:
      'No container of "{service}" publishes port {port} (or exposes it with host networking), so Caddy on this host cannot reach it. Publish the port, then add the domain.',
    caddyTaken: {
      named: '{where} is already routed by Caddy ({owner}) to {upstreams}; remove that route first.',
      namedNonProxy: '{where} is already routed by Caddy ({owner}) to a non-proxy handler; remove that route first.',
      unnamed: '{where} is already routed by Caddy (an unnamed route of server "{server}") to {upstreams}; remove that route first.',
      unnamedNonProxy: '{where} is already routed by Caddy (an unnamed route of server "{server}") to a non-proxy handler; remove that route first.',
    },
    caddyNoServer: 'Caddy at {url} has no HTTP server to add routes to; give it a site first.',
    caddyRouteMissing: 'Caddy has no route for {where} to "{service}".',
    caddyRouteNotOurs: 'The route for {where} was not added by KIOPS ({routeId}); change it where it was written (the Caddyfile).',
    caddyRouteNotOursNoId: "The route for {where} was not added by KIOPS (no {'@'}id); change it where it was written (the Caddyfile).",
    caddyUnreachable: "Caddy's admin API at {url} does not answer ({detail}).",
    caddyRefused: 'Caddy refused {method} {path}: {detail}',
    noProxy:
      'No reverse proxy found for "{environment}" (looked for {lookedFor}). No reverse proxy was found for this host. Either run Caddy with its admin API on 127.0.0.1:2019 (the default: `caddy run`, or the Debian package `caddy`) and KIOPS adds routes through it, leaving automatic HTTPS to Caddy; or run Traefik as a container with its Docker provider (image `traefik`, `--providers.docker`, entrypoints `web`/`websecure`) and KIOPS writes `traefik.http.routers.*` labels on the service’s containers.',
    ingressTaken: '{route} is already routed by Ingress {ingress}.',
    ingressClassMismatch: 'Ingress {ingress} uses class "{currentClass}"; a route with class "{ingressClass}" needs an Ingress of its own.',
    ingressRouteMissing: 'No Ingress routes {route} to {deployment}.',
    noServiceSelects: 'No Service selects the pods of {deployment}; create one before adding a domain.',
    serviceNotSelecting: 'Service "{service}" does not select the pods of {deployment}; choose one of: {names}.',
    severalServices: 'Several Services select the pods of {deployment} ({names}); choose one.',
    servicePortMissing: 'Service {service} has no port {port}.',
    ingressChanged: {
      deleting: 'The Ingress was changed by someone else while deleting Ingress {ingress}; reload and try again.',
      updating: 'The Ingress was changed by someone else while updating Ingress {ingress}; reload and try again.',
    },
  },
  logs: {
    containerNotInService: 'Container {container} is not part of this service; reload the targets.',
    containerGone: {
      readingLogs: 'The container is gone (removed?) while reading the logs of container {container}: {detail}',
      lookingUp: 'The container is gone (removed?) while looking up container {container}: {detail}',
    },
    engineRefused: {
      readingLogs: 'The engine refused while reading the logs of container {container}: {detail}',
      lookingUp: 'The engine refused while looking up container {container}: {detail}',
    },
    noSuchContainer: 'Pod {pod} has no container "{container}" (it has {containers}); reload the targets.',
    chooseContainer: 'Pod {pod} has several containers ({containers}); choose one.',
    podNotInDeployment: 'Pod {pod} is not part of Deployment {deployment}; reload the targets.',
  },
  commands: {
    kubernetesNoContainer: 'Kubernetes commands name their pod inside the command (kubectl exec POD -- CMD); there is no container selection.',
    noEngine: '"{service}" has no engine to run commands on.',
    containerNotInService: 'Container "{container}" is not part of "{service}"; pick one from the list.',
    auditUnavailable: '{detail}',
    streamingLimit: 'You already have {running} streaming sessions running (the limit is {limit}). Stop one before starting another.',
  },
  permissions: {
    policyUnreadable: 'The organisation policy file ({path}) cannot be read ({code}).',
    policyUnwritable: 'The organisation policy file ({path}) could not be written ({code}).',
    policyNoReadBack: 'The organisation policy could not be written in a form that reads back.',
  },
};
