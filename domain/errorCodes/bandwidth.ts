// Bandwidth messaging error codes (errorCode on message-failed callbacks). Source: Bandwidth's Messaging API
// errors, https://dev.bandwidth.com/docs/messaging/errors (4xxx client errors — a repeat gives the same
// result; 5xxx service failures — a retry may work; 9xxx downstream failures of unclear cause).
import type { ErrorCodeEntry } from '../errorClass';
import { codeTable } from './table';

const SOURCE = 'https://dev.bandwidth.com/docs/messaging/errors';
const row = (code: string, errorClass: ErrorCodeEntry['errorClass'], reason: string): [string, ErrorCodeEntry] =>
  [code, { errorClass, reason, source: SOURCE }];

export const BANDWIDTH_ERROR_CODES: Record<string, ErrorCodeEntry> = codeTable([
  // Bandwidth-detected client errors.
  row('4301', 'filtered', 'the text has characters the destination cannot take — edit it'), // malformed-invalid-encoding
  row('4303', 'permanent', 'invalid phone number'), // malformed-invalid-to-number
  row('4350', 'permanent', 'invalid phone number'), // malformed-for-destination
  row('4360', 'temporary', 'not sent before it expired — try again'), // message-not-sent-expiration-date-passed
  row('4401', 'unknown', 'Bandwidth could not route the text'), // rejected-routing-error
  row('4404', 'permanent', 'the number cannot receive texts'), // rejected-forbidden-to-number
  row('4406', 'permanent', 'the number is not assigned to any carrier'), // rejected-unallocated-to-number
  row('4432', 'permanent', 'sending to this country is not enabled'), // rejected-forbidden-country
  row('4470', 'filtered', 'blocked as spam — edit the text'), // rejected-spam-detected
  row('4481', 'permanent', 'the sending number is blocked'), // rejected-from-number-in-blacklist
  row('4482', 'permanent', 'the number is blocked from receiving texts'), // rejected-to-number-in-blacklist
  row('4492', 'permanent', 'texting an emergency number is not allowed'), // reject-emergency
  // Carrier-reported client errors.
  row('4700', 'permanent', 'the carrier or handset does not support texts'), // invalid-service-type
  row('4701', 'temporary', 'the number is not reachable — try again later'), // destination-service-unavailable
  row('4702', 'temporary', 'handset unreachable — phone off or out of coverage'), // destination-subscriber-unavailable
  row('4720', 'permanent', 'landline or invalid number'), // invalid-destination-address
  row('4721', 'permanent', 'the number is deactivated'), // destination-tn-deactivated
  row('4730', 'temporary', 'no route to the recipient\'s carrier — try again later'), // no-route-to-destination-carrier
  row('4750', 'unknown', 'the recipient\'s carrier refused the text without a reason'), // destination-rejected-message
  row('4751', 'filtered', 'the text is too long for the carrier — shorten it'), // destination-rejected-message-size-invalid
  row('4752', 'filtered', 'the carrier found the text malformed — edit it'), // destination-rejected-malformed
  row('4770', 'filtered', 'blocked by the carrier as spam — edit the text'), // destination-spam-detected
  row('4771', 'filtered', 'a shortened link got the text blocked — edit it'), // rejected-shortened-url
  row('4772', 'permanent', 'the sender or the recipient is blocked by the carrier'), // rejected-tn-blocked
  row('4773', 'filtered', 'the sending number\'s campaign is not active — blocked by the carrier'), // inactive-campaign
  row('4775', 'opted_out', 'the contact opted out of texts from this number'), // destination-rejected-due-to-user-opt-out
  row('4780', 'temporary', 'daily carrier limit reached — try again later'), // volume-violation-tmo
  row('4781', 'temporary', 'carrier rate limit reached — try again later'), // volume-violation-att
  row('4785', 'temporary', 'carrier volume limit reached — try again later'), // volumetric-violation
  row('4795', 'filtered', 'the toll-free sending number is not verified — blocked'), // tfn-not-verified
  // Bandwidth service failures: a retry may give a different result.
  row('5100', 'temporary', 'Bandwidth had a temporary error — try again'), // temporary-app-error
  row('5106', 'unknown', 'impossible to route, retries failed'), // impossible-to-route
  row('5201', 'temporary', 'delivery retries ran out — try again later'), // temporary-rout-error-retries-exceeded
  row('5211', 'temporary', 'Bandwidth was busy — try again'), // temporary-app-error-app-busy
  row('5500', 'temporary', 'the carrier reported a general failure — try again'), // message-send-failed
  row('5999', 'unknown', 'unknown error from Bandwidth'), // unknown-error
  // Carrier-reported service failures.
  row('5600', 'temporary', 'carrier congested — try again later'), // destination-carrier-queue-full
  row('5610', 'temporary', 'carrier service failure — try again later'), // submit_sm-or-submit_multi-failed
  row('5620', 'temporary', 'carrier application error — try again later'), // destination-app-error
  row('5650', 'temporary', 'carrier failed to deliver — try again later'), // destination-failed
  // Ambiguous downstream failures.
  row('9902', 'unknown', 'no delivery receipt came back in time'), // delivery-receipt-expired
  row('9999', 'unknown', 'unknown carrier error'), // unknown-error
]);
