/** One reason of a FailedScheduling message with the number of nodes it applied to. */
export interface SchedulingReason {
  readonly text: string;
  readonly nodes: number | null;
}

export interface SchedulingMessage {
  /** N of "0/N nodes are available"; null for messages without it. */
  readonly nodeCount: number | null;
  readonly reasons: readonly SchedulingReason[];
}

/**
 * Splits kube-scheduler's FitError text, e.g.
 * "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}. preemption: …",
 * into its reasons. Taint values may hold ", " inside braces, so splitting respects them.
 */
export function parseSchedulingMessage(message: string): SchedulingMessage {
  const head = /^0\/(\d+) nodes are available: (.*)$/s.exec(message.trim());
  if (!head) return { nodeCount: null, reasons: message.trim() ? [{ text: message.trim().replace(/\.$/, ''), nodes: null }] : [] };
  const nodeCount = Number(head[1]);
  const body = (head[2] ?? '').split(/\.\s+preemption:/)[0]?.replace(/\.$/, '') ?? '';
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index] ?? '';
    if (char === '{') depth += 1;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0 && body[index + 1] === ' ') {
      parts.push(current);
      current = '';
      index += 1;
      continue;
    }
    current += char;
  }
  if (current.trim()) parts.push(current);
  const reasons = parts.map((part) => {
    const counted = /^(\d+) (.*)$/s.exec(part.trim());
    return counted ? { text: (counted[2] ?? '').trim(), nodes: Number(counted[1]) } : { text: part.trim(), nodes: null };
  });
  return { nodeCount, reasons };
}
