import type { ConnectionMethod, ConnectionStatus, MethodAttempt } from '../../../shared/contract/connections.ts';
import type { KeyedText } from '../../../shared/contract/keyed-text.ts';
import { AppError, keyedText, type MessageText } from '../../../shared/errors.ts';
import type { EnvironmentRecord } from '../environments/environment-repository.ts';
import { choiceReason, choiceReasonText, methodsToTry, NoUsableMethod, primaryFailure } from './connection-methods.ts';
import type { MethodProbe } from './method-probes.ts';

export interface Resolution {
  readonly method: ConnectionMethod;
  readonly reason: string;
  /** `reason` as a key for the window's language, when every reason it quotes is keyed. */
  readonly reasonText?: KeyedText | undefined;
  readonly attempts: readonly MethodAttempt[];
}

/** `text` as a reply field, or nothing (an old reader, an unkeyed reason). */
export function withReasonText(text: MessageText | undefined): { reasonText?: KeyedText } {
  return text === undefined ? {} : { reasonText: keyedText(text) };
}

type Tracked = Omit<ConnectionStatus, 'environmentId' | 'selected' | 'methods'>;

/**
 * Decides how to reach an environment: the selected method, or for Auto the first of the
 * registered methods whose probe succeeds. Remembers the outcome per environment for the
 * Operations Modal header (current method, state, reason).
 */
export class ConnectionResolver {
  private readonly probe: MethodProbe;
  private readonly now: () => Date;
  private readonly tracked = new Map<string, Tracked>();
  private readonly inFlight = new Map<string, Promise<Resolution>>();

  constructor(probe: MethodProbe, now: () => Date = () => new Date()) {
    this.probe = probe;
    this.now = now;
  }

  /** The last good resolution unless `fresh`; concurrent callers share one probe run. */
  resolve(env: EnvironmentRecord, options: { fresh?: boolean } = {}): Promise<Resolution> {
    const known = this.tracked.get(env.id);
    if (!options.fresh && known?.state === 'connected' && known.current !== undefined) {
      return Promise.resolve({ method: known.current, reason: known.reason ?? '', ...(known.reasonText === undefined ? {} : { reasonText: known.reasonText }), attempts: known.attempts });
    }
    let running = this.inFlight.get(env.id);
    if (!running) {
      running = this.run(env).finally(() => this.inFlight.delete(env.id));
      this.inFlight.set(env.id, running);
    }
    return running;
  }

  status(env: EnvironmentRecord): ConnectionStatus {
    const tracked = this.tracked.get(env.id) ?? { state: 'idle', attempts: [] };
    return { environmentId: env.id, selected: env.access.selected, methods: [...env.access.methods], ...tracked };
  }

  /** Marks a method that failed in use (a dropped tunnel), so the next call probes again. */
  markFailed(env: EnvironmentRecord, method: ConnectionMethod, error: AppError): void {
    this.tracked.set(env.id, { state: 'failed', current: method, reason: error.message, ...withReasonText(error.text), attempts: [], since: this.now().toISOString() });
  }

  forget(environmentId: string): void {
    this.tracked.delete(environmentId);
  }

  private async run(env: EnvironmentRecord): Promise<Resolution> {
    const methods = methodsToTry(env.access);
    this.tracked.set(env.id, { state: 'connecting', current: methods[0], attempts: [], since: this.now().toISOString() });
    const attempts: MethodAttempt[] = [];
    const errors: AppError[] = [];
    for (const method of methods) {
      try {
        const healthy = await this.probe.probe(env, method);
        const attempt: MethodAttempt = { method, healthy: true, reason: healthy.reason, ...withReasonText(healthy.text) };
        attempts.push(attempt);
        const auto = env.access.selected === 'auto';
        const resolution = { method, reason: choiceReason(auto, attempts, attempt), ...withReasonText(choiceReasonText(auto, attempts, attempt)), attempts };
        this.tracked.set(env.id, { state: 'connected', current: method, reason: resolution.reason, ...withReasonText(resolution.reasonText), attempts, since: this.now().toISOString() });
        return resolution;
      } catch (error) {
        const appError = error instanceof AppError ? error : new AppError('UNAVAILABLE', `${method} could not be checked.`, undefined, { key: 'connections.methods.notChecked', params: { method } });
        errors.push(appError);
        attempts.push({ method, healthy: false, reason: appError.message, ...withReasonText(appError.text), code: appError.code });
      }
    }
    const primary = primaryFailure(errors) ?? new AppError('UNAVAILABLE', 'No connection method is registered for this environment.', undefined, { key: 'connections.methods.noneRegistered' });
    const failedMethod = attempts[errors.indexOf(primary)]?.method;
    const failure = new NoUsableMethod(primary, attempts, failedMethod);
    this.tracked.set(env.id, { state: 'failed', current: failedMethod, reason: failure.message, ...withReasonText(failure.reasonText), attempts, since: this.now().toISOString() });
    throw failure;
  }
}
