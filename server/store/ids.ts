import { randomBytes } from 'node:crypto';

/** Sortable, unguessable ids: time in base 36, then 10 random bytes. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(10).toString('hex')}`;
}

// Cursors are opaque to clients but must order totally within an org. A zero-padded sequence number sorts
// the same as text and as a number, so clients may compare them and the database can index them.
const CURSOR_WIDTH = 16;
export function encodeCursor(seq: number | bigint): string {
  return String(seq).padStart(CURSOR_WIDTH, '0');
}
export function decodeCursor(cursor: string): number | null {
  if (!/^\d{1,16}$/.test(cursor)) return null;
  return Number(cursor);
}
