import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Client } from 'ssh2';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectionTestSchema } from '../../shared/contract/environments.ts';
import { callNames } from '../../shared/contract/index.ts';
import type { AppError } from '../../shared/errors.ts';
import { checkPreferences, NoUsableMethod } from '../../electron/main/connections/connection-methods.ts';
import type { ConnectionResolver } from '../../electron/main/connections/connection-resolver.ts';
import { ConnectionTester, describeRuntimeError } from '../../electron/main/connections/connection-tester.ts';
import type { RuntimeAccess } from '../../electron/main/connections/runtime-access.ts';
import { hostOfChain, sshChainOf } from '../../electron/main/connections/host-key-handlers.ts';
import { endpointOf } from '../../electron/main/connections/method-probes.ts';
import { kubeContextOf } from '../../electron/main/connections/runtime-access.ts';
import { checkHostKey } from '../../electron/main/connections/ssh/host-keys.ts';
import { checkPrivateKey, identityFromAgent, identityFromSecrets } from '../../electron/main/connections/ssh/identity.ts';
import { execOnHost } from '../../electron/main/connections/ssh/remote-exec.ts';
import { streamOnHost } from '../../electron/main/connections/ssh/remote-stream.ts';
import { describeSshError, type SshTarget } from '../../electron/main/connections/ssh/ssh-errors.ts';
import type { EnvironmentRecord } from '../../electron/main/environments/environment-repository.ts';
import { createRouter, type CallHandlers, type StreamHandlers } from '../../electron/main/ipc/router.ts';
import { KeychainSecretStore, type KeytarApi } from '../../electron/main/secrets/keychain-secret-store.ts';
import { MemorySecretStore } from '../../electron/main/secrets/memory-secret-store.ts';
import { assertSecretKey, assertSecretValue } from '../../electron/main/secrets/secret-store.ts';
import { newVaultHeader, openVault, parseVaultFile, sealVault } from '../../electron/main/secrets/vault-file.ts';
import { assertMigrationsOrdered, assertNotNewer } from '../../electron/main/storage/migrations.ts';
import { parseStoredRow } from '../../electron/main/storage/stored-row.ts';
import { appErrorOf, expectShownInBothLanguages } from '../../renderer/src/i18n/main-error-test-support.ts';
import { appErrorThrownBy } from '../support/app-errors.ts';

// Main's connection, secret, storage and IPC errors, thrown by the real functions with varied
// names (spaces, non-ASCII, IPv6), shown in a Korean and an English window.

const rejected = appErrorOf;

const shown = (error: AppError) => expectShownInBothLanguages(error, 'connections.');

const targets: SshTarget[] = [
  { host: 'bastion.example', port: 22, username: 'ops' },
  { host: 'fd00::7', port: 2222, username: 'dev ä' },
  { host: '운영-호스트', port: 22, username: '운영자' },
];
const environmentNames = ['prod east', 'payments-ä', '운영 클러스터'];

function environment(name: string, target: 'kubernetes' | 'engine', extra: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  const kube = { kind: 'kubernetes', context: { name: 'ctx', cluster: 'c', user: 'u', server: 'https://10.0.0.1:6443', tokenFile: '/var/run/token ä' } };
  return {
    id: 'env-1',
    name,
    kind: 'kubernetes',
    production: false,
    target: target === 'kubernetes' ? kube : { kind: 'engine', socketPath: '/run/docker.sock' },
    access: { selected: 'auto', methods: ['direct'] },
    secretKeys: [],
    createdAt: '',
    updatedAt: '',
    ...extra,
  } as unknown as EnvironmentRecord;
}

describe('SSH errors in both languages', () => {
  it.each(targets)('login, handshake and other SSH failures for $username@$host', (target) => {
    shown(describeSshError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), target));
    shown(describeSshError(Object.assign(new Error('Bad packet length ä 9'), { level: 'protocol' }), target));
    shown(describeSshError(new Error('socket went away ä'), target));
    shown(describeSshError(undefined, target));
  });

  it.each(targets)('private keys that cannot be used for $username@$host', (target) => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'right one' },
    });
    const missing = appErrorThrownBy(() => checkPrivateKey({ kind: 'private-key', privateKey }, target));
    expect(missing.text?.key).toBe('connections.ssh.passphraseMissing');
    shown(missing);
    const wrong = appErrorThrownBy(() => checkPrivateKey({ kind: 'private-key', privateKey, passphrase: 'wrong ä' }, target));
    expect(wrong.text?.key).toBe('connections.ssh.passphraseWrong');
    shown(wrong);
    shown(appErrorThrownBy(() => checkPrivateKey({ kind: 'private-key', privateKey: 'not a key ä' }, target)));
  });

  it('no agent, a key gone from the keychain', async () => {
    shown(await rejected(() => identityFromAgent({})()));
    shown(await rejected(() => identityFromSecrets({ get: async () => null }, { privateKey: 'ssh/key ä' })()));
  });

  it.each(['bastion:22', '[fd00::7]:2222', '운영-호스트:22'])('changed and unknown host keys of %s', async (hostPort) => {
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), randomBytes(32)]);
    const store = (known: string | null) => ({ get: async () => known, set: async () => {} });
    shown(await rejected(() => checkHostKey(store('SHA256:previous+key/ä'), hostPort, blob, { kind: 'ask' })));
    shown(await rejected(() => checkHostKey(store(null), hostPort, blob, { kind: 'ask' })));
    const mismatch = await rejected(() => checkHostKey(store(null), hostPort, blob, { kind: 'accept', fingerprint: 'SHA256:confirmed' }));
    expect(mismatch.text?.key).toBe('connections.ssh.hostKeyUnknownMismatch');
    shown(mismatch);
  });
});

