// docs/callback-handling.md carries the error-code tables; they must match the code.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { DOC_PATH, withGeneratedSection } from '../../scripts/errorCodesDoc';

it('the error-code tables in docs/callback-handling.md match domain/errorCodes (run `npm run docs:errors`)', () => {
  const doc = fs.readFileSync(DOC_PATH, 'utf8');
  expect(doc).toBe(withGeneratedSection(doc));
});
