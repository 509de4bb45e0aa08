import { z } from 'zod';
import { serviceIdSchema } from './catalog.ts';
import { call, stream } from './define.ts';
import { keyedTextSchema } from './keyed-text.ts';

// The Security Analysis page's DAST scan. Main probes one origin with GET/HEAD/OPTIONS only,
// bounded in requests, concurrency and time, never following a redirect to another host. The
// operator must confirm they are authorised to scan the target; every scan is audited.

export const securitySeverities = ['info', 'low', 'medium', 'high'] as const;
export type SecuritySeverity = (typeof securitySeverities)[number];

export const securityProfiles = ['passive', 'standard'] as const;
export type SecurityProfile = (typeof securityProfiles)[number];

/** Why a scan stopped: every planned check ran, or a bound or the operator stopped it. */
export const securityEndReasons = ['completed', 'max-requests', 'deadline', 'stopped', 'unreachable'] as const;
export type SecurityEndReason = (typeof securityEndReasons)[number];

export const maxScanRequests = 200;

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without credentials');

export const securityScanInputSchema = z
  .object({
    targetUrl: httpUrl,
    /** Tags the scan with a catalog service; nothing is looked up through it. */
    serviceId: serviceIdSchema.optional(),
    profile: z.enum(securityProfiles).default('standard'),
    maxRequests: z.number().int().min(1).max(maxScanRequests).default(100),
    /** The operator confirms they are authorised to scan this target. */
    confirmation: z.literal(true, 'you must confirm that you are authorised to scan this target'),
  })
  .strict();

/** A finding's title, evidence and remediation as keys under the window's `mainErrors` and their parameters (see mainErrorText). */
export const findingTextsSchema = z.object({ title: keyedTextSchema, evidence: keyedTextSchema, remediation: keyedTextSchema }).partial();
export type FindingTexts = z.infer<typeof findingTextsSchema>;

export const securityFindingSchema = z.object({
  /** Stable per check and subject, e.g. `headers.csp-missing` or `paths.git-config`. */
  id: z.string().max(200),
  severity: z.enum(securitySeverities),
  title: z.string().max(300),
  /** Short and free of secrets: header and cookie names, status codes, paths; never values of cookies or auth headers. */
  evidence: z.string().max(500),
  remediation: z.string().max(600),
  /** The same texts as keys, for a window in another language; the English fields stay the fallback. */
  texts: findingTextsSchema.optional(),
});
export type SecurityFinding = z.infer<typeof securityFindingSchema>;

export const severityCountsSchema = z.object({
  info: z.number().int().nonnegative(),
  low: z.number().int().nonnegative(),
  medium: z.number().int().nonnegative(),
  high: z.number().int().nonnegative(),
});
export type SeverityCounts = z.infer<typeof severityCountsSchema>;

export const securityScanSummarySchema = z.object({
  scanId: z.string(),
  targetUrl: z.string(),
  serviceId: z.string().optional(),
  profile: z.enum(securityProfiles),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  requests: z.number().int().nonnegative(),
  endReason: z.enum(securityEndReasons),
  counts: severityCountsSchema,
});
export type SecurityScanSummary = z.infer<typeof securityScanSummarySchema>;

export const securityReportSchema = securityScanSummarySchema.extend({ findings: z.array(securityFindingSchema) });
export type SecurityReport = z.infer<typeof securityReportSchema>;

export const securityScanEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), done: z.number().int().nonnegative(), total: z.number().int().nonnegative(), current: z.string().max(200) }),
  z.object({ kind: z.literal('finding'), finding: securityFindingSchema }),
  z.object({ kind: z.literal('ended'), summary: securityScanSummarySchema }),
]);
export type SecurityScanEvent = z.infer<typeof securityScanEventSchema>;

export const securityContract = {
  /** Runs one scan; cancelling the subscription stops it (requests in flight are aborted). */
  'security.scan': stream(securityScanInputSchema, securityScanEventSchema),
  /** Past scans, newest first. */
  'security.history': call(z.object({}).strict(), z.array(securityScanSummarySchema)),
  'security.report': call(z.object({ scanId: z.string().uuid() }).strict(), securityReportSchema),
} as const;
