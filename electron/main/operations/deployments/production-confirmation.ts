/**
 * The `needs-confirmation` answer of the deployment calls. The production rule itself lives in
 * electron/main/permissions/production-confirmation.ts: the router asks it before any handler runs.
 */
export interface NeedsConfirmation {
  readonly status: 'needs-confirmation';
  readonly confirmText: string;
  readonly message: string;
}
