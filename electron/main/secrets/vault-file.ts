import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';

/**
 * The passphrase vault's file: one JSON document holding the KDF parameters, a nonce and the
 * AES-256-GCM ciphertext of every secret. The header (format, version, KDF) is the GCM
 * additional data, so changing any of it — or a single ciphertext byte — fails authentication
 * exactly like a wrong passphrase does.
 */
export const vaultFormat = 'kiops-secret-vault';
export const vaultVersion = 1;

/** scrypt: memory-hard; N = 2^15, r = 8 needs 32 MiB per derivation. */
export const defaultKdf = { name: 'scrypt', N: 2 ** 15, r: 8, p: 1 } as const;
// A file may ask for more work (a future default), never less, and never so much that opening it hangs the app.
const minCost = 2 ** 15;
const maxCost = 2 ** 20;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).max(64 * 1024 * 1024);
const vaultFileSchema = z
  .object({
    format: z.literal(vaultFormat),
    version: z.literal(vaultVersion),
    kdf: z
      .object({
        name: z.literal('scrypt'),
        N: z.number().int().min(minCost).max(maxCost).refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
        r: z.literal(8),
        p: z.literal(1),
        salt: base64,
      })
      .strict(),
    nonce: base64,
    tag: base64,
    ciphertext: base64,
  })
  .strict();
type VaultFile = z.infer<typeof vaultFileSchema>;
type VaultHeader = Pick<VaultFile, 'format' | 'version' | 'kdf'>;

const secretsSchema = z.record(z.string(), z.string());

export const wrongPassphraseMessage =
  'The passphrase does not open the vault (or the vault file was changed). Nothing was lost: try the passphrase again.';

function wrongPassphrase(): AppError {
  return new AppError('AUTH_FAILED', wrongPassphraseMessage, undefined, { key: 'connections.secrets.wrongPassphrase' });
}

export function deriveVaultKey(passphrase: string, header: VaultHeader): Promise<Buffer> {
  const { N, r, p, salt } = header.kdf;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(salt, 'base64'), 32, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function newVaultHeader(): VaultHeader {
  return { format: vaultFormat, version: vaultVersion, kdf: { ...defaultKdf, salt: randomBytes(16).toString('base64') } };
}

function additionalData(header: VaultHeader): Buffer {
  return Buffer.from(JSON.stringify([header.format, header.version, header.kdf.name, header.kdf.N, header.kdf.r, header.kdf.p, header.kdf.salt]));
}

/** Encrypts the secrets with a fresh nonce (never reused: 96 random bits per write). */
export function sealVault(key: Buffer, header: VaultHeader, secrets: ReadonlyMap<string, string>): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(additionalData(header));
  const plain = Buffer.from(JSON.stringify(Object.fromEntries(secrets)), 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  const file: VaultFile = { ...header, nonce: nonce.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  return `${JSON.stringify(file)}\n`;
}

export function parseVaultFile(text: string): VaultFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('STORAGE_CORRUPT', 'The passphrase vault file is not valid JSON; it was not changed.', undefined, { key: 'connections.secrets.vaultNotJson' });
  }
  const parsed = vaultFileSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues[0]?.message ?? 'bad format';
    throw new AppError('STORAGE_CORRUPT', `The passphrase vault file is not a vault this app can open (${detail}); it was not changed.`, undefined, { key: 'connections.secrets.vaultUnreadable', params: { detail } });
  }
  return parsed.data;
}

/** Decrypts and authenticates; a wrong key and a tampered file fail the same way (AUTH_FAILED). */
export function openVault(key: Buffer, file: VaultFile): Map<string, string> {
  const nonce = Buffer.from(file.nonce, 'base64');
  const tag = Buffer.from(file.tag, 'base64');
  if (nonce.length !== 12 || tag.length !== 16) throw wrongPassphrase();
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    decipher.setAAD(additionalData(file));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]);
  } catch {
    throw wrongPassphrase();
  }
  try {
    const secrets = secretsSchema.parse(JSON.parse(plain.toString('utf8')));
    return new Map(Object.entries(secrets));
  } finally {
    plain.fill(0);
  }
}

export async function readVaultFile(path: string): Promise<VaultFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseVaultFile(text);
}

/** Temp file beside the target, fsync, rename, fsync the folder: a crash leaves the old or the new vault, never half of one. */
export async function writeVaultFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const folder = await open(dirname(path), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
