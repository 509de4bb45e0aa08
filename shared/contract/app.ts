import { z } from 'zod';
import { call } from './define.ts';
import { keyedTextSchema } from './keyed-text.ts';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport the renderer is talking through: the Electron window or browser mode. */
  shell: z.enum(['electron', 'browser']),
  platform: z.string(),
  /** `reasonText`: `reason` as a key for the window's language; `reason` stays main's English. */
  keychain: z.object({ available: z.boolean(), reason: z.string().optional(), reasonText: keyedTextSchema.optional() }),
  /** `broken`: a verify found the trail damaged; it stays so until the finding is acknowledged. */
  audit: z.object({ available: z.boolean(), reason: z.string().optional(), reasonText: keyedTextSchema.optional(), broken: z.boolean().optional() }),
  /**
   * Where secrets are kept this run: the OS keychain, the passphrase vault, or nowhere yet (the
   * first-run screen). `vault`: whether this computer has a vault and whether it is unlocked.
   */
  secretStore: z.object({ kind: z.enum(['keychain', 'vault', 'none']), vault: z.enum(['absent', 'locked', 'unlocked']) }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** The user's theme choice, which the Electron shell hands to nativeTheme so the title bar matches. */
export const windowThemeSchema = z.enum(['system', 'light', 'dark']);
export type WindowTheme = z.infer<typeof windowThemeSchema>;

/** A vault passphrase: never logged, never echoed in a reply, never stored (only the key derived from it, in memory). */
export const vaultPassphraseSchema = z.string().min(12).max(1024);

export const appContract = {
  'app.info': call(z.object({}).strict(), appInfoSchema),
  /** Tries the OS keychain again (after the user unlocked or started it) and answers the new state. */
  'app.reconnectKeychain': call(z.object({}).strict(), appInfoSchema),
  /** Creates the passphrase vault on a computer without an OS keychain and unlocks it (audited once the trail can record). */
  'app.createVault': call(z.object({ passphrase: vaultPassphraseSchema }).strict(), appInfoSchema),
  /** Unlocks this computer's passphrase vault for this app start; a wrong passphrase is AUTH_FAILED and changes nothing. */
  'app.unlockVault': call(z.object({ passphrase: z.string().min(1).max(1024) }).strict(), appInfoSchema),
  /** Follows the renderer's theme choice in native parts (title bar, menus); nothing in browser mode. */
  'app.setWindowTheme': call(z.object({ theme: windowThemeSchema }).strict(), z.object({}).strict()),
} as const;
