// Plivo SMS error codes (ErrorCode on failed/undelivered status callbacks). Source: Plivo's error code list,
// https://www.plivo.com/docs/messaging/troubleshooting/error-codes (explained in
// https://www.plivo.com/blog/introducing-sms-error-codes/).
import type { ErrorCodeEntry } from '../errorClass';
import { codeTable } from './table';

const SOURCE = 'https://www.plivo.com/docs/messaging/troubleshooting/error-codes';
const row = (code: string, errorClass: ErrorCodeEntry['errorClass'], reason: string): [string, ErrorCodeEntry] =>
  [code, { errorClass, reason, source: SOURCE }];

export const PLIVO_ERROR_CODES: Record<string, ErrorCodeEntry> = codeTable([
  // 10 "Invalid message": rejected by downstream carriers as invalid.
  row('10', 'filtered', 'the carrier rejected the text as invalid — edit it'),
  // 20 "Network error": temporary; retry later.
  row('20', 'temporary', 'carrier network error — try again later'),
  // 30 "Spam detected": carrier spam filters.
  row('30', 'filtered', 'blocked by the carrier as spam — edit the text'),
  // 40 "Invalid source number": our sending number is wrong or not SMS-enabled.
  row('40', 'permanent', 'the sending number cannot send texts'),
  // 50 "Invalid destination number": wrong, not SMS-enabled, or a landline.
  row('50', 'permanent', 'invalid number or landline'),
  // 60 "Loop detected": an endless loop between auto-responders.
  row('60', 'permanent', 'blocked as a message loop'),
  // 70 "Destination permanently unavailable".
  row('70', 'permanent', 'the number is not active'),
  // 80 "Destination temporarily unavailable": handset off or out of coverage; retry later.
  row('80', 'temporary', 'handset unreachable — phone off or out of coverage'),
  // 90 "No route available": the carriers give no reason.
  row('90', 'unknown', 'no carrier route was available'),
  // 100 "Prohibited by carrier": the destination network does not support the message.
  row('100', 'permanent', 'the recipient\'s network does not accept this text'),
  // 110 "Message too long".
  row('110', 'filtered', 'the text is too long — shorten it'),
  // 200 "Source number blocked by STOP from destination number".
  row('200', 'opted_out', 'the contact replied STOP'),
  // 201 US toll-free numbers cannot text Canadian numbers.
  row('201', 'permanent', 'this number cannot be texted from a US toll-free number'),
  // 1000 "Unknown error".
  row('1000', 'unknown', 'unknown carrier error'),
]);
