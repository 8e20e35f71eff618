// Real CRM hostnames (app.hubspot.com, acme.lightning.force.com, …) served from loopback, so the built
// extension's own match patterns and adapters are what runs: an HTTPS server with a self-signed
// certificate, and Chromium told to resolve those names to it (RECIPES: --host-resolver-rules).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { CHROMIUM_PATH, EXTENSION_DIR } from './helpers';

export const CRM_HOSTS = [
  'app.hubspot.com', 'app-eu1.hubspot.com', 'acme.lightning.force.com', 'acme.pipedrive.com', 'crm.zoho.com', 'crm.zoho.eu',
  'app.clinicdesk.example', 'other.clinicdesk.example',
];

/** A self-signed certificate for the CRM hosts, made once per machine with openssl and kept in the temp dir. */
function certificate(): { key: Buffer; cert: Buffer } {
  // One certificate per host list: adding a host makes a new one.
  const dir = path.join(os.tmpdir(), `texttrail-crm-cert-${CRM_HOSTS.join(',').length}-${CRM_HOSTS.length}`);
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  if (!fs.existsSync(cert)) {
    fs.mkdirSync(dir, { recursive: true });
    const san = CRM_HOSTS.map(h => `DNS:${h}`).join(',');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650',
      '-subj', '/CN=texttrail-test', '-addext', `subjectAltName=${san}`], { stdio: 'ignore' });
  }
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

export interface Served { status?: number; type?: string; body: string | Buffer; headers?: Record<string, string> }
export type Route = (url: URL, host: string) => Served | null | Promise<Served | null>;

export interface CrmHost {
  port: number;
  /** Requests seen, for tests that check what the page asked for. */
  requests: string[];
  close(): Promise<void>;
}

export async function startCrmHost(route: Route): Promise<CrmHost> {
  const requests: string[] = [];
  const server = https.createServer(certificate(), async (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host}`);
    requests.push(url.toString());
    try {
      if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
      const served = await route(url, host);
      if (!served) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      res.writeHead(served.status ?? 200, { 'content-type': served.type ?? 'text/html; charset=utf-8', 'cache-control': 'no-store', ...served.headers });
      res.end(served.body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise(r => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface CrmBrowser {
  ctx: BrowserContext;
  extensionId: string | null;
  worker(): Promise<Worker>;
  close(): Promise<void>;
}

/** Chromium resolving the CRM hosts to `port`, with the built extension (or, for baselines, without it). */
export async function launchForCrm(port: number, opts: { extension?: boolean; extensionDir?: string } = {}): Promise<CrmBrowser> {
  const withExtension = opts.extension ?? true;
  const dir = opts.extensionDir ?? EXTENSION_DIR;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-crm-profile-'));
  const rules = CRM_HOSTS.map(h => `MAP ${h} 127.0.0.1:${port}`).join(',');
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: false,
    viewport: { width: 1440, height: 900 },
    ignoreHTTPSErrors: true,
    args: [
      '--headless=new',
      ...(withExtension ? [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`] : ['--disable-extensions']),
      `--host-resolver-rules=${rules}`, '--ignore-certificate-errors',
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  let extensionId: string | null = null;
  if (withExtension) {
    const first = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 15_000 }));
    extensionId = new URL(first.url()).host;
  }
  return {
    ctx,
    extensionId,
    async worker() {
      const live = ctx.serviceWorkers().filter(w => extensionId && w.url().startsWith(`chrome-extension://${extensionId}/`));
      return live[live.length - 1] ?? (await ctx.waitForEvent('serviceworker', { timeout: 15_000 }));
    },
    async close() {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Turns on developer mode in the profile (chrome://extensions), as a developer reloading an unpacked
 * extension has it: without it Chromium disables a command-line-loaded extension when it is reloaded
 * ("unsupportedDeveloperExtension").
 */
export async function enableDeveloperMode(browser: CrmBrowser): Promise<void> {
  const page = await browser.ctx.newPage();
  await page.goto('chrome://extensions/');
  await page.evaluate(() => new Promise(res => (chrome as unknown as { developerPrivate: { updateProfileConfiguration(c: object, cb: () => void): void } }).developerPrivate.updateProfileConfiguration({ inDeveloperMode: true }, () => res(undefined))));
  await page.close();
}
