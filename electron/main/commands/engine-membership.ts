/**
 * Which engine objects a Docker/Podman command may name: the service's own containers and the
 * images, volumes and networks those containers use (the catalog's membership), resolved the way
 * the engine resolves a word — full id, name (or image reference), then a unique id prefix.
 * A word that resolves to another service's object, to nothing, or ambiguously is refused.
 */
export interface EngineObjects {
  readonly containers: readonly { readonly id: string; readonly names: readonly string[]; readonly member: boolean }[];
  readonly images: readonly { readonly id: string; readonly refs: readonly string[]; readonly member: boolean }[];
  readonly volumes: readonly { readonly name: string; readonly member: boolean }[];
  readonly networks: readonly { readonly id: string; readonly name: string; readonly member: boolean }[];
}

export type ObjectKind = 'container' | 'image' | 'volume' | 'network';

export type Resolution = { readonly found: 'member' | 'other'; readonly id: string } | { readonly found: 'none' } | { readonly found: 'ambiguous' };

const hex = /^[0-9a-f]+$/;

function byIdOrName<T extends { id: string; member: boolean }>(items: readonly T[], word: string, named: (item: T) => boolean): Resolution {
  const exactId = items.find((item) => item.id === word);
  if (exactId) return { found: exactId.member ? 'member' : 'other', id: exactId.id };
  const byName = items.filter(named);
  if (byName.length === 1) return { found: byName[0]?.member ? 'member' : 'other', id: byName[0]?.id ?? '' };
  if (byName.length > 1) return { found: 'ambiguous' };
  const prefix = word.startsWith('sha256:') ? word.slice(7) : word;
  if (!hex.test(prefix)) return { found: 'none' };
  const byPrefix = items.filter((item) => item.id.startsWith(prefix));
  if (byPrefix.length === 1) return { found: byPrefix[0]?.member ? 'member' : 'other', id: byPrefix[0]?.id ?? '' };
  return byPrefix.length === 0 ? { found: 'none' } : { found: 'ambiguous' };
}

/** `name` → `name:latest`; registry prefixes docker and podman add for local images are dropped. */
export function normaliseImageRef(ref: string): string {
  let out = ref.replace(/^(docker\.io\/library\/|docker\.io\/|localhost\/)/, '');
  const lastSegment = out.slice(out.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && !out.includes('@')) out = `${out}:latest`;
  return out;
}

export function resolveObject(objects: EngineObjects, kind: ObjectKind, word: string): Resolution {
  switch (kind) {
    case 'container': {
      const name = word.startsWith('/') ? word.slice(1) : word;
      return byIdOrName(objects.containers, word, (item) => item.names.includes(name));
    }
    case 'image': {
      const ref = normaliseImageRef(word);
      const items = objects.images.map((image) => ({ ...image, id: image.id.replace(/^sha256:/, '') }));
      return byIdOrName(items, word.replace(/^sha256:/, '').length === 64 ? word.replace(/^sha256:/, '') : word, (item) => item.refs.some((r) => normaliseImageRef(r) === ref));
    }
    case 'volume': {
      const volume = objects.volumes.find((item) => item.name === word);
      return volume === undefined ? { found: 'none' } : { found: volume.member ? 'member' : 'other', id: volume.name };
    }
    case 'network':
      return byIdOrName(objects.networks, word, (item) => item.name === word);
  }
}

export const objectKinds: readonly ObjectKind[] = ['container', 'image', 'volume', 'network'];
