import { AppError } from '../../../shared/errors.ts';
import type { ProcessRequest, StreamLimits, StreamSession } from './process-runner.ts';

/** Starts one streaming session; the ProcessRunner's startStream in production. */
export type StartStream = (request: ProcessRequest, limits?: Partial<StreamLimits>) => StreamSession;

export const maxStreamsPerOperator = 3;

/**
 * Holds each operator's running streaming sessions: at most three at a time, the fourth is
 * refused before anything is spawned. A slot frees itself when its session ends for any reason.
 */
export class StreamingSessions {
  private readonly start: StartStream;
  private readonly limit: number;
  private readonly byOperator = new Map<string, Map<string, StreamSession>>();

  constructor(start: StartStream, limit = maxStreamsPerOperator) {
    this.start = start;
    this.limit = limit;
  }

  open(operatorId: string, request: ProcessRequest, limits?: Partial<StreamLimits>): StreamSession {
    const sessions = this.byOperator.get(operatorId) ?? new Map<string, StreamSession>();
    if (sessions.size >= this.limit) {
      throw new AppError('LIMIT_REACHED', `You already have ${sessions.size} streaming sessions running (the limit is ${this.limit}). Stop one before starting another.`, {
        running: sessions.size,
        limit: this.limit,
      });
    }
    const session = this.start(request, limits);
    sessions.set(session.id, session);
    this.byOperator.set(operatorId, sessions);
    void session.done.then(() => {
      sessions.delete(session.id);
      if (sessions.size === 0 && this.byOperator.get(operatorId) === sessions) this.byOperator.delete(operatorId);
    });
    return session;
  }

  get limitPerOperator(): number {
    return this.limit;
  }

  running(operatorId: string): number {
    return this.byOperator.get(operatorId)?.size ?? 0;
  }

  /** Stops one of the operator's own sessions; false when it is not theirs or already ended. */
  stop(operatorId: string, sessionId: string): boolean {
    const session = this.byOperator.get(operatorId)?.get(sessionId);
    if (session === undefined) return false;
    session.stop();
    return true;
  }

  stopAll(): void {
    for (const sessions of this.byOperator.values()) for (const session of sessions.values()) session.stop();
  }
}
