import { z } from 'zod';
import { call } from './define.ts';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport the renderer is talking through: the Electron window or browser mode. */
  shell: z.enum(['electron', 'browser']),
  platform: z.string(),
  keychain: z.object({ available: z.boolean(), reason: z.string().optional() }),
  /** `broken`: a verify found the trail damaged; it stays so until the finding is acknowledged. */
  audit: z.object({ available: z.boolean(), reason: z.string().optional(), broken: z.boolean().optional() }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** The user's theme choice, which the Electron shell hands to nativeTheme so the title bar matches. */
export const windowThemeSchema = z.enum(['system', 'light', 'dark']);
export type WindowTheme = z.infer<typeof windowThemeSchema>;

export const appContract = {
  'app.info': call(z.object({}).strict(), appInfoSchema),
  /** Tries the OS keychain again (after the user unlocked or started it) and answers the new state. */
  'app.reconnectKeychain': call(z.object({}).strict(), appInfoSchema),
  /** Follows the renderer's theme choice in native parts (title bar, menus); nothing in browser mode. */
  'app.setWindowTheme': call(z.object({ theme: windowThemeSchema }).strict(), z.object({}).strict()),
} as const;
