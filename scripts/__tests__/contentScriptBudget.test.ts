import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContentScript, CONTENT_SCRIPT, CONTENT_SCRIPT_BUDGET_BYTES } from '../contentScriptBudget';

function outDirWith(content: Buffer | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-budget-'));
  fs.mkdirSync(path.join(dir, path.dirname(CONTENT_SCRIPT)), { recursive: true });
  fs.writeFileSync(path.join(dir, CONTENT_SCRIPT), content);
  return dir;
}

describe('content script budget', () => {
  it('reports the gzip size of a script under budget', () => {
    const lines: string[] = [];
    const size = checkContentScript(outDirWith('var x = 1;\n'.repeat(10_000)), l => lines.push(l));
    expect(size!.raw).toBe(110_000);
    expect(size!.gzip).toBeLessThan(2_000);
    expect(lines[0]).toMatch(/^content script content-scripts\/crm\.js: \d+\.\d KB gzip \(107\.4 KB raw\), budget 80\.0 KB gzip$/);
  });

  it('fails a build whose content script is over 80 KB gzip (random bytes do not compress)', () => {
    const dir = outDirWith(crypto.randomBytes(CONTENT_SCRIPT_BUDGET_BYTES + 1024));
    expect(() => checkContentScript(dir, () => {})).toThrow(/over budget/);
  });

  it('says nothing when there is no content script (another browser target)', () => {
    expect(checkContentScript(fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-budget-')), () => {})).toBeNull();
  });
});
