import { describe, expect, it } from 'vitest';
import { openAuditTestBench } from '../../electron/main/audit/audit-test-kit.ts';
import { saveSecretsThenRow } from '../../electron/main/environments/secrets-then-row.ts';
import { EngineDomains } from '../../electron/main/operations/domains/engine-domains.ts';
import { doing, kubernetesError } from '../../electron/main/operations/kubernetes/kube-errors.ts';
import { MemorySecretStore } from '../../electron/main/secrets/memory-secret-store.ts';
import type { AppError, MessageText } from '../../shared/errors.ts';
import { labelOf, nestedListParams, nestedParams, subjectPhrases, whereOf } from '../../shared/message-params.ts';
import { ko } from '../../renderer/src/i18n/ko.ts';
import { mainErrorText, renderedParams } from '../../renderer/src/i18n/main-error-text.ts';
import { appErrorOf, englishProse, hangul, received, translator } from '../../renderer/src/i18n/main-error-test-support.ts';

// Prose main writes into another message's parameters (what a message is about, another message
// inside it, a list of places) reaches a Korean window in Korean; main's English stays as it was.

const korean = translator('ko');
const english = translator('en');
const names = ['prod east', '운영 클러스터', 'web-ä', 'a'];
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string).sort();

/** Main's English of a keyed message is the English key rendered with its parameters; the Korean has none of the English prose it nests. */
function expectNestedInKorean(error: AppError): string {
  const window = received(error);
  const params = window.text?.params ?? {};
  expect(english.render(`mainErrors.${window.text?.key ?? ''}`, renderedParams(window.text ?? { key: '' }, english) ?? {})).toBe(error.message);
  expect(mainErrorText(window, english)).toBe(error.message);
  const shown = mainErrorText(window, korean);
  expect(shown).toMatch(hangul);
  expect(shown).not.toMatch(/[{}]/);
  for (const [name, value] of Object.entries(params)) if (`${name}Key` in params || `${name}Items` in params) expect(shown, `${name} in Korean`).not.toContain(String(value));
  return shown;
}

describe('subject phrases (environment "x", The socket /x), in both languages', () => {
  const entries = Object.entries(subjectPhrases).flatMap(([slot, table]) => Object.entries(table).map(([key, phrase]) => [slot, key, phrase] as const));
  it.each(entries)('%s.%s: Korean with the same names and no English prose', (slot, key, phrase) => {
    const koreanPhrase = (ko.mainErrors as unknown as Record<string, Record<string, string | undefined>>)[slot]?.[key] ?? '';
    expect(koreanPhrase).toMatch(hangul);
    expect(placeholders(koreanPhrase)).toEqual(placeholders(phrase));
    for (const name of names) {
      const params = Object.fromEntries(placeholders(phrase).map((placeholder) => [placeholder, `/${name}/${placeholder}`]));
      expect(englishProse(korean.render(`mainErrors.${slot}.${key}`, params), params)).toEqual([]);
    }
  });

  it.each(names)('labelOf and whereOf write exactly the English key (%s)', (name) => {
    for (const subject of [labelOf('environment', name), labelOf('context', name), whereOf('socket', `/run/${name}`), whereOf('dockerDaemon', `tcp://${name}:2375`), whereOf('engineSocket', `/run/${name}`), whereOf('engineSocketOn', `/run/${name}`, `ops@${name}`)]) {
      expect(english.render(`mainErrors.${subject.slot}.${subject.key}`, subject.params)).toBe(subject.english);
    }
  });
});

describe('a message inside another, from the real main code', () => {
  it.each(names)('"Nothing was saved" around the keychain\'s own refusal reads in Korean (%s)', async (name) => {
    const store = new MemorySecretStore();
    // The keychain answers its status, then is switched off before the write (a locked screen, a killed daemon).
    const keychain = Object.assign(Object.create(store) as MemorySecretStore, {
      status: async () => ({ available: true }),
      set: async (key: string, value: string) => {
        store.setAvailable(false);
        await store.set(key, value);
      },
    });
    const error = await appErrorOf(() => saveSecretsThenRow(keychain, [[`environment/${name.length}/kubeconfig`, 'secret']], () => 1));
    expect(error.message).toBe('Nothing was saved: The in-memory test keychain is switched off.');
    const shown = expectNestedInKorean(error);
    expect(shown).toContain(ko.mainErrors.connections.secrets.testKeychainOff);
  });

  it.each(names)('an action whose failure could not be audited: the action\'s own error reads in Korean (%s)', async (name) => {
    const bench = await openAuditTestBench();
    try {
      const failure = kubernetesError(Object.assign(new Error('HTTP-Code'), { code: 503, body: JSON.stringify({ reason: 'ServiceUnavailable', message: `etcd ${name} is down` }) }), doing('deletePod', { pod: `shop/${name}` }));
      const error = await appErrorOf(() =>
        bench.trail.audited({ action: 'pods.delete', target: `shop/${name}` }, () => {
          bench.secrets.setAvailable(false);
          throw failure;
        }),
      );
      expect(error.text?.key).toBe('environments.audit.failureNotRecorded');
      expect(error.message).toContain(`failed (${failure.message})`);
      const shown = expectNestedInKorean(error);
      expect(shown).toContain(`Pod shop/${name} 삭제 중에`);
    } finally {
      bench.secrets.setAvailable(true);
      await bench.trail.whenAnchored().catch(() => undefined);
      bench.dispose();
    }
  });
});

