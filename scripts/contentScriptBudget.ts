// Issue 4: the content script runs in every CRM tab and must stay under 80 KB gzip. The build reports its
// size after every `wxt build` (wxt.config.ts hooks it in) and fails when it is over, so a dependency that
// grows it is caught by `npm run build`, not by a user on a slow laptop.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const CONTENT_SCRIPT = 'content-scripts/crm.js';
export const CONTENT_SCRIPT_BUDGET_BYTES = 80 * 1024;

export interface ScriptSize { raw: number; gzip: number }

export function gzipSize(file: string): ScriptSize | null {
  if (!fs.existsSync(file)) return null;
  const raw = fs.readFileSync(file);
  return { raw: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Reports the content script's size in `outDir`; throws when it is over budget. */
export function checkContentScript(outDir: string, log: (line: string) => void): ScriptSize | null {
  const size = gzipSize(path.join(outDir, CONTENT_SCRIPT));
  if (!size) return null;
  const line = `content script ${CONTENT_SCRIPT}: ${kb(size.gzip)} gzip (${kb(size.raw)} raw), budget ${kb(CONTENT_SCRIPT_BUDGET_BYTES)} gzip`;
  if (size.gzip > CONTENT_SCRIPT_BUDGET_BYTES) throw new Error(`${line}: over budget`);
  log(line);
  return size;
}
