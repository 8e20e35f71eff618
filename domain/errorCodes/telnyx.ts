// Telnyx delivery error codes (errors[].code on message.finalized), each with the class that decides whether a
// resend can help. Source: Telnyx's Messaging Error Code Reference,
// https://developers.telnyx.com/docs/messaging/messages/error-codes ("Delivery errors (40xxx)").
import type { ErrorCodeEntry } from '../errorClass';
import { codeTable } from './table';

const ERROR_CODES = 'https://developers.telnyx.com/docs/messaging/messages/error-codes';
const OPT_OUT = 'https://developers.telnyx.com/docs/messaging/messages/advanced-opt-in-out';
const row = (code: string, errorClass: ErrorCodeEntry['errorClass'], reason: string, source = ERROR_CODES): [string, ErrorCodeEntry] =>
  [code, { errorClass, reason, source }];

export const TELNYX_ERROR_CODES: Record<string, ErrorCodeEntry> = codeTable([
  // 40001 "Not routable": the destination is a landline or a non-routable number.
  row('40001', 'permanent', 'landline or a number that cannot receive texts'),
  // 40002 "Blocked as spam (temporary)": carrier spam filter; review the content, slow down.
  row('40002', 'filtered', 'blocked by the carrier as spam — edit the text'),
  // 40003 "Blocked as spam (permanent)": the sending number is permanently blocked by the carrier.
  row('40003', 'permanent', 'the sending number is blocked by the carrier'),
  // 40004 "Rejected by destination": unknown reason; Telnyx says retry after a delay.
  row('40004', 'temporary', 'rejected by the recipient\'s carrier — try again later'),
  // 40005 "Message expired": its validity ran out before delivery.
  row('40005', 'temporary', 'not delivered in time — try again'),
  // 40006 "Recipient unavailable": the recipient's carrier is down; retry with backoff.
  row('40006', 'temporary', 'the recipient\'s carrier is unavailable — try again later'),
  // 40008 "Undeliverable": the carrier did not accept it; Telnyx suggests checking the number.
  row('40008', 'unknown', 'the carrier did not accept the text'),
  // 40009 "Invalid message body": the content was rejected (characters, encoding).
  row('40009', 'filtered', 'the carrier rejected the text\'s content — edit it'),
  // 40011 "Rate limit".
  row('40011', 'temporary', 'sending rate limit exceeded — try again later'),
  // 40300 "Blocked due to STOP message": the recipient opted out of this messaging profile.
  row('40300', 'opted_out', 'the contact replied STOP', OPT_OUT),
]);
