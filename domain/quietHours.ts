// Quiet hours (CONTRACT "Resend"): [21:00, 08:00) in the recipient's local time.
export const QUIET_START_HOUR = 21;
export const QUIET_END_HOUR = 8;

function localParts(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find(p => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

export function isQuietHour(at: Date, timeZone: string): boolean {
  const { hour } = localParts(at, timeZone);
  return hour >= QUIET_START_HOUR || hour < QUIET_END_HOUR;
}

/** The UTC instant of a wall-clock time in a zone (DST-safe: corrects by the zone's offset twice). */
function zonedTime(timeZone: string, year: number, month: number, day: number, hour: number): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - seen;
  }
  return new Date(guess);
}

/** The next 08:00 local after `at` (today's if it is before 08:00 there, else tomorrow's). */
export function nextQuietEnd(at: Date, timeZone: string): Date {
  const p = localParts(at, timeZone);
  const today = new Date(Date.UTC(p.year, p.month - 1, p.day));
  if (p.hour >= QUIET_END_HOUR) today.setUTCDate(today.getUTCDate() + 1);
  return zonedTime(timeZone, today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate(), QUIET_END_HOUR);
}

/**
 * The recipient's zone: the contact's own where known, else the zone of the number's country where that
 * country has only one, else the sending location's.
 */
export function recipientTimeZone(contactZone: string | null, numberCountry: string | null, locationZone: string): string {
  if (contactZone) return contactZone;
  if (numberCountry) {
    const locale = new Intl.Locale(`und-${numberCountry}`) as Intl.Locale & { timeZones?: string[]; getTimeZones?: () => string[] };
    const zones = locale.getTimeZones?.() ?? locale.timeZones ?? [];
    if (zones.length === 1) return zones[0];
  }
  return locationZone;
}
