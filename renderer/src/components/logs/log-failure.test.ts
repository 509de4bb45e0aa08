import { describe, expect, it } from 'vitest';
import { logFailureCause } from './log-failure.ts';

describe('log fetch failures', () => {
  it('name the cause the operator can act on', () => {
    expect(logFailureCause({ code: 'PERMISSION_DENIED', message: 'Error from server (Forbidden): pods "web-1" is forbidden: User "nobody" cannot get resource "pods/log"' })).toBe('permission');
    expect(logFailureCause({ code: 'NOT_FOUND', message: 'Error from server (NotFound): pods "web-1" not found' })).toBe('pod-gone');
    expect(logFailureCause({ code: 'NOT_FOUND', message: 'Pod web-1 is not part of Deployment shop/web; reload the targets.' })).toBe('pod-gone');
    expect(logFailureCause({ code: 'NOT_FOUND', message: 'Pod web-1 has no container "sidecar" (it has web); reload the targets.' })).toBe('container-gone');
    expect(logFailureCause({ code: 'INVALID_INPUT', message: 'Error from server (BadRequest): previous terminated container "web" in pod "web-1" not found' })).toBe('no-previous');
    expect(logFailureCause({ code: 'INVALID_INPUT', message: 'Error from server (BadRequest): container "web" in pod "web-1" is waiting to start: ContainerCreating' })).toBe('not-started');
    expect(logFailureCause({ code: 'INVALID_INPUT', message: 'Error from server (BadRequest): container sidecar is not valid for pod web-1' })).toBe('container-gone');
    expect(logFailureCause({ code: 'UNREACHABLE', message: 'Cannot reach the Kubernetes API server' })).toBe('other');
    expect(logFailureCause({ code: 'UNEXPECTED', message: undefined })).toBe('other');
  });
});