describe('commands on an SSH host that cannot start, in both languages', () => {
  // An ssh2 client whose exec channel is refused: the pure path from its error to the message.
  const refusingClient = { exec: (_command: string, callback: (error: Error) => void) => callback(new Error('(SSH) Channel open failure: open failed ä')) } as unknown as Client;

  it.each(targets.map((target) => `${target.username}@${target.host}`))('on %s', async (hostLabel) => {
    shown(await rejected(() => execOnHost(refusingClient, ['docker', 'ps'], { deadlineMs: 60_000, maxOutputBytes: 4096, hostLabel })));
    const refused = streamOnHost(refusingClient, ['journalctl', '-f'], { timeLimitMs: 60_000, outputLimitBytes: 4096, hostLabel });
    shown(await rejected(() => refused.started));
    const unreachable = streamOnHost(Promise.reject(new Error('connect ECONNREFUSED ä')), ['uptime'], { timeLimitMs: 60_000, outputLimitBytes: 4096, hostLabel });
    const error = await rejected(() => unreachable.started);
    expect(error.text?.key).toBe('connections.ssh.hostUnreachable');
    shown(error);
  });
});

describe('connection methods, host keys and connection tests in both languages', () => {
  const host = { host: 'bastion ä', port: 22, username: 'ops', identityId: 'id-1' };

  it('preferences a target does not allow', () => {
    const cases: [Parameters<typeof checkPreferences>[0], Parameters<typeof checkPreferences>[1]][] = [
      ['kubernetes', { selected: 'auto', methods: ['direct', 'direct'] }],
      ['local-engine', { selected: 'auto', methods: ['ssh', 'vpn'] }],
      ['remote-engine', { selected: 'auto', methods: ['direct'] }],
      ['kubernetes', { selected: 'vpn', methods: ['direct'] }],
      ['kubernetes', { selected: 'auto', methods: ['ssh'] }],
      ['local-engine', { selected: 'auto', methods: ['direct'], ssh: host }],
      ['kubernetes', { selected: 'auto', methods: ['vpn'] }],
    ];
    for (const [place, preferences] of cases) shown(appErrorThrownBy(() => checkPreferences(place, preferences)));
  });

  it.each(environmentNames)('environment "%s": not over SSH, a host outside its chain, not a cluster', (name) => {
    shown(appErrorThrownBy(() => sshChainOf(environment(name, 'kubernetes'))));
    const overSsh = environment(name, 'kubernetes', { access: { selected: 'auto', methods: ['ssh'], ssh: { ...host, jumps: [{ host: 'jump ä', port: 2200, username: 'j' }] } } } as Partial<EnvironmentRecord>);
    shown(appErrorThrownBy(() => hostOfChain(overSsh, 'elsewhere:22')));
    shown(appErrorThrownBy(() => kubeContextOf(environment(name, 'engine'))));
  });

  it.each(environmentNames)('connection test failures of "%s", cluster and engine', (name) => {
    for (const target of ['kubernetes', 'engine'] as const) {
      const env = environment(name, target);
      for (const failure of [{ statusCode: 401 }, { statusCode: 403 }, { statusCode: 502 }, { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, { code: 'ECONNREFUSED' }, new Error('socket hang up ä')]) {
        shown(describeRuntimeError(failure, env));
      }
    }
    const noTokenFile = environment(name, 'kubernetes', { target: { kind: 'kubernetes', context: { name: 'c', cluster: 'c', user: 'u', server: 'https://k:6443' } } } as unknown as Partial<EnvironmentRecord>);
    shown(describeRuntimeError({ statusCode: 401 }, noTokenFile));
  });

  it('a server address that is not a URL keeps the credentials masked', () => {
    const error = appErrorThrownBy(() => endpointOf('https://user:secret@[bad ä'));
    expect(JSON.stringify(error.toBody())).not.toContain('secret');
    shown(error);
  });

  it.each(environmentNames)('the connection test of "%s" reports its failure with the key, through the contract', async (name) => {
    const primary = describeSshError(Object.assign(new Error('denied'), { level: 'client-authentication' }), targets[2] as SshTarget);
    const attempts = [{ method: 'ssh' as const, healthy: false, reason: primary.message }, { method: 'direct' as const, healthy: false, reason: 'refused' }];
    const noMethod = { resolve: async () => Promise.reject(new NoUsableMethod(primary, attempts, 'ssh')), markFailed: () => {} } as unknown as ConnectionResolver;
    const chosen = { resolve: async () => ({ method: 'direct', reason: 'first', attempts: [] }), markFailed: () => {} } as unknown as ConnectionResolver;
    const refusing = { kubernetes: async () => Promise.reject(Object.assign(new Error('Unauthorized'), { statusCode: 401 })) } as unknown as RuntimeAccess;
    for (const tester of [new ConnectionTester(refusing, noMethod), new ConnectionTester(refusing, chosen)]) {
      const result = connectionTestSchema.parse(await tester.test(environment(name, 'kubernetes')));
      expect(result.state).toBe('error');
      if (result.state === 'error') expectShownInBothLanguages(result.error, 'connections.');
    }
  });

  it('when no method works, a Korean window shows the primary failure in Korean', () => {
    const primary = describeSshError(Object.assign(new Error('denied'), { level: 'client-authentication' }), targets[1] as SshTarget);
    const failure = new NoUsableMethod(primary, [{ method: 'ssh', healthy: false, reason: primary.message }, { method: 'vpn', healthy: false, reason: 'VPN down' }], 'ssh');
    expect(failure.message).toContain('No connection method works.');
    expect(failure.toBody().messageKey).toBe('connections.ssh.loginRefused');
    expect(failure.toBody().params).toEqual(primary.toBody().params);
  });
});

describe('secrets in both languages', () => {
  it.each(['bad key ä', '', 'x'.repeat(300)])('a secret key that is not allowed: %#', (key) => {
    shown(appErrorThrownBy(() => assertSecretKey(key)));
  });

  it('an empty secret, a switched-off test keychain, a damaged or foreign vault, a wrong passphrase', async () => {
    shown(appErrorThrownBy(() => assertSecretValue('db/password ä', '')));
    shown(await rejected(() => new MemorySecretStore({ available: false }).get('x')));
    shown(appErrorThrownBy(() => parseVaultFile('{not json')));
    shown(appErrorThrownBy(() => parseVaultFile('{"format":"other ä"}')));
    const sealed = parseVaultFile(sealVault(randomBytes(32), newVaultHeader(), new Map([['a', 'b']])));
    shown(appErrorThrownBy(() => openVault(randomBytes(32), sealed)));
  });

  it('each keychain operation that fails says which, with what the keychain said', async () => {
    const refuse = () => Promise.reject(new Error('Cannot autolaunch D-Bus ä'));
    const keytar: KeytarApi = { getPassword: refuse, setPassword: refuse, deletePassword: refuse, findCredentials: refuse };
    const store = new KeychainSecretStore({ service: 'kiops-test', keytar });
    for (const operation of [() => store.set('k', 'v'), () => store.get('k'), () => store.delete('k'), () => store.list('k')]) shown(await rejected(operation));
    shown(appErrorThrownBy(() => new KeychainSecretStore({ service: '', keytar })));
  });
});

describe('storage and IPC in both languages', () => {
  it.each([['environments', 'env ä'], ['settings', 42]] as const)('a damaged %s row', (table, key) => {
    shown(appErrorThrownBy(() => parseStoredRow(z.object({ a: z.number() }), { a: 'x' }, { table, key })));
  });

  it('migrations out of order, a data file from a newer app', () => {
    shown(appErrorThrownBy(() => assertMigrationsOrdered([{ version: 2, name: 'add ä', up: () => {} }] as unknown as Parameters<typeof assertMigrationsOrdered>[0])));
    const db = new Database(':memory:');
    try {
      db.pragma('user_version = 7');
      shown(appErrorThrownBy(() => assertNotNewer(db, [], 'kiops 데이터.sqlite')));
    } finally {
      db.close();
    }
  });

  it('refused, unknown and malformed requests', async () => {
    const calls = Object.fromEntries(callNames.map((name) => [name, () => undefined])) as unknown as CallHandlers;
    const router = createRouter({ calls, streams: {} as StreamHandlers, isTrustedSender: (s) => s.origin === 'test', logger: { error: () => {}, warn: () => {} } });
    const bodies = [
      await router.invoke('no such call ä', {}, { transport: 'memory', origin: 'test' }),
      await router.invoke(callNames[0], {}, { transport: 'memory', origin: 'elsewhere' }),
      await router.invoke(callNames[0], { unexpectedField: true }, { transport: 'memory', origin: 'test' }),
    ];
    for (const reply of bodies) {
      expect(reply.ok).toBe(false);
      if (!reply.ok) expectShownInBothLanguages(reply.error, 'connections.ipc.');
    }
  });
});
