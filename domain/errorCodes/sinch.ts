// Sinch SMS REST delivery report codes (`code` on failed reports). Sources: Sinch's delivery report reference,
// https://developers.sinch.com/docs/sms/api-reference/sms/tag/Delivery-reports/ ("Error codes"), whose
// descriptions the SDKs repeat (sinch/sinch-sdk-java DeliveryReceiptStatusCode).
import type { ErrorCodeEntry } from '../errorClass';
import { codeTable } from './table';

const SOURCE = 'https://developers.sinch.com/docs/sms/api-reference/sms/tag/Delivery-reports/';
const row = (code: string, errorClass: ErrorCodeEntry['errorClass'], reason: string): [string, ErrorCodeEntry] =>
  [code, { errorClass, reason, source: SOURCE }];

export const SINCH_ERROR_CODES: Record<string, ErrorCodeEntry> = codeTable([
  // 402 "Message unroutable": SMSC rejected it; retrying is likely to give the same error.
  row('402', 'permanent', 'no route to this number'),
  // 403 "Internal error": an unexpected error.
  row('403', 'temporary', 'Sinch had an internal error — try again'),
  // 404 "Temporary delivery failure": can be retried.
  row('404', 'temporary', 'temporary delivery failure — try again later'),
  // 405 "Unmatched parameter": a template parameter had no value for this recipient.
  row('405', 'unknown', 'the text had a parameter with no value'),
  // 406 "Internal expiry": expired before reaching the SMSC.
  row('406', 'temporary', 'not sent before it expired — try again'),
  // 408 "Internal reject": SMSC rejected it; retrying is likely to give the same error.
  row('408', 'permanent', 'the carrier rejected the text'),
  // 410 "Unmatched default originator": no sender configured for this recipient.
  row('410', 'permanent', 'no sending number is set up for this destination'),
  // 411 "Exceeded parts limit": too many message parts.
  row('411', 'filtered', 'the text is too long — shorten it'),
  // 412 "Unprovisioned region": the account is not provisioned for this region.
  row('412', 'permanent', 'sending to this region is not enabled'),
  // 413 "Blocked": the account is blocked, possibly out of credit.
  row('413', 'permanent', 'the sending account is blocked'),
]);
