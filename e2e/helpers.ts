// Real-Chromium harness: the built extension (.output/chrome-mv3) in Debian's Chromium, a real server
// (server/testing/) and a fake Twilio REST API on loopback. Launch flags as measured in RECIPES.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { Message } from '../domain/types';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = path.resolve(HERE, '../.output/chrome-mv3');
export const ARTIFACTS = path.resolve(HERE, '.artifacts');

/**
 * True when Chromium and the built extension are there. Outside CI a missing browser is a loud skip;
 * in CI (CI=true) it is a failure, so a broken CI image never passes silently.
 */
export function browserTestsCanRun(): boolean {
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM_PATH)) missing.push(`Chromium not found at ${CHROMIUM_PATH} (install: apt-get install -y chromium, or set CHROMIUM_PATH)`);
  if (!fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) missing.push(`extension not built at ${EXTENSION_DIR} (run: npm run build)`);
  if (!missing.length) return true;
  const message = `REAL-BROWSER TESTS CANNOT RUN:\n  - ${missing.join('\n  - ')}`;
  if (process.env.CI === 'true') throw new Error(message);
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! SKIPPING ${message}\n${bar}\n`);
  return false;
}

export interface ExtensionBrowser {
  ctx: BrowserContext;
  extensionId: string;
  worker(): Promise<Worker>;
  close(): Promise<void>;
}

export async function launchWithExtension(): Promise<ExtensionBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: false,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless=new',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const first = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(first.url()).host;
  return {
    ctx,
    extensionId,
    // The live worker: after a restart Playwright reports a new Worker object.
    async worker() {
      const live = ctx.serviceWorkers().filter(w => w.url().startsWith(`chrome-extension://${extensionId}/`));
      return live[live.length - 1] ?? (await ctx.waitForEvent('serviceworker', { timeout: 15_000 }));
    },
    async close() {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Writes the connection settings as the options page would (CONTRACT: storage.local `connection`). */
export async function configure(browser: ExtensionBrowser, settings: { serverUrl: string; token: string }): Promise<void> {
  const sw = await browser.worker();
  await sw.evaluate(s => chrome.storage.local.set({ connection: s }), settings);
}

export async function connectionStatus(browser: ExtensionBrowser): Promise<string | undefined> {
  const sw = await browser.worker();
  return sw.evaluate(async () => ((await chrome.storage.session.get('connectionState')).connectionState as { status?: string } | undefined)?.status);
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise(r => setTimeout(r, everyMs));
  }
}

/** The badge host for a phone (the first one when a page shows the number more than once). */
export function badge(page: Page, phone: string) {
  return page.locator(`texttrail-badge[data-phone="${phone}"]`).first();
}

export async function expectStatus(page: Page, phone: string, status: string, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  await waitFor(`badge ${phone} → ${status}`, async () => (await badge(page, phone).getAttribute('data-status')) === status, timeoutMs, 25);
  return Date.now() - started;
}

// ---- the server's API, as a test client ----

