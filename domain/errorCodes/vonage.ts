// Vonage error codes, from both ways Vonage reports a failure: the Messages API's status webhooks (error.type
// "...#1xxx") and the SMS API's delivery receipts (err-code 1–14). The two ranges do not overlap.
// Sources: https://developer.vonage.com/en/api-errors/messages (Messages API),
// https://api.support.vonage.com/hc/en-us/articles/204014733 (SMS delivery receipt err-code table, also in
// https://developer.vonage.com/en/messaging/sms/guides/delivery-receipts).
import type { ErrorCodeEntry } from '../errorClass';
import { codeTable } from './table';

const MESSAGES = 'https://developer.vonage.com/en/api-errors/messages';
const DLR = 'https://api.support.vonage.com/hc/en-us/articles/204014733';
const OPT_OUT = 'https://developer.vonage.com/en/opt-out-assist/guides/messaging-opted-out-numbers';
const row = (code: string, errorClass: ErrorCodeEntry['errorClass'], reason: string, source: string): [string, ErrorCodeEntry] =>
  [code, { errorClass, reason, source }];

export const VONAGE_ERROR_CODES: Record<string, ErrorCodeEntry> = codeTable([
  // SMS API delivery receipts (err-code).
  // 1 "Unknown": not delivered, no cause determined.
  row('1', 'unknown', 'not delivered, and the carrier gave no reason', DLR),
  // 2 "Absent Subscriber - Temporary": handset temporarily unavailable; retry.
  row('2', 'temporary', 'handset unreachable — phone off or out of coverage', DLR),
  // 3 "Absent Subscriber - Permanent": the number is no longer active.
  row('3', 'permanent', 'the number is no longer active', DLR),
  // 4 "Call Barred by User": permanent; the user must ask their operator to lift the bar.
  row('4', 'permanent', 'the number is barred from receiving texts', DLR),
  // 5 "Portability Error": an issue with the number's portability, for the operator to resolve.
  row('5', 'unknown', 'a number-porting problem at the carrier', DLR),
  // 6 "Anti-Spam Rejection": blocked by the carrier's anti-spam filter.
  row('6', 'filtered', 'blocked by the carrier as spam — edit the text', DLR),
  // 7 "Handset Busy": retry.
  row('7', 'temporary', 'handset busy — try again later', DLR),
  // 8 "Network Error": retry.
  row('8', 'temporary', 'carrier network error — try again later', DLR),
  // 9 "Illegal Number": the user asked not to receive messages from this service (opt-out).
  row('9', 'opted_out', 'the contact opted out of texts from this number', OPT_OUT),
  // 10 "Illegal Message": an error in a message parameter, e.g. the wrong encoding.
  row('10', 'filtered', 'the carrier rejected the text\'s content or encoding — edit it', DLR),
  // 11 "Unroutable": no suitable route to deliver the message.
  row('11', 'permanent', 'no route to this number', DLR),
  // 12 "Destination Unreachable": no route to the number; confirm it.
  row('12', 'permanent', 'the number cannot be reached — check it', DLR),
  // 13 "Subscriber Age Restriction".
  row('13', 'permanent', 'the recipient cannot receive this text because of an age restriction', DLR),
  // 14 "Number Blocked by Carrier": the recipient must ask their carrier to enable SMS.
  row('14', 'permanent', 'the carrier blocks texts to this number', DLR),
  // Messages API (error.type ".../messages-olympus#code").
  // 1000 "Throttled": over the account's submission capacity; wait and retry.
  row('1000', 'temporary', 'sending rate limit exceeded — try again later', MESSAGES),
  // 1010 "Missing params" / 1020 "Invalid params": the request itself was wrong.
  row('1010', 'unknown', 'the send request was incomplete', MESSAGES),
  row('1020', 'unknown', 'the send request had an invalid value', MESSAGES),
  // 1030 "Internal error".
  row('1030', 'temporary', 'Vonage had an internal error — try again', MESSAGES),
  // 1040 "Invalid message": e.g. an unrecognised prefix for the phone number.
  row('1040', 'permanent', 'invalid phone number', MESSAGES),
  // 1050 "Number barred": the recipient number is blacklisted and may not receive messages.
  row('1050', 'permanent', 'the number is barred from receiving texts', MESSAGES),
  // 1060 "Partner account barred": the sending account is barred.
  row('1060', 'permanent', 'the sending account is barred', MESSAGES),
  // 1070 "Partner quota exceeded": not enough credit on the account.
  row('1070', 'temporary', 'the sending account is out of credit', MESSAGES),
  // 1080 "Account not enabled for REST".
  row('1080', 'permanent', 'the sending account cannot send through this API', MESSAGES),
  // 1090 "Message too long".
  row('1090', 'filtered', 'the text is too long — shorten it', MESSAGES),
  // 1100 "Communication Failed": not submitted because of a communication failure.
  row('1100', 'temporary', 'could not reach the carrier — try again', MESSAGES),
  // 1120 "Illegal Sender Address - rejected": local regulations refuse the sender id.
  row('1120', 'filtered', 'the destination country does not accept this sender', MESSAGES),
]);
