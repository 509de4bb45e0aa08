import type { z } from 'zod';
import { appContract } from './app.ts';
import { auditContract } from './audit.ts';
import { catalogContract } from './catalog.ts';
import { changesContract } from './changes.ts';
import { commandsContract } from './commands.ts';
import { configContract } from './config.ts';
import { connectionsContract } from './connections.ts';
import { containersContract } from './containers.ts';
import type { CallSpec, EntrySpec, StreamSpec } from './define.ts';
import { domainsContract } from './domains.ts';
import { deploymentsContract } from './deployments.ts';
import { environmentsContract } from './environments.ts';
import { logsContract } from './logs.ts';
import { operationsContract } from './operations.ts';
import { overviewContract } from './overview.ts';
import { podsContract } from './pods.ts';
import { policyContract } from './policy.ts';
import { scalingContract } from './scaling.ts';
import { securityContract } from './security.ts';

/**
 * The whole IPC surface, declared once. The renderer client, the preload allow-list, the
 * main-process router and the browser-mode transport are all derived from this object.
 */
export const contract = {
  ...appContract,
  ...auditContract,
  ...environmentsContract,
  ...connectionsContract,
  ...catalogContract,
  ...operationsContract,
  ...overviewContract,
  ...podsContract,
  ...scalingContract,
  ...containersContract,
  ...deploymentsContract,
  ...commandsContract,
  ...logsContract,
  ...configContract,
  ...domainsContract,
  ...securityContract,
  ...changesContract,
  ...policyContract,
} as const satisfies Record<string, EntrySpec>;

export type Contract = typeof contract;
export type EntryName = keyof Contract;
export type CallName = { [N in EntryName]: Contract[N] extends CallSpec ? N : never }[EntryName];
export type StreamName = { [N in EntryName]: Contract[N] extends StreamSpec ? N : never }[EntryName];

type CallOf<N extends CallName> = Contract[N] extends CallSpec<infer I, infer O> ? { input: I; output: O } : never;
type StreamOf<N extends StreamName> = Contract[N] extends StreamSpec<infer I, infer E> ? { input: I; event: E } : never;

/** What the renderer passes (before zod defaults apply). */
export type CallInput<N extends CallName> = z.input<CallOf<N>['input']>;
/** What a main-process handler receives (after zod parsing and defaults). */
export type CallParsedInput<N extends CallName> = z.output<CallOf<N>['input']>;
export type CallOutput<N extends CallName> = z.output<CallOf<N>['output']>;
export type StreamInput<N extends StreamName> = z.input<StreamOf<N>['input']>;
export type StreamParsedInput<N extends StreamName> = z.output<StreamOf<N>['input']>;
export type StreamEvent<N extends StreamName> = z.output<StreamOf<N>['event']>;

export const callNames = Object.keys(contract).filter((name) => contract[name as EntryName].kind === 'call') as CallName[];
export const streamNames = Object.keys(contract).filter((name) => contract[name as EntryName].kind === 'stream') as StreamName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(contract, name) && contract[name as EntryName].kind === 'call';
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.hasOwn(contract, name) && contract[name as EntryName].kind === 'stream';
}
