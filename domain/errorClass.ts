// Error classes (CONTRACT "Status"): what a failure means for the agent's next step.
import { BANDWIDTH_ERROR_CODES } from './errorCodes/bandwidth';
import { PLIVO_ERROR_CODES } from './errorCodes/plivo';
import { SINCH_ERROR_CODES } from './errorCodes/sinch';
import { TELNYX_ERROR_CODES } from './errorCodes/telnyx';
import { TWILIO_ERROR_CODES } from './errorCodes/twilio';
import { VONAGE_ERROR_CODES } from './errorCodes/vonage';

export const ERROR_CLASSES = ['temporary', 'permanent', 'opted_out', 'filtered', 'unknown'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export interface ErrorCodeEntry {
  errorClass: ErrorClass;
  /** What happened, in plain words an agent understands. */
  reason: string;
  /** The provider's own documentation for this code. */
  source: string;
}

/** Per provider, one row per code. The simulator speaks Twilio's codes (CONTRACT "Simulated carrier"). */
const TABLES: Record<string, Record<string, ErrorCodeEntry>> = {
  twilio: TWILIO_ERROR_CODES,
  simulator: TWILIO_ERROR_CODES,
  telnyx: TELNYX_ERROR_CODES,
  vonage: VONAGE_ERROR_CODES,
  plivo: PLIVO_ERROR_CODES,
  bandwidth: BANDWIDTH_ERROR_CODES,
  sinch: SINCH_ERROR_CODES,
};

/** Every provider's table (the simulator shares Twilio's), for documentation. */
export function errorCodeTables(): Record<string, Record<string, ErrorCodeEntry>> {
  const { simulator: _simulator, ...tables } = TABLES;
  return tables;
}

export function lookupErrorCode(provider: string, code: string | null): ErrorCodeEntry | null {
  if (code == null) return null;
  return TABLES[provider]?.[code] ?? null;
}

export function classifyError(provider: string, code: string | null): ErrorClass {
  return lookupErrorCode(provider, code)?.errorClass ?? 'unknown';
}

const CLASS_REASON: Record<ErrorClass, string> = {
  temporary: 'temporary problem — a resend later may work',
  permanent: 'this number cannot receive texts',
  opted_out: 'the contact has opted out',
  filtered: 'blocked by the carrier — edit the text before resending',
  unknown: 'the carrier gave no usable reason',
};

/** A plain-words reason for a failed text, e.g. "landline or unreachable carrier (30006)". */
export function failureReason(provider: string, code: string | null, errorClass: ErrorClass | null): string {
  const entry = lookupErrorCode(provider, code);
  const words = entry?.reason ?? CLASS_REASON[errorClass ?? 'unknown'];
  return code ? `${words} (${code})` : words;
}
