// The seed file (CONTRACT "Seed file"): read, validated with errors that name the offending field, and
// applied idempotently by the store.
import fs from 'node:fs';
import type { Role } from '../domain/types';

export interface SeedLocation { id: string; name: string; timezone: string; country: string }
export interface SeedUser { id: string; name: string; role: Role; locations: string[]; token: string }
export interface SeedConnection {
  id: string; provider: string; location: string; numbers: string[];
  secrets: Record<string, string>; apiBaseUrl?: string | null;
}
export interface SeedTemplate { id: string; name: string; body: string }
/** Not in the contract's example, optional: names for the demo's contacts. */
export interface SeedContact { phone: string; name: string; timezone?: string }
export interface SeedOrg {
  id: string; name: string;
  locations: SeedLocation[]; users: SeedUser[]; connections: SeedConnection[]; templates: SeedTemplate[];
  contacts?: SeedContact[];
}
export interface Seed { orgs: SeedOrg[] }

export const PROVIDERS = ['twilio', 'telnyx', 'vonage', 'plivo', 'bandwidth', 'sinch', 'simulator'] as const;
const ROLES: Role[] = ['agent', 'supervisor', 'admin'];
const E164 = /^\+[1-9]\d{6,14}$/;

export class SeedError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new SeedError(`${where} must be a non-empty string`);
  return v;
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SeedError(`${where} must be an array`);
  return v;
}

function validTimezone(tz: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

export function parseSeed(raw: unknown): Seed {
  if (!isObject(raw)) throw new SeedError('seed must be a JSON object with "orgs"');
  const ids = new Set<string>();
  const unique = (id: string, where: string) => {
    if (ids.has(id)) throw new SeedError(`${where}: id "${id}" is used twice (ids are unique across the server)`);
    ids.add(id);
  };
  const orgs = list(raw.orgs, 'orgs').map((o, i): SeedOrg => {
    const at = `orgs[${i}]`;
    if (!isObject(o)) throw new SeedError(`${at} must be an object`);
    const org: SeedOrg = { id: str(o.id, `${at}.id`), name: str(o.name, `${at}.name`), locations: [], users: [], connections: [], templates: [], contacts: [] };
    unique(org.id, at);
    org.locations = list(o.locations, `${at}.locations`).map((l, j) => {
      const w = `${at}.locations[${j}]`;
      if (!isObject(l)) throw new SeedError(`${w} must be an object`);
      const loc = { id: str(l.id, `${w}.id`), name: str(l.name, `${w}.name`), timezone: str(l.timezone, `${w}.timezone`), country: str(l.country, `${w}.country`).toUpperCase() };
      if (!validTimezone(loc.timezone)) throw new SeedError(`${w}.timezone "${loc.timezone}" is not an IANA time zone`);
      if (!/^[A-Z]{2}$/.test(loc.country)) throw new SeedError(`${w}.country must be a two-letter country code`);
      unique(loc.id, w);
      return loc;
    });
    const locIds = new Set(org.locations.map(l => l.id));
    org.users = list(o.users, `${at}.users`).map((u, j) => {
      const w = `${at}.users[${j}]`;
      if (!isObject(u)) throw new SeedError(`${w} must be an object`);
      const role = str(u.role, `${w}.role`) as Role;
      if (!ROLES.includes(role)) throw new SeedError(`${w}.role must be one of ${ROLES.join(', ')}`);
      const locations = list(u.locations, `${w}.locations`).map((x, k) => str(x, `${w}.locations[${k}]`));
      for (const l of locations) if (!locIds.has(l)) throw new SeedError(`${w}.locations: "${l}" is not a location of ${org.id}`);
      const user = { id: str(u.id, `${w}.id`), name: str(u.name, `${w}.name`), role, locations, token: str(u.token, `${w}.token`) };
      unique(user.id, w);
      return user;
    });
    org.connections = list(o.connections, `${at}.connections`).map((c, j) => {
      const w = `${at}.connections[${j}]`;
      if (!isObject(c)) throw new SeedError(`${w} must be an object`);
      const provider = str(c.provider, `${w}.provider`);
      if (!(PROVIDERS as readonly string[]).includes(provider)) throw new SeedError(`${w}.provider must be one of ${PROVIDERS.join(', ')}`);
      const location = str(c.location, `${w}.location`);
      if (!locIds.has(location)) throw new SeedError(`${w}.location: "${location}" is not a location of ${org.id}`);
      const numbers = list(c.numbers, `${w}.numbers`).map((n, k) => {
        const num = str(n, `${w}.numbers[${k}]`);
        if (!E164.test(num)) throw new SeedError(`${w}.numbers[${k}] "${num}" is not an E.164 number`);
        return num;
      });
      if (numbers.length === 0) throw new SeedError(`${w}.numbers must list at least one number`);
      const secrets = c.secrets === undefined ? {} : c.secrets;
      if (!isObject(secrets)) throw new SeedError(`${w}.secrets must be an object`);
      for (const [k, v] of Object.entries(secrets)) if (typeof v !== 'string') throw new SeedError(`${w}.secrets.${k} must be a string`);
      let apiBaseUrl: string | null = null;
      if (c.apiBaseUrl != null) {
        apiBaseUrl = str(c.apiBaseUrl, `${w}.apiBaseUrl`);
        try { new URL(apiBaseUrl); } catch { throw new SeedError(`${w}.apiBaseUrl is not a URL`); }
      }
      const conn = { id: str(c.id, `${w}.id`), provider, location, numbers, secrets: secrets as Record<string, string>, apiBaseUrl };
      unique(conn.id, w);
      return conn;
    });
    org.templates = list(o.templates, `${at}.templates`).map((t, j) => {
      const w = `${at}.templates[${j}]`;
      if (!isObject(t)) throw new SeedError(`${w} must be an object`);
      const tpl = { id: str(t.id, `${w}.id`), name: str(t.name, `${w}.name`), body: str(t.body, `${w}.body`) };
      unique(tpl.id, w);
      return tpl;
    });
    org.contacts = list(o.contacts, `${at}.contacts`).map((c, j) => {
      const w = `${at}.contacts[${j}]`;
      if (!isObject(c)) throw new SeedError(`${w} must be an object`);
      const phone = str(c.phone, `${w}.phone`);
      if (!E164.test(phone)) throw new SeedError(`${w}.phone "${phone}" is not an E.164 number`);
      const timezone = c.timezone === undefined ? undefined : str(c.timezone, `${w}.timezone`);
      if (timezone && !validTimezone(timezone)) throw new SeedError(`${w}.timezone "${timezone}" is not an IANA time zone`);
      return { phone, name: str(c.name, `${w}.name`), timezone };
    });
    return org;
  });
  return { orgs };
}

export function readSeedFile(path: string): Seed {
  let text: string;
  try { text = fs.readFileSync(path, 'utf8'); } catch (e) { throw new SeedError(`cannot read ${path}: ${(e as Error).message}`); }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new SeedError(`${path} is not valid JSON: ${(e as Error).message}`); }
  return parseSeed(raw);
}
