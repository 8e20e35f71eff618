// The error-class tables (CONTRACT "Status"): every provider has one, every row cites that provider's own
// documentation, and a code nobody listed is `unknown`.
import { describe, expect, it } from 'vitest';
import { ERROR_CLASSES, classifyError, failureReason, lookupErrorCode } from '../../../domain/errorClass';
import { BANDWIDTH_ERROR_CODES } from '../../../domain/errorCodes/bandwidth';
import { PLIVO_ERROR_CODES } from '../../../domain/errorCodes/plivo';
import { SINCH_ERROR_CODES } from '../../../domain/errorCodes/sinch';
import { TELNYX_ERROR_CODES } from '../../../domain/errorCodes/telnyx';
import { TWILIO_ERROR_CODES } from '../../../domain/errorCodes/twilio';
import { VONAGE_ERROR_CODES } from '../../../domain/errorCodes/vonage';

const TABLES = {
  twilio: [TWILIO_ERROR_CODES, /^https:\/\/www\.twilio\.com\/docs\//],
  telnyx: [TELNYX_ERROR_CODES, /^https:\/\/developers\.telnyx\.com\/docs\//],
  vonage: [VONAGE_ERROR_CODES, /^https:\/\/(developer\.vonage\.com|api\.support\.vonage\.com)\//],
  plivo: [PLIVO_ERROR_CODES, /^https:\/\/www\.plivo\.com\/docs\//],
  bandwidth: [BANDWIDTH_ERROR_CODES, /^https:\/\/dev\.bandwidth\.com\/docs\//],
  sinch: [SINCH_ERROR_CODES, /^https:\/\/developers\.sinch\.com\/docs\//],
} as const;

describe('error-class tables', () => {
  it('each row has a class, a plain-words reason and the provider\'s own doc as source, and is wired in', () => {
    for (const [provider, [table, source]] of Object.entries(TABLES)) {
      expect(Object.keys(table).length, provider).toBeGreaterThan(5);
      for (const [code, entry] of Object.entries(table)) {
        expect(ERROR_CLASSES, `${provider} ${code}`).toContain(entry.errorClass);
        expect(entry.reason.length, `${provider} ${code}`).toBeGreaterThan(5);
        expect(entry.source, `${provider} ${code}`).toMatch(source);
        expect(lookupErrorCode(provider, code)).toBe(entry);
      }
    }
  });

  it('opt-out codes classify as opted_out, unknown codes as unknown', () => {
    expect(classifyError('telnyx', '40300')).toBe('opted_out');
    expect(classifyError('vonage', '9')).toBe('opted_out');
    expect(classifyError('plivo', '200')).toBe('opted_out');
    expect(classifyError('bandwidth', '4775')).toBe('opted_out');
    for (const provider of Object.keys(TABLES)) {
      expect(classifyError(provider, '123456789')).toBe('unknown');
      expect(classifyError(provider, null)).toBe('unknown');
    }
    expect(failureReason('plivo', '50', 'permanent')).toBe('invalid number or landline (50)');
  });
});
