import type { ErrorCodeEntry } from '../errorClass';

/**
 * A code table with no prototype: a provider code such as "constructor" must find no row (→ `unknown`),
 * not Object.prototype's function.
 */
export function codeTable(rows: [string, ErrorCodeEntry][]): Record<string, ErrorCodeEntry> {
  return Object.assign(Object.create(null) as Record<string, ErrorCodeEntry>, Object.fromEntries(rows));
}
