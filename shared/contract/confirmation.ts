import { z } from 'zod';

/**
 * Every mutating call on a service carries this. In a production environment main refuses the
 * call unless it repeats the service's name exactly (a command: the line as the operator typed
 * it); outside production it is not needed (electron/main/permissions/production-confirmation.ts).
 */
export const confirmationSchema = z.string().max(4096).optional();

/** The `details.reason` of the INVALID_INPUT error main answers when the confirmation is missing or wrong. */
export const productionConfirmationReason = 'production-confirmation';
