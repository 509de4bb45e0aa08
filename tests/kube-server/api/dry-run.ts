// `dryRun` as the real API server reads it (apimachinery's ValidateDryRun): absent or empty is a
// real request, `All` runs validation and admission without persisting, anything else is refused
// with 422 before the request does anything. kubectl --dry-run=server sends dryRun=All.

import { isRecord } from '../model/types.ts';
import type { ApiRequest } from './request.ts';
import { invalid } from './status.ts';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

export function optionsKindOf(verb: string): OptionsKind {
  if (verb === 'create') return 'CreateOptions';
  if (verb === 'patch') return 'PatchOptions';
  if (verb === 'delete' || verb === 'deletecollection') return 'DeleteOptions';
  return 'UpdateOptions';
}

/** The request's dryRun values (query, and a DeleteOptions body's `dryRun`), checked. */
export function isDryRun(request: ApiRequest, body?: unknown): boolean {
  const values = request.query.getAll('dryRun').filter((value) => value !== '');
  if (isRecord(body) && Array.isArray(body.dryRun)) values.push(...body.dryRun.filter((value): value is string => typeof value === 'string' && value !== ''));
  const unsupported = values.filter((value) => value !== 'All');
  if (unsupported.length > 0) {
    throw invalid(optionsKindOf(request.verb), 'meta.k8s.io', '', [{ field: 'dryRun', message: `Unsupported value: []string{${values.map((value) => JSON.stringify(value)).join(', ')}}: supported values: "All"` }]);
  }
  return values.length > 0;
}
