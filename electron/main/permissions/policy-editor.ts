import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PolicyView } from '../../../shared/contract/policy.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AuditDetails } from '../audit/audit-row.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CallHandlers } from '../ipc/router.ts';
import { parseOrganisationPolicy } from './organisation-policy.ts';
import { policyFileFormat, policyTextToWrite } from './policy-file-text.ts';

/** The file as read: its text (null when there is none), its mode bits, and the revision the editor passes back. */
interface PolicyFileRead {
  readonly text: string | null;
  readonly readOnly: boolean;
  readonly revision: string;
}

async function readPolicyFile(path: string): Promise<PolicyFileRead> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    // Mode bits, not access(): a managed file is read-only by its mode even for root.
    return { text, readOnly: (info.mode & 0o222) === 0, revision: createHash('sha256').update(text).digest('hex') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: null, readOnly: false, revision: 'absent' };
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('UNAVAILABLE', `The organisation policy file (${path}) cannot be read (${code}).`, undefined, { key: 'operations.permissions.policyUnreadable', params: { path, code } });
  }
}

function viewOf(path: string, read: PolicyFileRead): PolicyView {
  const readOnly = read.readOnly ? { readOnlyReason: `The file is read-only: it is managed by your organisation. Change it where it is distributed, or ask your organisation manager.` } : {};
  const base = { path, revision: read.revision, writable: !read.readOnly, ...readOnly };
  if (read.text === null) return { ...base, state: 'absent' };
  const format = { format: policyFileFormat(read.text) };
  const state = parseOrganisationPolicy(read.text, path);
  if (state.kind === 'loaded') return { ...base, ...format, state: 'loaded', policy: state.policy };
  return { ...base, ...format, state: 'invalid', problem: state.kind === 'invalid' ? state.message : '' };
}

/** What the audit row keeps of the file before a save: the rules, or why there were none. */
function beforeOf(view: PolicyView): AuditDetails {
  if (view.state === 'loaded' && view.policy !== undefined) return JSON.parse(JSON.stringify(view.policy)) as AuditDetails;
  return { state: view.state };
}

/** Write to a temporary file beside it, then rename: readers see the old file or the new one, never half of one. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode: 0o644, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('UNAVAILABLE', `The organisation policy file (${path}) could not be written (${code}).`, undefined, { key: 'operations.permissions.policyUnwritable', params: { path, code } });
  }
}

/**
 * The in-app editor of the organisation policy. It reads and writes the same file the permission
 * gate reads (which notices the change by its mtime and size), validated by the same schema, so
 * a team that distributes the file keeps distributing it. A read-only file is refused, and so is
 * a save based on a revision that is no longer the file's (someone changed it meanwhile).
 */
export function policyEditorHandlers(path: string, trail: AuditTrail): Pick<CallHandlers, 'policy.get' | 'policy.save'> {
  return {
    'policy.get': async () => viewOf(path, await readPolicyFile(path)),
    'policy.save': async ({ policy, revision }) => {
      const read = await readPolicyFile(path);
      const current = viewOf(path, read);
      const after = JSON.parse(JSON.stringify(policy)) as AuditDetails;
      return trail.audited({ action: 'policy.save', target: path, details: { before: beforeOf(current), after } }, async () => {
        if (!current.writable) throw new AppError('PERMISSION_DENIED', `The organisation policy (${path}) was not saved. ${current.readOnlyReason ?? ''}`.trim(), undefined, { key: 'policyReadOnly', params: { path } });
        if (current.revision !== revision) {
          throw new AppError('CONFLICT', `The organisation policy (${path}) changed since it was opened (by another window, or by whoever distributes it). Nothing was saved: reload it and make the change again.`, undefined, { key: 'policyChanged', params: { path } });
        }
        // a hand-written file keeps its comments and untouched lines (policy-file-text.ts)
        const text = policyTextToWrite(read.text, policy, path);
        // the file the editor writes must read back as exactly this policy
        const reread = parseOrganisationPolicy(text, path);
        if (reread.kind !== 'loaded') throw new AppError('INTERNAL', 'The organisation policy could not be written in a form that reads back.', undefined, { key: 'operations.permissions.policyNoReadBack' });
        await writeAtomically(path, text);
        return viewOf(path, await readPolicyFile(path));
      });
    },
  };
}