describe('an audit trail that cannot record, from the real trail', () => {
  it.each(names)('refuses in Korean, and says the keychain\'s own refusal in Korean too (%s)', async (name) => {
    const bench = await openAuditTestBench({ secrets: new MemorySecretStore({ available: false }) });
    try {
      const error = await appErrorOf(() => bench.trail.audited({ action: 'pods.delete', target: `shop/${name}` }, () => undefined));
      expect(error.text?.key).toBe('environments.audit.keyProblem.keychainUnavailable');
      expect(error.message).toContain('The in-memory test keychain is switched off.');
      expect(expectNestedInKorean(error)).toContain(ko.mainErrors.connections.secrets.testKeychainOff);
    } finally {
      bench.dispose();
    }
  });
});

describe('a nested message the window does not know (a newer main)', () => {
  it('keeps main\'s English in its place; the sentence around it is still Korean', () => {
    const params = { ...nestedParams('detail', 'Something new went wrong.', { key: 'environments.noSuchMessageYet', params: { x: 1 } }) };
    const shown = mainErrorText({ message: 'Nothing was saved: Something new went wrong.', text: { key: 'environments.keychain.nothingSaved', params } }, korean);
    expect(shown).toBe(korean.render('mainErrors.environments.keychain.nothingSaved', { detail: 'Something new went wrong.' }));
    expect(shown).toMatch(hangul);
  });
});

describe('the places main looked for a reverse proxy, in the window\'s language', () => {
  it.each(names)('each place is said in Korean, joined as main joins them (%s)', (host) => {
    const places: { english: string; text: MessageText & { params: Record<string, string | number> } }[] = [
      { english: 'Caddy admin API at http://127.0.0.1:2019', text: { key: 'operations.domains.lookedFor.caddy', params: { url: 'http://127.0.0.1:2019' } } },
      { english: `Caddy admin API at http://127.0.0.1:2019 on ${host} (through SSH)`, text: { key: 'operations.domains.lookedFor.caddyThroughSsh', params: { url: 'http://127.0.0.1:2019', host } } },
      { english: 'a running Traefik container on this podman engine', text: { key: 'operations.domains.lookedFor.traefik', params: { engine: 'podman' } } },
    ];
    for (const place of places) expect(english.render(`mainErrors.${place.text.key}`, place.text.params)).toBe(place.english);
    const params = { environment: host, ...nestedListParams('lookedFor', places) };
    const shown = mainErrorText({ message: 'English', text: { key: 'operations.domains.noProxy', params } }, korean);
    expect(shown).toMatch(hangul);
    expect(shown).not.toContain('Caddy admin API at');
    expect(shown).not.toContain('a running Traefik container');
    expect(shown).toContain(places.map((place) => korean.render(`mainErrors.${place.text.key}`, place.text.params)).join('; '));
  });

  it.each(names)('a real "No reverse proxy found" from the domain service says each place in Korean (%s)', async (name) => {
    // Nothing answers on 127.0.0.1:1, and the engine runs no container: no Caddy, no Traefik.
    const domains = new EngineDomains({ trail: { audited: (_intent: unknown, action: () => unknown) => action() } as never, caddyAdminUrls: ['http://127.0.0.1:1'], remoteCaddyAdminUrls: [], sshSocksUrl: async () => null });
    const target = { service: { name, environment: { id: 'env-1', name, target: { kind: 'engine', socketPath: '/run/podman.sock' }, access: {} } }, engine: { kind: 'podman', docker: { listContainers: async () => [] } } };
    const error = await appErrorOf(() => domains.preview(target as never, [], { action: 'add', host: 'shop.example', path: '/' } as never));
    expect(error.text?.key).toBe('operations.domains.noProxy');
    expect(error.message).toContain('(looked for Caddy admin API at http://127.0.0.1:1; a running Traefik container on this podman engine)');
    const shown = expectNestedInKorean(error);
    expect(shown).toContain(`${korean.render('mainErrors.operations.domains.lookedFor.caddy', { url: 'http://127.0.0.1:1' })}; ${korean.render('mainErrors.operations.domains.lookedFor.traefik', { engine: 'podman' })}`);
  });
});
