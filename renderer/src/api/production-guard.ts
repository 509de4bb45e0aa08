import type { ApiError, KiopsClient } from '../../../shared/contract/client.ts';
import { confirmableCalls, productionConfirmationReason } from '../../../shared/contract/confirmation.ts';
import type { CallName } from '../../../shared/contract/index.ts';
import { ApiError as CancelledError } from '../../../shared/contract/client.ts';
import { askConfirmation, changesOf } from '../composables/use-production-confirm.ts';
import { previewedCall } from './previewed-call.ts';

/** What the window knows about a service from its Operations Modal frame. */
export interface KnownService {
  readonly name: string;
  readonly production: boolean;
}

const known = new Map<string, KnownService>();

/** The operations store tells the guard which services are production, and their names. */
export function rememberService(serviceId: string, service: KnownService): void {
  known.set(serviceId, service);
}

// every mutating call on a service takes `confirmation` (shared/contract/confirmation.ts); commands ask by themselves
const confirmableNames = new Set<string>(confirmableCalls);
function confirmable(name: CallName): boolean {
  return confirmableNames.has(name);
}

function askedFor(error: unknown): string | undefined {
  const details = (error as ApiError | undefined)?.details;
  return details?.reason === productionConfirmationReason && typeof details.confirmText === 'string' ? details.confirmText : undefined;
}

const cancelled = () => new CancelledError('CANCELLED', 'Cancelled: nothing was changed.');

// inputs whose button already asked "are you sure?" (its own pop-confirm or dialog)
const askedByButton = new WeakSet<object>();

/**
 * For an action whose button already asked the operator (a pop-confirm or dialog of its own):
 * pass the input object straight to `api.call` and the guard shows no second plain confirm.
 * Production still asks for the typed service name.
 */
export function askedAlready<T extends object>(input: T): T {
  askedByButton.add(input);
  return input;
}

/**
 * The renderer half of the production rule: a mutating call on a production service first
 * shows ProductionConfirm (what will change, its dry-run diff where `changes.preview` has one,
 * type the service name) and is sent with the typed name. Should main still ask (a frame the
 * window had not seen), the same dialog asks and the call is sent again. Main enforces the rule either way.
 * Outside production the same dialog is a plain confirm (what will happen, on which service),
 * unless the button already asked (`askedAlready`). Cancel sends nothing.
 */
export function guardProductionCalls(client: KiopsClient): KiopsClient {
  const ask = async (name: CallName, input: Record<string, unknown>, confirmText: string): Promise<Record<string, unknown>> => {
    const typed = await askConfirmation({ call: name, changes: changesOf(input), production: true, confirmText, kind: 'service', preview: previewedCall(name, input) });
    if (typed === null) throw cancelled();
    return { ...input, confirmation: typed };
  };
  const askPlainly = async (name: CallName, input: Record<string, unknown>, target: string | undefined): Promise<void> => {
    const answer = await askConfirmation({ call: name, changes: changesOf(input), production: false, confirmText: '', kind: 'service', target, preview: previewedCall(name, input) });
    if (answer === null) throw cancelled();
  };
  return {
    subscribe: (name, input, handlers) => client.subscribe(name, input, handlers),
    async call(name, input) {
      if (!confirmable(name)) return client.call(name, input);
      let fields = input as Record<string, unknown>;
      const service = typeof fields.serviceId === 'string' ? known.get(fields.serviceId) : undefined;
      if (service?.production && fields.confirmation === undefined) fields = await ask(name, fields, service.name);
      else if (fields.confirmation === undefined && !askedByButton.has(fields)) await askPlainly(name, fields, service?.name);
      try {
        const answer = await client.call(name, fields as typeof input);
        const value = answer as { status?: string; confirmText?: string };
        if (value.status !== 'needs-confirmation' || typeof value.confirmText !== 'string') return answer;
        return await client.call(name, (await ask(name, fields, value.confirmText)) as typeof input);
      } catch (error) {
        const confirmText = askedFor(error);
        if (confirmText === undefined) throw error;
        return client.call(name, (await ask(name, fields, confirmText)) as typeof input);
      }
    },
  };
}