export async function api<T = unknown>(baseUrl: string, token: string, method: string, p: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(baseUrl + p, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

export async function sendText(baseUrl: string, token: string, to: string, body: string): Promise<Message> {
  const r = await api<Message>(baseUrl, token, 'POST', '/api/messages', { to, body });
  if (r.status !== 201) throw new Error(`POST /api/messages → ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

// ---- a fake Twilio REST API and signed callbacks ----

export interface FakeTwilio {
  url: string;
  requests: { accountSid: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

/** Answers POST /2010-04-01/Accounts/{sid}/Messages.json like Twilio does, and records each request. */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: FakeTwilio['requests'] = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    const m = req.url?.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
    if (req.method !== 'POST' || !m) { res.writeHead(404).end(); return; }
    let raw = '';
    req.on('data', c => (raw += c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ accountSid: m[1], params });
      const sid = `SM${String(++seq).padStart(32, '0')}`;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, status: 'queued', to: params.To, from: params.From, body: params.Body }));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise(r => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + sorted params' key and value)). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map(k => k + params[k]).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export async function postTwilioCallback(
  server: { url: string; publicUrl: string },
  connectionId: string,
  authToken: string,
  params: Record<string, string>,
): Promise<number> {
  const p = `/webhooks/twilio/${connectionId}`;
  const res = await fetch(server.url + p, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, server.publicUrl + p, params) },
    body: new URLSearchParams(params).toString(),
  });
  return res.status;
}

// ---- a seed with a Twilio connection pointed at the fake ----

export const E2E_TOKEN = 'e2e-agent-ana';
export const E2E_CONNECTION = 'e2e-twilio';
export const E2E_ACCOUNT_SID = 'AC00000000000000000000000000000e2e';
export const E2E_AUTH_TOKEN = 'e2e-twilio-auth-token';
export const E2E_FROM = '+12125550100';

export const DEMO_CONTACTS = [
  { phone: '+14155550134', name: 'Maria Lopez' },
  { phone: '+14155550003', name: 'James Carter' },
  { phone: '+16465550006', name: 'Priya Shah' },
  { phone: '+13125550007', name: 'Tom Becker' },
  { phone: '+14155551610', name: 'Olivia Chen' },
  { phone: '+14155559999', name: 'Noah Williams' },
  { phone: '+12125550188', name: 'Emma Johnson' },
  { phone: '+13125550142', name: 'Liam Garcia' },
];

export function twilioSeed(apiBaseUrl: string) {
  return {
    orgs: [{
      id: 'e2e', name: 'E2E Dental',
      locations: [{ id: 'e2e-north', name: 'North Clinic', timezone: 'America/New_York', country: 'US' }],
      users: [{ id: 'e2e-ana', name: 'Ana Alvarez', role: 'agent' as const, locations: ['e2e-north'], token: E2E_TOKEN }],
      connections: [{
        id: E2E_CONNECTION, provider: 'twilio', location: 'e2e-north', numbers: [E2E_FROM],
        secrets: { accountSid: E2E_ACCOUNT_SID, authToken: E2E_AUTH_TOKEN }, apiBaseUrl,
      }],
      templates: [],
      contacts: DEMO_CONTACTS,
    }],
  };
}

/** A Twilio status callback for a message the server sent through the fake. */
export function statusParams(sid: string, to: string, status: string, errorCode?: string): Record<string, string> {
  return {
    MessageSid: sid, SmsSid: sid, AccountSid: E2E_ACCOUNT_SID, From: E2E_FROM, To: to,
    MessageStatus: status, SmsStatus: status, ApiVersion: '2010-04-01', ...(errorCode ? { ErrorCode: errorCode } : {}),
  };
}

/** Reads one row of the extension's IndexedDB (Dexie database "texttrail") from its service worker. */
export async function readExtensionRow<T>(browser: ExtensionBrowser, table: string, key: string): Promise<T | undefined> {
  const sw = await browser.worker();
  return sw.evaluate(([t, k]) => new Promise<T | undefined>((resolve, reject) => {
    const open = indexedDB.open('texttrail');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction(t, 'readonly').objectStore(t).get(k);
      get.onsuccess = () => { resolve(get.result as T | undefined); open.result.close(); };
      get.onerror = () => reject(get.error);
    };
  }), [table, key] as const);
}

// ---- the shared inbox (issue 5): a seed with two clinics, several roles, templates ----

/** An IANA zone where it is now about `hour` o'clock: keeps quiet hours (21:00–08:00) out of, or in, a test. */
export function zoneAtHour(hour: number, now = new Date()): string {
  let offset = hour - now.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // Etc/GMT signs are inverted: Etc/GMT-3 is UTC+3.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export const INBOX = {
  ana: 'inbox-agent-ana',
  ben: 'inbox-agent-ben',
  sue: 'inbox-supervisor-sue',
  adam: 'inbox-admin-adam',
  north: { id: 'inbox-north', connection: 'inbox-twilio-north', from: '+12125550100' },
  south: { id: 'inbox-south', connection: 'inbox-twilio-south', from: '+13125550100' },
  authToken: 'inbox-twilio-auth-token',
  accountSid: 'AC000000000000000000000000000inbox',
} as const;

export function inboxSeed(apiBaseUrl: string, zones: { north: string; south: string } = { north: zoneAtHour(12), south: zoneAtHour(13) }) {
  const secrets = { accountSid: INBOX.accountSid, authToken: INBOX.authToken };
  return {
    orgs: [{
      id: 'inbox', name: 'Acme Dental',
      locations: [
        { id: INBOX.north.id, name: 'North Clinic', timezone: zones.north, country: 'US' },
        { id: INBOX.south.id, name: 'South Clinic', timezone: zones.south, country: 'US' },
      ],
      users: [
        { id: 'inbox-ana', name: 'Ana Alvarez', role: 'agent' as const, locations: [INBOX.north.id], token: INBOX.ana },
        { id: 'inbox-ben', name: 'Ben Brooks', role: 'agent' as const, locations: [INBOX.north.id], token: INBOX.ben },
        { id: 'inbox-sue', name: 'Sue Sato', role: 'supervisor' as const, locations: [INBOX.north.id, INBOX.south.id], token: INBOX.sue },
        { id: 'inbox-adam', name: 'Adam Admin', role: 'admin' as const, locations: [INBOX.north.id, INBOX.south.id], token: INBOX.adam },
      ],
      connections: [
        { id: INBOX.north.connection, provider: 'twilio', location: INBOX.north.id, numbers: [INBOX.north.from], secrets, apiBaseUrl },
        { id: INBOX.south.connection, provider: 'twilio', location: INBOX.south.id, numbers: [INBOX.south.from], secrets, apiBaseUrl },
      ],
      templates: [
        { id: 'follow-up', name: 'Follow-up call', body: 'Hi {{firstName}}, this is Acme Dental. Please call us back to confirm your visit.' },
        { id: 'reminder', name: 'Appointment reminder', body: 'Hi {{firstName}}, see you {{date}} at Acme Dental. Reply STOP to opt out.' },
      ],
      contacts: DEMO_CONTACTS,
    }],
  };
}

/** A Twilio status callback for a message sent from one of the inbox seed's numbers. */
export async function inboxCallback(server: { url: string; publicUrl: string }, m: Pick<Message, 'providerMessageId' | 'to' | 'connectionId' | 'from'>, status: string, errorCode?: string): Promise<number> {
  const params: Record<string, string> = {
    MessageSid: m.providerMessageId!, SmsSid: m.providerMessageId!, AccountSid: INBOX.accountSid, From: m.from, To: m.to,
    MessageStatus: status, SmsStatus: status, ApiVersion: '2010-04-01', ...(errorCode ? { ErrorCode: errorCode } : {}),
  };
  return postTwilioCallback(server, m.connectionId, INBOX.authToken, params);
}

/** Sends a text through the API and drives it to a final status with signed callbacks. */
export async function sendAndSettle(server: { url: string; publicUrl: string }, token: string, to: string, body: string, status: string, errorCode?: string, connectionId?: string): Promise<Message> {
  const r = await api<Message>(server.url, token, 'POST', '/api/messages', { to, body, ...(connectionId ? { connectionId } : {}) });
  if (r.status !== 201) throw new Error(`POST /api/messages → ${r.status} ${JSON.stringify(r.json)}`);
  const code = await inboxCallback(server, r.json, 'sent');
  if (code !== 200) throw new Error(`callback sent → ${code}`);
  if (status !== 'sent' && (await inboxCallback(server, r.json, status, errorCode)) !== 200) throw new Error(`callback ${status} failed`);
  return r.json;
}

const AXE_SOURCE = path.resolve(HERE, '../node_modules/axe-core/axe.min.js');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: string[] }

/**
 * Runs axe-core inside the page (CDP evaluation, so extension pages' CSP does not stop it) and returns the
 * serious and critical violations. `within` is a chain of selectors, each inside the previous one's shadow root.
 */
export async function axeViolations(page: Page, within?: string[]): Promise<AxeViolation[]> {
  await page.evaluate(fs.readFileSync(AXE_SOURCE, 'utf8'));
  return page.evaluate(async (chain) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const context = chain ? { include: { fromShadowDom: chain } } : document;
    const result = await axe.run(context, { resultTypes: ['violations'] });
    return result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => JSON.stringify(n.target)) }));
  }, within ?? null);
}

/** Where a test writes a screenshot (e2e/.artifacts, every run). */
export function artifactPath(file: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, file);
}

/** Copies a screenshot into docs/ (for the README) when it is missing there or UPDATE_SCREENSHOTS=1. */
export function copyToDocs(file: string): void {
  const docs = path.resolve(HERE, '../docs');
  const target = path.join(docs, file);
  if (process.env.UPDATE_SCREENSHOTS !== '1' && fs.existsSync(target)) return;
  fs.mkdirSync(docs, { recursive: true });
  fs.copyFileSync(path.join(ARTIFACTS, file), target);
}

// ---- a network cable the test can pull: a TCP proxy in front of the server ----

export interface CutProxy {
  url: string;
  /** When each connection was attempted (ms since the epoch), cut or not: how often the client retried. */
  attempts: number[];
  /** Drops every open connection and refuses new ones: the extension is offline. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Forwards raw TCP (HTTP and WebSocket alike) to `targetUrl` until cut. */
export async function startCutProxy(targetUrl: string): Promise<CutProxy> {
  const net = await import('node:net');
  const target = new URL(targetUrl);
  const open = new Set<import('node:net').Socket>();
  const attempts: number[] = [];
  let down = false;
  const server = net.createServer(client => {
    attempts.push(Date.now());
    if (down) { client.destroy(); return; }
    const upstream = net.connect(Number(target.port), target.hostname);
    open.add(client); open.add(upstream);
    const drop = () => { client.destroy(); upstream.destroy(); open.delete(client); open.delete(upstream); };
    client.on('error', drop); upstream.on('error', drop); client.on('close', drop); upstream.on('close', drop);
    client.pipe(upstream); upstream.pipe(client);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    cut() { down = true; for (const s of open) s.destroy(); open.clear(); },
    restore() { down = false; },
    close: () => new Promise(r => { down = true; for (const s of open) s.destroy(); server.close(() => r()); }),
  };
}
