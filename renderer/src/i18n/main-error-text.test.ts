import { describe, expect, it } from 'vitest';
import { AppError, errorBodySchema, type MessageText } from '../../../shared/errors.ts';
import { ko } from './ko.ts';
import { hangul, received, translator } from './main-error-test-support.ts';
import { mainErrorText } from './main-error-text.ts';

describe('messages main sends as keys', () => {
  it('the key and parameters survive the envelope', () => {
    const body = new AppError('INVALID_INPUT', 'English', { reason: 'x' }, { key: 'productionConfirmation', params: { confirmText: 'svc-a' } }).toBody();
    expect(errorBodySchema.parse(body)).toEqual({ code: 'INVALID_INPUT', message: 'English', details: { reason: 'x' }, messageKey: 'productionConfirmation', params: { confirmText: 'svc-a' } });
  });

  it('an error without a key has no key in its body', () => {
    expect(new AppError('NOT_FOUND', 'gone').toBody()).toEqual({ code: 'NOT_FOUND', message: 'gone' });
  });

  const serviceNames = ['payments-api', 'svc_7', 'web-ä', 'a'];
  for (const name of serviceNames) {
    it(`production confirmation for "${name}" is Korean with the service name in a Korean window, main's English in an English one`, () => {
      const error = new AppError('INVALID_INPUT', `This changes a production environment. To go ahead, type the service name: ${name}`, undefined, { key: 'productionConfirmation', params: { confirmText: name } });
      const korean = mainErrorText(received(error), translator('ko'));
      expect(korean).toMatch(hangul);
      expect(korean).toContain(name);
      expect(mainErrorText(received(error), translator('en'))).toBe(error.message);
    });
  }

  for (const permission of ['logs', 'commands', 'management'] as const) {
    for (const [whyKey, extra] of [['productionDefault', {}], ['policy', {}], ['policyError', {}], ['rbac', { namespace: 'team-b' }]] as const) {
      it(`permission refusal ${permission}/${whyKey} renders its reason in Korean`, () => {
        const error = new AppError('PERMISSION_DENIED', 'You do not have permission…', undefined, { key: `permissionDenied.${permission}`, params: { environment: 'prod-east', whyKey, ...extra } });
        const korean = mainErrorText(received(error), translator('ko'));
        expect(korean).toMatch(hangul);
        expect(korean).toContain('"prod-east"');
        expect(korean).not.toContain('{');
        expect(korean).toContain(ko.mainErrors.permissionWhy[whyKey].replace(/\{(\w+)\}/g, (_, name: string) => (name === 'environment' ? 'prod-east' : 'team-b')));
      });
    }
  }

  it('HPA lock, blocked command, SSH and Kubernetes unreachable render in Korean with their parameters', () => {
    const cases: [MessageText, string][] = [
      [{ key: 'hpaLocked', params: { hpa: 'web-hpa' } }, 'web-hpa'],
      [{ key: 'blockedCommand', params: { rule: 'shell-syntax' } }, 'shell-syntax'],
      [{ key: 'sshUnreachable', params: { host: 'ops@10.0.0.9:2222', reason: 'ECONNREFUSED' } }, 'ops@10.0.0.9:2222'],
      [{ key: 'sshHandshakeTimeout', params: { host: 'bastion:22' } }, 'bastion:22'],
      [{ key: 'operations.kube.unreachable', params: { detail: 'connect ECONNREFUSED 127.0.0.1:6443', doingKey: 'listNamespaces' } }, '127.0.0.1:6443'],
      [{ key: 'operations.kube.timeout', params: { doingKey: 'readPod', pod: 'shop/web-1' } }, 'Pod shop/web-1 조회 중에'],
      [{ key: 'engineUnreachable', params: { detail: 'connect ENOENT /run/docker.sock' } }, '/run/docker.sock'],
      [{ key: 'policyChanged', params: { path: '/etc/kiops/policy.yaml' } }, '/etc/kiops/policy.yaml'],
      [{ key: 'policyReadOnly', params: { path: '/etc/kiops/policy.yaml' } }, '/etc/kiops/policy.yaml'],
    ];
    for (const [text, shown] of cases) {
      const korean = mainErrorText(received(new AppError('CONFLICT', 'english', undefined, text)), translator('ko'));
      expect(korean, text.key).toMatch(hangul);
      expect(korean, text.key).toContain(shown);
    }
  });

  it('an unknown key, or an unknown reason key, falls back to main\'s English text, never the key', () => {
    expect(mainErrorText(received(new AppError('CONFLICT', 'The English text', undefined, { key: 'noSuchMessage' })), translator('ko'))).toBe('The English text');
    expect(mainErrorText(received(new AppError('PERMISSION_DENIED', 'The English text', undefined, { key: 'permissionDenied.logs', params: { environment: 'e', whyKey: 'nope' } })), translator('ko'))).toBe('The English text');
    expect(mainErrorText({ message: 'Plain' }, translator('ko'))).toBe('Plain');
  });
});
