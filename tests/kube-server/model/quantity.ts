// Kubernetes resource quantities ("250m", "1.5", "64Mi", "1G"), parsed to plain numbers:
// cores for cpu, bytes for memory, a count for everything else.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function parseQuantity(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  if (typeof quantity === 'number') return quantity;
  const match = /^([+-]?[0-9.]+)(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)$/.exec(quantity.trim());
  if (!match) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${quantity}`);
  const base = Number(match[1]);
  const exponent = match[2] ? Number(match[2]) : 0;
  const suffix = match[3] ?? '';
  const multiplier = BINARY[suffix] ?? DECIMAL[suffix];
  if (multiplier === undefined || Number.isNaN(base)) throw new Error(`unable to parse quantity's suffix: ${quantity}`);
  return base * 10 ** exponent * multiplier;
}

export function isValidQuantity(quantity: string): boolean {
  try {
    parseQuantity(quantity);
    return true;
  } catch {
    return false;
  }
}

/** Cores as the metrics API and kubectl print them: whole millicores. */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes in the largest binary unit that divides them, as metrics-server reports Ki. */
export function formatMemory(bytes: number): string {
  const rounded = Math.round(bytes);
  for (const unit of ['Gi', 'Mi', 'Ki'] as const) {
    const size = BINARY[unit] ?? 1;
    if (rounded >= size && rounded % size === 0) return `${rounded / size}${unit}`;
  }
  if (rounded >= 1024) return `${Math.round(rounded / 1024)}Ki`;
  return String(rounded);
}
