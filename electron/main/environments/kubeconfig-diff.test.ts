import { describe, expect, it } from 'vitest';
import { contextChanges, contextListChanges } from './kubeconfig-diff.ts';
import { importContext } from './kubeconfig-import.ts';
import { parseKubeconfig } from './kubeconfig/index.ts';

interface Shape {
  server: string;
  cluster: string;
  user: string;
  namespace?: string;
  token: string;
  proxy?: string;
  ca: string;
  exec?: string;
  oidc?: { idToken: string; refreshToken: string; clientSecret: string };
}

const base: Shape = { server: 'https://api.example:6443', cluster: 'c1', user: 'u1', namespace: 'shop', token: 'TOKEN-AAAA', ca: 'Q0E=' };

function kubeconfig(shape: Shape): string {
  const user = shape.oidc
    ? `    auth-provider:\n      name: oidc\n      config:\n        idp-issuer-url: https://issuer.example\n        client-id: kiops\n        client-secret: ${shape.oidc.clientSecret}\n        id-token: ${shape.oidc.idToken}\n        refresh-token: ${shape.oidc.refreshToken}`
    : shape.exec
      ? `    exec:\n      command: ${shape.exec}`
      : `    token: ${shape.token}`;
  return [
    'clusters:',
    `- name: ${shape.cluster}`,
    '  cluster:',
    `    server: ${shape.server}`,
    `    certificate-authority-data: ${shape.ca}`,
    ...(shape.proxy ? [`    proxy-url: ${shape.proxy}`] : []),
    'users:',
    `- name: ${shape.user}`,
    '  user:',
    user,
    'contexts:',
    `- name: work`,
    `  context: { cluster: ${shape.cluster}, user: ${shape.user}${shape.namespace ? `, namespace: ${shape.namespace}` : ''} }`,
    '',
  ].join('\n');
}

const imported = (shape: Shape) => importContext(parseKubeconfig(kubeconfig(shape), '/home/u/.kube/config'), 'work', ['/home/u/.kube/config']);

function diff(before: Shape, after: Shape) {
  const stored = imported(before);
  return contextChanges(stored.metadata, stored.credentials, imported(after));
}

describe('what changed in a kubeconfig file for one imported context', () => {
  it('finds nothing when the file says the same', () => {
    expect(diff(base, { ...base })).toEqual([]);
  });

  // one field at a time, each with values shown or hidden as the banner shows them
  const variants: Array<[string, Partial<Shape>, { field: string; before?: string; after?: string }]> = [
    ['a new server', { server: 'https://api2.example:6443' }, { field: 'server', before: 'https://api.example:6443', after: 'https://api2.example:6443' }],
    ['another cluster entry', { cluster: 'c2' }, { field: 'cluster', before: 'c1', after: 'c2' }],
    ['another user entry', { user: 'u2' }, { field: 'user', before: 'u1', after: 'u2' }],
    ['another namespace', { namespace: 'billing' }, { field: 'namespace', before: 'shop', after: 'billing' }],
    ['no namespace any more', { namespace: undefined }, { field: 'namespace', before: 'shop' }],
    ['a rotated token', { token: 'TOKEN-BBBB' }, { field: 'credentials' }],
    ['a new CA', { ca: 'Q0EtMg==' }, { field: 'tls' }],
    ['an exec plugin instead of a token', { exec: 'aws' }, { field: 'exec' }],
    ['a proxy with a password', { proxy: 'http://bob:pw-PROXY@proxy.example:3128' }, { field: 'proxy', after: 'http://***@proxy.example:3128' }],
  ];
  for (const [what, change, expected] of variants) {
    it(`shows ${what}`, () => {
      const fields = diff(base, { ...base, ...change });
      expect(fields).toContainEqual(expected);
      expect(JSON.stringify(fields)).not.toMatch(/TOKEN-|pw-PROXY|Q0E/);
    });
  }

  it('keeps a namespace the user chose in the app as their setting, not a change of the file', () => {
    const stored = imported(base);
    const edited = { ...stored.metadata, namespace: 'picked-in-app' };
    expect(contextChanges(edited, stored.credentials, imported(base))).toEqual([]);
  });

  it('does not count OIDC tokens the app rotated itself, but does count a new client secret', () => {
    const oidc = { idToken: 'ID-1', refreshToken: 'REFRESH-1', clientSecret: 'SECRET-1' };
    const rotated = { ...base, oidc: { ...oidc, idToken: 'ID-2', refreshToken: 'REFRESH-2' } };
    const stored = imported({ ...base, oidc });
    expect(contextChanges(stored.metadata, rotated.oidc ? imported(rotated).credentials : undefined, imported({ ...base, oidc }))).toEqual([]);
    expect(diff({ ...base, oidc }, { ...base, oidc: { ...oidc, clientSecret: 'SECRET-2' } })).toEqual([{ field: 'credentials' }]);
  });

  it('lists the contexts a file gained and lost since the import', () => {
    expect(contextListChanges(['a', 'b', 'c'], ['b', 'c', 'd', 'e'])).toEqual({ addedContexts: ['d', 'e'], removedContexts: ['a'] });
    expect(contextListChanges(['a'], ['a'])).toEqual({ addedContexts: [], removedContexts: [] });
  });
});
