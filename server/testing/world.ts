// The seed world the server tests and the benches share: two orgs, agents in different locations, a Twilio
// and a simulator connection, and the signed Twilio status callback's parameters.
import type { Seed } from '../seed';

export const TOKENS = { ana: 'tok-ana-north', ben: 'tok-ben-south', sue: 'tok-sue-super', zed: 'tok-zed-other-org' };
export const AUTH_TOKEN = 'twilio-auth-token-123';
export const ACCOUNT_SID = 'AC' + 'a'.repeat(32);

/**
 * A fixed-offset zone where the local hour is `hour` right now: quiet hours (21:00–08:00) must not decide a
 * test by the time of day CI happens to run it.
 */
export function zoneAtLocalHour(hour: number): string {
  const utcHour = new Date().getUTCHours();
  let offset = hour - utcHour; // local = UTC + offset
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // POSIX-style names invert the sign: Etc/GMT-3 is UTC+3.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export function worldSeed(twilioUrl: string): Seed {
  const daytime = zoneAtLocalHour(12);
  return {
    orgs: [
      {
        id: 'acme', name: 'Acme',
        locations: [
          { id: 'north', name: 'North', timezone: daytime, country: 'US' },
          { id: 'south', name: 'South', timezone: daytime, country: 'US' },
        ],
        users: [
          { id: 'ana', name: 'Ana', role: 'agent', locations: ['north'], token: TOKENS.ana },
          { id: 'ben', name: 'Ben', role: 'agent', locations: ['south'], token: TOKENS.ben },
          { id: 'sue', name: 'Sue', role: 'supervisor', locations: ['north'], token: TOKENS.sue },
        ],
        connections: [
          { id: 'tw-north', provider: 'twilio', location: 'north', numbers: ['+12125550100'], secrets: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, apiBaseUrl: twilioUrl },
          { id: 'sim-south', provider: 'simulator', location: 'south', numbers: ['+13125550100'], secrets: {} },
        ],
        templates: [{ id: 'hello', name: 'Hello', body: 'Hi {{firstName}}, see you {{date}}.' }],
        contacts: [
          { phone: '+14155550134', name: 'Maria Lopez' },
          // It is 23:00 where this contact lives, whatever the hour of the test run.
          { phone: '+14155550999', name: 'Night Owl', timezone: zoneAtLocalHour(23) },
        ],
      },
      {
        id: 'other', name: 'Other Co',
        locations: [{ id: 'other-main', name: 'Main', timezone: 'Europe/London', country: 'GB' }],
        users: [{ id: 'zed', name: 'Zed', role: 'admin', locations: ['other-main'], token: TOKENS.zed }],
        connections: [{ id: 'tw-other', provider: 'twilio', location: 'other-main', numbers: ['+447700900100'], secrets: { accountSid: ACCOUNT_SID, authToken: 'other-token' }, apiBaseUrl: twilioUrl }],
        templates: [],
      },
    ],
  };
}

export const statusParams = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: ACCOUNT_SID, From: '+12125550100', To: '+14155550134', ApiVersion: '2010-04-01', ...extra,
});
