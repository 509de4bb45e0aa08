// Building blocks of table printers: column definitions and tolerant field readers.

import type { KubeObject } from '../model/types.ts';

export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TablePrinter {
  columns: Column[];
  cells(object: KubeObject, now: number): (string | number)[];
}

export function column(name: string, type = 'string', priority = 0, format = ''): Column {
  return { name, type, format: name === 'Name' ? 'name' : format, description: name, priority };
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function rec(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

