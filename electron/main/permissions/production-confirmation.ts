import { contract, type CallName } from '../../../shared/contract/index.ts';
import { productionConfirmationReason } from '../../../shared/contract/confirmation.ts';
import { AppError } from '../../../shared/errors.ts';
import { auditRefusedCalls, intentFor, mutatingCalls } from '../audit/audited-calls.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { ServiceCatalog } from '../catalog/service-catalog.ts';

/**
 * Mutating calls on a service that the production rule below does not cover, and why. Every
 * other mutating call whose input names a `serviceId` is covered: a new one is, by default.
 */
export const notConfirmedInProduction: Readonly<Partial<Record<CallName, string>>> = {
  // the command policy asks, only for commands that change data, for the line exactly as typed
  'commands.run': 'the command policy asks for the command line as typed, only when it changes data',
  'catalog.unregister': "removes a hand-registered entry from this app's own list; nothing in the environment changes",
  'config.reveal': 'shows a secret value (audited); nothing changes',
};

function namesService(name: CallName): boolean {
  const input = contract[name].input as { shape?: Record<string, unknown> };
  return input.shape !== undefined && 'serviceId' in input.shape;
}

/** The mutating calls that, in a production environment, need `confirmation` = the service name. */
export function productionConfirmedCalls(): CallName[] {
  return mutatingCalls().filter((name) => namesService(name) && notConfirmedInProduction[name] === undefined);
}

/** The one production rule: passes outside production, or when `confirmation` repeats `confirmText` exactly. */
export function confirmationMatches(production: boolean, confirmText: string, confirmation: string | undefined): boolean {
  return !production || confirmation === confirmText;
}

export function productionConfirmationMessage(confirmText: string, what: 'service' | 'command' = 'service'): string {
  return what === 'command'
    ? `This command changes data in a production environment. To run it, type the command exactly as you entered it: ${confirmText}`
    : `This changes a production environment. To go ahead, type the service name: ${confirmText}`;
}

/** Outside production a data-changing command asks plainly (the window's confirm), naming it. */
export function plainConfirmationMessage(line: string): string {
  return `This command changes data. Run it? ${line}`;
}

export class ProductionConfirmationNeeded extends AppError {
  readonly confirmText: string;

  constructor(confirmText: string) {
    super('INVALID_INPUT', productionConfirmationMessage(confirmText), { reason: productionConfirmationReason, confirmText }, { key: 'productionConfirmation', params: { confirmText } });
    this.confirmText = confirmText;
  }
}

export interface ProductionConfirmationPorts {
  readonly catalog: Pick<ServiceCatalog, 'resolve'>;
  readonly trail: Pick<AuditTrail, 'refused'>;
}

/**
 * The router's gate, before any handler runs: a covered call on a service in a production
 * environment without the typed service name is refused and audited (outcome refused, reason
 * production-confirmation). Calls whose answer has a `needs-confirmation` form get that answer;
 * the others an INVALID_INPUT error whose details carry the reason and the text to type.
 */
export function productionConfirmationGate(ports: ProductionConfirmationPorts) {
  const covered = new Set(productionConfirmedCalls());
  return async (name: CallName, input: unknown, run: () => unknown): Promise<unknown> => {
    if (!covered.has(name)) return run();
    const fields = input as { serviceId: string; confirmation?: string };
    let service: ReturnType<ProductionConfirmationPorts['catalog']['resolve']>;
    try {
      service = ports.catalog.resolve(fields.serviceId);
    } catch {
      return run(); // an unknown service: the handler refuses it in its own words
    }
    if (confirmationMatches(service.environment.production, service.name, fields.confirmation)) return run();
    const refusal = new ProductionConfirmationNeeded(service.name);
    const intent = intentFor(name, input);
    await ports.trail.refused({ ...intent, target: service.name, environmentId: service.environment.id, details: { ...intent.details, reason: productionConfirmationReason } }, refusal);
    const answer = { status: 'needs-confirmation', confirmText: refusal.confirmText, message: refusal.message };
    if (contract[name].output.safeParse(answer).success) return answer;
    throw refusal;
  };
}

/** What the router wraps every call in: the production gate inside the audit trail's refusal rows. */
export function guardedCalls(trail: AuditTrail, catalog: Pick<ServiceCatalog, 'resolve'>) {
  const refusals = auditRefusedCalls(trail);
  const production = productionConfirmationGate({ catalog, trail });
  return (name: CallName, input: unknown, run: () => unknown) => refusals(name, input, () => production(name, input, run));
}
