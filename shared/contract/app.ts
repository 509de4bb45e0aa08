import { z } from 'zod';
import { call } from './define.ts';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport the renderer is talking through: the Electron window or browser mode. */
  shell: z.enum(['electron', 'browser']),
  platform: z.string(),
  keychain: z.object({ available: z.boolean(), reason: z.string().optional() }),
  audit: z.object({ available: z.boolean(), reason: z.string().optional() }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appContract = {
  'app.info': call(z.object({}).strict(), appInfoSchema),
  /** Tries the OS keychain again (after the user unlocked or started it) and answers the new state. */
  'app.reconnectKeychain': call(z.object({}).strict(), appInfoSchema),
} as const;
