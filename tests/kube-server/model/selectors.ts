// Label and field selectors: the query-string forms (`app=web,tier notin (db)`) and the
// structured LabelSelector of workloads.

import { badRequest } from '../api/status.ts';
import { isRecord, type KubeObject, type LabelSelector } from './types.ts';

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals';
  values: string[];
}

export function parseLabelSelector(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    let match = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (match) {
      const values = (match[3] ?? '').split(',').map((value) => value.trim()).filter(Boolean);
      requirements.push({ key: match[1] ?? '', operator: match[2] === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    match = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(part);
    if (match) {
      requirements.push({ key: match[1] ?? '', operator: match[2] === '!=' ? 'NotEquals' : 'Equals', values: [match[3] ?? ''] });
      continue;
    }
    match = /^(!?)([^\s!=()]+)$/.exec(part);
    if (match) {
      requirements.push({ key: match[2] ?? '', operator: match[1] ? 'DoesNotExist' : 'Exists', values: [] });
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return requirements;
}

export function matchesRequirements(labels: Record<string, string> | undefined, requirements: Requirement[]): boolean {
  return requirements.every((requirement) => {
    const has = labels !== undefined && Object.hasOwn(labels, requirement.key);
    const value = has ? labels?.[requirement.key] : undefined;
    switch (requirement.operator) {
      case 'Equals':
      case 'In':
        return has && requirement.values.includes(value ?? '');
      case 'NotEquals':
      case 'NotIn':
        return !has || !requirement.values.includes(value ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
    return false;
  });
}

export function selectorRequirements(selector: LabelSelector | undefined): Requirement[] {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) requirements.push({ key, operator: 'Equals', values: [value] });
  for (const expression of selector?.matchExpressions ?? []) {
    const operator = expression.operator as Requirement['operator'];
    requirements.push({ key: expression.key, operator, values: expression.values ?? [] });
  }
  return requirements;
}

export function matchesSelector(labels: Record<string, string> | undefined, selector: LabelSelector | undefined): boolean {
  const requirements = selectorRequirements(selector);
  return requirements.length > 0 && matchesRequirements(labels, requirements);
}

/** The string form kubectl and the Scale subresource use: "app=web,tier in (a,b)". */
export function selectorToString(selector: LabelSelector | undefined): string {
  return selectorRequirements(selector)
    .map((requirement) => {
      switch (requirement.operator) {
        case 'Equals':
          return `${requirement.key}=${requirement.values[0] ?? ''}`;
        case 'NotEquals':
          return `${requirement.key}!=${requirement.values[0] ?? ''}`;
        case 'In':
          return `${requirement.key} in (${[...requirement.values].sort().join(',')})`;
        case 'NotIn':
          return `${requirement.key} notin (${[...requirement.values].sort().join(',')})`;
        case 'Exists':
          return requirement.key;
        case 'DoesNotExist':
          return `!${requirement.key}`;
      }
      return '';
    })
    .join(',');
}

export interface FieldRequirement {
  path: string;
  value: string;
  negate: boolean;
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
      if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
      return { path: match[1] ?? '', value: match[3] ?? '', negate: match[2] === '!=' };
    });
}

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (!isRecord(current)) return '';
    current = current[segment];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}

export function matchesFields(object: KubeObject, requirements: FieldRequirement[]): boolean {
  return requirements.every((requirement) => (fieldValue(object, requirement.path) === requirement.value) !== requirement.negate);
}
