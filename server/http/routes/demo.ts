// The demo CRM pages (npm start): static files from server/demo/, nothing else reachable.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Handler } from '../context';
import { notFound } from '../errors';

const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

export const demoPage: Handler = async ({ params, res }) => {
  const name = params['*'] || 'contacts.html';
  // Only plain file names inside the demo folder: no "..", no sub-paths, no dotfiles.
  if (!/^[a-z0-9][a-z0-9-]*\.(html|css|js|svg|png)$/.test(name)) throw notFound('page');
  let content: Buffer;
  try { content = await fs.readFile(path.join(DEMO_DIR, name)); } catch { throw notFound('page'); }
  res.writeHead(200, { 'content-type': TYPES[path.extname(name)], 'content-length': content.length, 'cache-control': 'no-store' });
  res.end(content);
};
