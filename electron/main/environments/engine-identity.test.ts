import { describe, expect, it } from 'vitest';
import { engineKindOf, type EngineAnswers } from './engine-identity.ts';
import { whereOf } from '../../../shared/message-params.ts';

const podmanVersion = { Platform: { Name: 'linux/amd64/debian-12' }, Components: [{ Name: 'Podman Engine' }, { Name: 'Conmon' }], Version: '4.3.1' };
const dockerVersion = { Platform: { Name: '' }, Components: [{ Name: 'Engine' }, { Name: 'containerd' }, { Name: 'runc' }], Version: '20.10.24' };

describe('engineKindOf: Docker or Podman from the API answers, never the path', () => {
  it.each<[string, EngineAnswers, 'docker' | 'podman']>([
    ['Podman 4 (component and libpod ping)', { version: podmanVersion, libpodPing: 200 }, 'podman'],
    ['Podman whose /version is unreadable but /libpod/_ping answers', { version: null, libpodPing: 200 }, 'podman'],
    ['Podman named only in the platform', { version: { Platform: { Name: 'Podman Engine' }, Components: [] }, libpodPing: 404 }, 'podman'],
    ['Podman component in another case', { version: { Components: [{ Name: 'podman engine' }] }, libpodPing: null }, 'podman'],
    ['Debian dockerd (empty platform, Engine component)', { version: dockerVersion, libpodPing: 404 }, 'docker'],
    ['Docker CE (platform "Docker Engine - Community")', { version: { Platform: { Name: 'Docker Engine - Community' }, Components: [{ Name: 'Engine' }] }, libpodPing: 404 }, 'docker'],
    ['Docker Desktop platform without components', { version: { Platform: { Name: 'Docker Desktop 4.30.0 (149282)' } }, libpodPing: null }, 'docker'],
  ])('%s', (_label, answers, expected) => {
    expect(engineKindOf(answers, whereOf('socket', '/x')).kind).toBe(expected);
  });

  it.each<[string, EngineAnswers, string]>([
    ['a containerd-like answer', { version: { Components: [{ Name: 'containerd' }], Platform: { Name: 'other' } }, libpodPing: 404 }, '(components "containerd", platform "other")'],
    ['no /version at all', { version: null, libpodPing: 404 }, '(no /version answer)'],
    ['an empty JSON object', { version: {}, libpodPing: null }, '(no engine components)'],
  ])('refuses %s, saying what it answered', (_label, answers, said) => {
    expect(() => engineKindOf(answers, whereOf('socket', '/x'))).toThrow(`The socket /x answered, but as neither Docker nor Podman ${said}.`);
  });

  it('keeps the version the engine reported', () => {
    expect(engineKindOf({ version: podmanVersion, libpodPing: 200 }, whereOf('socket', 'x'))).toEqual({ kind: 'podman', version: '4.3.1' });
  });
});
