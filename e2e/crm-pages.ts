// The committed CRM fixtures (adapters/__fixtures__), served at the URL each declares, on the real CRM
// hostnames (crm-host.ts): the built extension's own match patterns decide where it runs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route, Served } from './crm-host';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../adapters/__fixtures__');

export interface Fixture { file: string; url: URL; html: string }

export function fixtures(): Fixture[] {
  return fs.readdirSync(FIXTURES).filter(f => f.endsWith('.html')).map(file => {
    const html = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    const url = html.match(/<meta name="texttrail-fixture-url" content="([^"]+)"/)?.[1];
    return { file, url: new URL(url!), html };
  });
}

export function fixture(file: string): Fixture {
  const f = fixtures().find(x => x.file === file);
  if (!f) throw new Error(`no fixture ${file}`);
  return f;
}

/** Serves every fixture at its own URL (path and query), plus `extra` routes tried first. */
export function fixtureRoute(extra?: Route): Route {
  const all = fixtures();
  return async (url, host) => {
    const fromExtra = await extra?.(url, host);
    if (fromExtra) return fromExtra;
    const f = all.find(x => x.url.host === host && x.url.pathname === url.pathname && x.url.search === url.search)
      ?? all.find(x => x.url.host === host && x.url.pathname === url.pathname);
    return f ? ({ body: f.html } satisfies Served) : null;
  };
}
