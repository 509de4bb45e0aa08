import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Which update channel the app follows: `off` (the default: air-gapped workstations must not
 * reach out), `latest` (releases) or `beta` (pre-releases too). Set per machine in
 * `<data dir>/update-settings.json`, e.g. `{ "channel": "latest" }`.
 */
export const updateChannels = ['off', 'latest', 'beta'] as const;
export type UpdateChannel = (typeof updateChannels)[number];

const updateSettingsSchema = z.object({ channel: z.enum(updateChannels) }).strict();

export const updateSettingsFileName = 'update-settings.json';

/** The configured channel; a missing or malformed file means `off`, never a guess. */
export function readUpdateChannel(file: string): UpdateChannel {
  try {
    return updateSettingsSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).channel;
  } catch {
    return 'off';
  }
}
