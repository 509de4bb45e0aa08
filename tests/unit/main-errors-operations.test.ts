import { describe, expect, it } from 'vitest';
import { previewOf } from '../../electron/main/operations/changes/change-preview.ts';
import { doing, kubernetesError } from '../../electron/main/operations/kubernetes/kube-errors.ts';
import { changePreviewSchema } from '../../shared/contract/changes.ts';
import { AppError } from '../../shared/errors.ts';
import { mainLines } from '../../renderer/src/i18n/main-lines.ts';
import { mainErrorText } from '../../renderer/src/i18n/main-error-text.ts';
import { hangul, received, translator } from '../../renderer/src/i18n/main-error-test-support.ts';

// The scan that every AppError is keyed is tests/unit/main-errors-keyed.test.ts; these render real ones.

describe('Kubernetes API failures, from the real mapper, in a Korean window', () => {
  const korean = translator('ko');
  const english = translator('en');
  const names = ['web 1', '결제', 'café', 'x'];
  for (const status of [401, 403, 404, 409, 410, 400, 422, 429, 500, 503, 418]) {
    it(`HTTP ${status}: Korean with the server's own words, English as main wrote it`, () => {
      for (const name of names) {
        const error = Object.assign(new Error('HTTP-Code'), { code: status, body: JSON.stringify({ reason: 'Forbidden', message: `pods "${name}" is forbidden: User "viewer" cannot delete` }) });
        const mapped = received(kubernetesError(error, doing('deletePod', { pod: `team-b/${name}` })));
        const shown = mainErrorText(mapped, korean);
        expect(shown).toMatch(hangul);
        expect(shown).toContain(`pods "${name}" is forbidden`);
        expect(mainErrorText(mapped, english)).toBe(mapped.message);
      }
    });
  }
});

describe('a refused change preview, from the real preview builder, in a Korean window', () => {
  const korean = translator('ko');
  const english = translator('en');
  for (const name of ['web-hpa', '결제 hpa', 'ä']) {
    it(`the refusal reads as Korean and keeps "${name}"; English as main wrote it`, async () => {
      const refusals = [
        new AppError('CONFLICT', `Manual scaling is locked while an HPA is active; delete the HPA first. (HPA "${name}" scales default/web.)`, undefined, { key: 'hpaLocked', params: { hpa: name } }),
        kubernetesError(Object.assign(new Error('HTTP-Code'), { code: 422, body: JSON.stringify({ reason: 'Invalid', message: `HorizontalPodAutoscaler "${name}" is invalid` }) }), doing('previewHpa', { hpa: `default/${name}` })),
      ];
      for (const refusal of refusals) {
        const preview = changePreviewSchema.parse(JSON.parse(JSON.stringify(await previewOf('default/deployment/web', () => Promise.reject(refusal)))));
        expect(preview.errors).toEqual([refusal.message]);
        const [shown] = mainLines(preview.errors, preview.errorTexts, korean);
        expect(shown).toMatch(hangul);
        expect(shown).toContain(name);
        expect(mainLines(preview.errors, preview.errorTexts, english)).toEqual([refusal.message]);
      }
    });
  }
});
