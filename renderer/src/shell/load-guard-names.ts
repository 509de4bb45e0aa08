// Names index.html's load guard (an inline script, before any module) shares with the window's
// code; kept apart from load-guard.ts so main's test of the guard can read them without the DOM.

/** Where the load guard counts the reloads it made (sessionStorage: this tab only). */
export const loadAttemptsKey = 'kiops.loadAttempts';
/** Set on <html> once the window's code runs: the load guard then stands down. */
export const startedAttribute = 'data-kiops-started';
