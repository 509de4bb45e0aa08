// A throwaway PKI made with the openssl CLI: a CA, a serving certificate for 127.0.0.1 and
// localhost, and one client certificate per certificate-authenticated test user (CN = user,
// O = groups, the way kube-apiserver reads client certificates).

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

export interface TestPki {
  caPem: string;
  server: CertificatePair;
  clients: Map<string, CertificatePair>;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function issue(dir: string, name: string, subject: string, extensions: string): Promise<CertificatePair> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const crt = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, extensions);
  await run('openssl', ['req', ...EC_KEY, '-keyout', key, '-out', csr, '-subj', subject]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-set_serial', String(Date.now() + Math.floor(Math.random() * 1e6)), '-out', crt, '-days', '365', '-extfile', ext]);
  return { certPem: await readFile(crt, 'utf8'), keyPem: await readFile(key, 'utf8') };
}

function subjectFor(user: string, groups: string[]): string {
  const escape = (value: string): string => value.replace(/[/\\]/g, (char) => `\\${char}`);
  return `/CN=${escape(user)}${groups.map((group) => `/O=${escape(group)}`).join('')}`;
}

export async function createTestPki(clients: { name: string; groups: string[] }[]): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'kiops-kube-pki-'));
  try {
    await run('openssl', [
      'req', '-x509', ...EC_KEY, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '3650',
      '-subj', '/CN=kiops-test-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    ]);
    const [server, ...issued] = await Promise.all([
      issue(dir, 'server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n'),
      ...clients.map((client, index) => issue(dir, `client-${index}`, subjectFor(client.name, client.groups), 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n')),
    ]);
    const map = new Map<string, CertificatePair>();
    clients.forEach((client, index) => {
      const pair = issued[index];
      if (pair) map.set(client.name, pair);
    });
    if (!server) throw new Error('openssl did not issue the serving certificate');
    return { caPem: await readFile(join(dir, 'ca.crt'), 'utf8'), server, clients: map };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
