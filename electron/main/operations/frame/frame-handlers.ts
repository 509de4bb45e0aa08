import type { CallHandlers } from '../../ipc/router.ts';
import type { OperationsFrameService } from './operations-frame.ts';

export function operationsFrameHandlers(frame: OperationsFrameService): Pick<CallHandlers, 'operations.describe'> {
  return {
    'operations.describe': ({ serviceId }) => frame.describe(serviceId),
  };
}
