import { z } from 'zod';

/**
 * Every mutating call on a service carries this. In a production environment main refuses the
 * call unless it repeats the service's name exactly (a command: the line as the operator typed
 * it); outside production it is not needed (electron/main/permissions/production-confirmation.ts).
 */
export const confirmationSchema = z.string().max(4096).optional();

/** The `details.reason` of the INVALID_INPUT error main answers when the confirmation is missing or wrong. */
export const productionConfirmationReason = 'production-confirmation';

/**
 * The calls that change a service and take `confirmation` (their input has `serviceId` and
 * `confirmation`), except `commands.run`, which asks by itself. The window's production guard
 * reads this list rather than the contract's schemas, so a new window does not build every
 * schema of the IPC surface before it can ask for anything; confirmation.test.ts derives the
 * same list from the contract, so a call added there without being listed here fails the tests.
 */
export const confirmableCalls: readonly string[] = [
  'pods.restart',
  'pods.forceDelete',
  'pods.deletePending',
  'scaling.setReplicas',
  'scaling.setHpa',
  'scaling.deleteHpa',
  'scaling.resumeHpa',
  'metricsServer.install',
  'diagnostics.imageCacheCleanup',
  'containers.restart',
  'deployment.setImage',
  'deployment.rollback',
  'deployment.restart',
  'containers.redeploy',
  'containers.rollback',
  'config.setKey',
  'config.deleteKey',
  'config.create',
  'engineDomains.add',
  'engineDomains.remove',
  'domains.add',
  'domains.remove',
];
