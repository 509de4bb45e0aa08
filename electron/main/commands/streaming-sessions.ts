import { AppError } from '../../../shared/errors.ts';
import type { ProcessRequest, StreamLimits, StreamSession } from './process-runner.ts';
import type { SessionSlots } from './session-slots.ts';

/** Starts one streaming session; the ProcessRunner's startStream in production. */
export type StartStream = (request: ProcessRequest, limits?: Partial<StreamLimits>) => StreamSession;

export const maxStreamsPerOperator = 3;

/**
 * Holds each operator's running streaming sessions: at most three at a time, the fourth is
 * refused before anything is spawned. A slot frees itself when its session ends for any reason.
 * With `slots` (production: a folder in the data dir) the three are counted across every app
 * instance of the operator, not per process (see session-slots.ts).
 */
export class StreamingSessions {
  private readonly start: StartStream;
  private readonly limit: number;
  private readonly slots: SessionSlots | undefined;
  private readonly byOperator = new Map<string, Map<string, StreamSession>>();

  constructor(start: StartStream, limit = maxStreamsPerOperator, slots?: SessionSlots) {
    this.start = start;
    this.limit = limit;
    this.slots = slots;
  }

  open(operatorId: string, request: ProcessRequest, limits?: Partial<StreamLimits>): StreamSession {
    const sessions = this.byOperator.get(operatorId) ?? new Map<string, StreamSession>();
    const slot = this.slots === undefined ? (sessions.size < this.limit ? { release: () => {} } : undefined) : this.slots.take(operatorId);
    if (slot === undefined) {
      const running = Math.max(this.running(operatorId), this.limit);
      throw new AppError('LIMIT_REACHED', `You already have ${running} streaming sessions running (the limit is ${this.limit}). Stop one before starting another.`, { running, limit: this.limit }, { key: 'operations.commands.streamingLimit', params: { running, limit: this.limit } });
    }
    let session: StreamSession;
    try {
      session = this.start(request, limits);
    } catch (error) {
      slot.release();
      throw error;
    }
    sessions.set(session.id, session);
    this.byOperator.set(operatorId, sessions);
    void session.done.then(() => {
      slot.release();
      sessions.delete(session.id);
      if (sessions.size === 0 && this.byOperator.get(operatorId) === sessions) this.byOperator.delete(operatorId);
    });
    return session;
  }

  get limitPerOperator(): number {
    return this.limit;
  }

  /** The operator's running sessions, in every app instance when slots are shared. */
  running(operatorId: string): number {
    return this.slots?.running(operatorId) ?? this.byOperator.get(operatorId)?.size ?? 0;
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
