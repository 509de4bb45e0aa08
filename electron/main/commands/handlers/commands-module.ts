import type { CommandContextView } from '../../../../shared/contract/commands.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers, StreamHandlers } from '../../ipc/router.ts';
import { CommandExecution } from '../command-execution.ts';
import { resolveHostTools } from '../host-commands.ts';
import { ProcessRunner, type OneShotLimits, type SpawnProcess, type StreamLimits } from '../process-runner.ts';
import { SessionSlots } from '../session-slots.ts';
import { maxStreamsPerOperator, StreamingSessions } from '../streaming-sessions.ts';
import { CommandAudit } from './command-audit.ts';
import { CommandPlaces, type CommandPorts } from './command-places.ts';
import { CommandRuns } from './command-runs.ts';
import { StreamStarter } from './remote-stream.ts';

export interface CommandsModuleOptions extends CommandPorts {
  readonly trail: Pick<AuditTrail, 'record' | 'status' | 'begin'>;
  /** The OS user running the app: the operator the 3-session limit counts for. */
  readonly operatorId: string;
  /** Tests: count or refuse spawns, shorten limits. */
  readonly spawnProcess?: SpawnProcess;
  readonly oneShotLimits?: Partial<OneShotLimits>;
  readonly streamLimits?: Partial<StreamLimits>;
  /** Where the operator's streaming slots live, shared by every app instance on the data dir. */
  readonly sessionsDir?: string;
}

export interface CommandsModule {
  readonly calls: Pick<CallHandlers, 'commands.context' | 'commands.run'>;
  readonly streams: Pick<StreamHandlers, 'commands.stream'>;
  /** Stops every streaming session (app shutdown); their audit rows say 'stopped'. */
  close(): void;
}

// The spec's "commonly used commands", per mode.
const hostExamples = ['ps aux', 'free -m', 'df -h', 'netstat -tlnp'];
const kubernetesExamples = ['kubectl get pods', 'kubectl describe deployment NAME', 'kubectl logs POD --tail=200', 'kubectl get events', 'kubectl exec POD -- ps aux', 'kubectl top pod'];
const engineExamples = (engine: string): string[] => [...hostExamples, `${engine} ps`, `${engine} logs --tail 200 CONTAINER`, `${engine} stats --no-stream`];

/** The Command Execution tab's calls and stream, built from the composition root's ports. */
export function createCommandsModule(options: CommandsModuleOptions): CommandsModule {
  const runner = new ProcessRunner(options.spawnProcess === undefined ? {} : { spawnProcess: options.spawnProcess });
  const starter = new StreamStarter((request, limits) => runner.startStream(request, limits));
  const slots = options.sessionsDir === undefined ? undefined : new SessionSlots(options.sessionsDir, maxStreamsPerOperator);
  const sessions = new StreamingSessions(starter.start, maxStreamsPerOperator, slots);
  const places = new CommandPlaces(options);
  const runs = new CommandRuns({
    places,
    runtime: options.runtime,
    frame: options.frame,
    execution: new CommandExecution(runner, sessions),
    sessions,
    starter,
    audit: new CommandAudit(options.trail, options.operatorId),
    operatorId: options.operatorId,
    hostTools: resolveHostTools(),
    ...(options.oneShotLimits === undefined ? {} : { oneShotLimits: options.oneShotLimits }),
    ...(options.streamLimits === undefined ? {} : { streamLimits: options.streamLimits }),
  });

  const context = async (serviceId: string): Promise<CommandContextView> => {
    const service = places.service(serviceId);
    await options.frame.requirePermission(serviceId, 'commands');
    const env = service.environment;
    const base = { production: env.production, sessions: { running: sessions.running(options.operatorId), limit: sessions.limitPerOperator } };
    if (service.target.kind === 'deployment') {
      return { ...base, mode: 'kubernetes', namespace: service.target.namespace, containers: [], remoteHost: null, streamingAvailable: true, examples: kubernetesExamples };
    }
    const place = await places.place(service, undefined);
    const engine = place.runtime === 'engine' ? place.engine : 'docker';
    const remoteHost = place.runtime === 'engine' ? place.remoteHost : null;
    return { ...base, mode: 'engine', engine, containers: await places.containers(service), remoteHost, streamingAvailable: true, examples: engineExamples(engine) };
  };

  return {
    calls: {
      'commands.context': ({ serviceId }) => context(serviceId),
      'commands.run': (input) => runs.runOnce(input),
    },
    streams: {
      'commands.stream': (input, { emit, signal }) => runs.stream(input, emit, signal),
    },
    close: () => sessions.stopAll(),
  };
}
