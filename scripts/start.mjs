#!/usr/bin/env node
// `npm start`: build the extension, then run the server on the embedded default with the demo seed, the
// simulated carrier and the demo CRM pages. The same environment variables as `npm run server` apply.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = name => path.join(root, 'node_modules', '.bin', name);

if (process.env.TEXTTRAIL_SKIP_BUILD !== '1') {
  console.log('building the extension into .output/chrome-mv3 …');
  const build = spawnSync(bin('wxt'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    console.error('texttrail: the extension build failed (run `npx wxt build` to see why)');
    process.exit(1);
  }
}

const env = {
  ...process.env,
  SEED: process.env.SEED || path.join(root, 'server/demo/seed.json'),
  TEXTTRAIL_DEMO: '1',
};
const server = spawn(bin('tsx'), [path.join(root, 'server/index.ts')], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', code => process.exit(code ?? 0));
