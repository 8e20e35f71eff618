// Phones as people read them, and where their owner is: the extension's side of libphonenumber (the small
// metadata set the content script already carries).
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { recipientTimeZone } from '../domain/quietHours';
import type { Me } from '../domain/types';

export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'US' || parsed.country === 'CA' ? parsed.formatNational() : parsed.formatInternational();
}

export function phoneCountry(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

/**
 * The recipient's time zone as the client can tell (CONTRACT "Resend"): the number's country where it has
 * one zone, else the sending location's. The contact's own zone is known only to the server, which stays
 * authoritative. Null when the location is not one of the user's.
 */
export function recipientZone(phone: string, locationId: string | null, me: Me | null): string | null {
  const location = me?.locations.find(l => l.id === locationId) ?? me?.locations[0];
  if (!location) return null;
  return recipientTimeZone(null, phoneCountry(phone), location.timezone);
}
