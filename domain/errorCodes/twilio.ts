// Twilio error codes seen on message status callbacks, each with the class that decides whether a resend
// can help. Source for each row: Twilio's error dictionary, https://www.twilio.com/docs/api/errors/{code}.
import type { ErrorCodeEntry } from '../errorClass';
import { codeTable } from './table';

const doc = (code: string) => `https://www.twilio.com/docs/api/errors/${code}`;
const row = (code: string, errorClass: ErrorCodeEntry['errorClass'], reason: string): [string, ErrorCodeEntry] =>
  [code, { errorClass, reason, source: doc(code) }];

export const TWILIO_ERROR_CODES: Record<string, ErrorCodeEntry> = codeTable([
  // 30001 "Queue overflow": too many messages queued for the sender; they expire, a later send works.
  row('30001', 'temporary', 'sending queue overflowed — try again later'),
  // 30002 "Account suspended": nothing about the recipient; resending cannot help until the account is fixed.
  row('30002', 'permanent', 'the sending account is suspended'),
  // 30003 "Unreachable destination handset": phone off or out of coverage.
  row('30003', 'temporary', 'handset unreachable — phone off or out of coverage'),
  // 30004 "Message blocked": the recipient or its carrier blocks messages from this sender.
  row('30004', 'permanent', 'blocked by the recipient'),
  // 30005 "Unknown destination handset": the number does not exist or is no longer active.
  row('30005', 'permanent', 'unknown or deactivated number'),
  // 30006 "Landline or unreachable carrier".
  row('30006', 'permanent', 'landline or unreachable carrier — texting this number cannot work'),
  // 30007 "Message filtered": carrier spam filtering; the content must change.
  row('30007', 'filtered', 'filtered by the carrier as spam — edit the text'),
  // 30008 "Unknown error".
  row('30008', 'unknown', 'unknown carrier error'),
  // 30010 "Message price exceeds max price".
  row('30010', 'permanent', 'price exceeds the maximum set for this message'),
  // 30011 "MMS not supported by the receiving phone number in this region".
  row('30011', 'permanent', 'the number cannot receive MMS'),
  // 30017 "Carrier network congestion".
  row('30017', 'temporary', 'carrier network congested — try again later'),
  // 30018 "Destination carrier requires sender ID pre-registration".
  row('30018', 'filtered', 'the carrier requires a registered sender'),
  // 30019 "Content size exceeds carrier limit".
  row('30019', 'filtered', 'the text is too long for the carrier — shorten it'),
  // 30022 "US A2P 10DLC - Rate Limits Exceeded".
  row('30022', 'temporary', 'sending rate limit exceeded — try again later'),
  // 30023 "US A2P 10DLC - Daily Cap Reached".
  row('30023', 'temporary', 'daily sending cap reached — try again tomorrow'),
  // 30027 "US A2P 10DLC - T-Mobile Daily Message Limit Reached".
  row('30027', 'temporary', 'carrier daily limit reached — try again tomorrow'),
  // 30032 "Toll-Free Number Has Been Deactivated".
  row('30032', 'permanent', 'the sending toll-free number is deactivated'),
  // 30034 "US A2P 10DLC - Message from an Unregistered Number".
  row('30034', 'filtered', 'sent from an unregistered number — blocked by the carrier'),
  // 30036 "Validity Period Expired".
  row('30036', 'temporary', 'not delivered in time — try again'),
  // 21211 "Invalid 'To' Phone Number".
  row('21211', 'permanent', 'invalid phone number'),
  // 21408 "Permission to send an SMS has not been enabled for the region indicated by the 'To' number".
  row('21408', 'permanent', 'sending to this country is not enabled'),
  // 21610 "Attempt to send to unsubscribed recipient": the recipient replied STOP.
  row('21610', 'opted_out', 'the contact replied STOP'),
  // 21612 "The 'To' phone number is not currently reachable via SMS".
  row('21612', 'permanent', 'the number cannot be reached by SMS'),
  // 21614 "'To' number is not a valid mobile number".
  row('21614', 'permanent', 'not a mobile number'),
  // 30450 "Message delivery blocked" by SMS pumping protection.
  row('30450', 'filtered', 'blocked by fraud protection'),
]);
