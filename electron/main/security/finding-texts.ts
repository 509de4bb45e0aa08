import type { FindingTexts } from '../../../shared/contract/security.ts';

type Field = keyof FindingTexts;
type Params = Readonly<Record<string, string | number>>;

const allFields: readonly Field[] = ['title', 'evidence', 'remediation'];

/** One text of a finding as a key under `mainErrors.environments.security.findings`. */
export function findingText(key: string, params: Params = {}): { key: string; params: Record<string, string | number> } {
  return { key: `environments.security.findings.${key}`, params: { ...params } };
}

/**
 * A finding's title, evidence and remediation as keys `<base>.title`, `<base>.evidence` and
 * `<base>.remediation`, all with the same parameters, so a Korean window shows the finding in Korean.
 */
export function findingTexts(base: string, params: Params = {}, fields: readonly Field[] = allFields): FindingTexts {
  return Object.fromEntries(fields.map((field) => [field, findingText(`${base}.${field}`, params)]));
}
