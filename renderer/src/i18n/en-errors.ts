import { enErrorsConnections } from './en-errors-connections.ts';
import { enErrorsOperations } from './en-errors-operations.ts';
import { enErrorsEnvironments } from './en-errors-environments.ts';
import { enStatusReasons } from './en-status-reasons.ts';
import { enDoing } from './en-doing.ts';
import { enSubjects } from './en-subjects.ts';

/**
 * English of the messages main sends as keys (AppError `messageKey` + `params`); part of `en.ts`.
 * Main's own English text is what an English window shows; these keep the keys and parameters
 * that the Korean messages must match.
 */
export const enErrors = {
  mainErrors: {
    statusReasons: enStatusReasons,
    connections: enErrorsConnections,
    operations: enErrorsOperations,
    environments: enErrorsEnvironments,
    doing: enDoing,
    ...enSubjects,
    productionConfirmation: 'This changes a production environment. To go ahead, type the service name: {confirmText}',
    productionCommandConfirmation: 'This command changes data in a production environment. To run it, type the command exactly as you entered it: {confirmText}',
    permissionDenied: {
      logs: 'You do not have permission to view logs in "{environment}". {why} If you need it, request permission from your organization manager.',
      commands: 'You do not have permission to run commands in "{environment}". {why} If you need it, request permission from your organization manager.',
      management: 'You do not have permission to manage (restart, scale, deploy, edit configuration) in "{environment}". {why} If you need it, request permission from your organization manager.',
    },
    // Why a permission is withheld (Operations Modal: hidden tabs, disabled actions)
    withheld: {
      notice: 'Request permission from your organization manager.',
      noticeWith: 'Request permission from your organization manager. {details}',
      policyInvalid: 'The organisation permission policy ({path}) is not valid: {problem}. Until it is fixed, no logs, commands or management are allowed anywhere.',
      policyInvalidAtLine: 'The organisation permission policy ({path}, line {line}) is not valid: {problem}. Until it is fixed, no logs, commands or management are allowed anywhere.',
      notGranted: {
        productionDefault: '{permission} is not granted: "{environment}" is a production environment, and without an organisation policy file ({path}) production allows logs only.',
        noPolicy: '{permission} is not granted: No organisation policy file ({path}).',
        noRule: '{permission} is not granted: No rule in the organisation policy ({path}) matches "{environment}", and its default does not include it.',
        rule: '{permission} is not granted: Rule {rule} of the organisation policy ({path}, matching {match}) does not include it.',
      },
      permission: { logs: 'Viewing logs', commands: 'Command execution', management: 'Management' },
      match: { id: 'id {value}', name: 'name {value}', tag: 'tag {value}' },
      rbac: 'The cluster does not let you {reviews} in namespace "{namespace}".',
      notAsked: 'The cluster could not be asked what you may do: {detail}',
    },
    permissionWhy: {
      productionDefault: '"{environment}" is a production environment, and without an organisation policy file production allows logs only.',
      policy: 'The organisation policy does not grant it for this environment.',
      policyError: 'The organisation policy file is not valid; until it is fixed nothing is allowed anywhere.',
      rbac: 'The cluster does not allow it in namespace "{namespace}".',
    },
    hpaLocked: 'Manual scaling is locked while an HPA is active; delete the HPA first. (HPA "{hpa}")',
    blockedCommand: 'The command was blocked by the rule "{rule}".',
    sshUnreachable: 'Cannot reach {host}: {reason}.',
    sshHandshakeTimeout: 'Cannot reach {host}: the SSH handshake timed out.',
    engineUnreachable: 'Cannot reach the container engine: {detail}',
    policyReadOnly: 'The organisation policy ({path}) was not saved: the file is read-only, managed by your organisation.',
    policyChanged: 'The organisation policy ({path}) changed since it was opened. Nothing was saved: reload it and make the change again.',
  },
};
