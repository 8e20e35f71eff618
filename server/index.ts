// Bootstrap only: configuration, the app, the log line, graceful shutdown.
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { SeedError } from './seed';

function printDemoSteps(url: string): void {
  console.log(`demo: ${url}/demo/`);
  console.log(`
Try it:
  1. In Chromium or Chrome, open chrome://extensions, turn on Developer mode, "Load unpacked" and pick
     ${process.cwd()}/.output/chrome-mv3
  2. In the extension's options (Details → Extension options) set
       server URL: ${url}
       token:      demo-agent-ana   (agent, North Clinic; also demo-agent-ben, demo-supervisor-sue)
  3. Open ${url}/demo/ — every phone number carries a live delivery badge. Click one to text it:
     numbers ending 0003, 0006, 0007 and 1610 fail the way real carriers do, 9999 gets stuck, the rest deliver.
`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  console.log(`listening on ${app.url}`);
  if (app.config.publicUrl !== app.url) console.log(`providers call ${app.config.publicUrl}/webhooks/…`);
  if (config.demo) printDemoSteps(app.url);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing`);
    app.close().then(() => process.exit(0), e => { console.error(e); process.exit(1); });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch(e => {
  // One line naming the problem: a bad variable, a bad seed, a port in use, a database that will not open.
  if (e instanceof ConfigError || e instanceof SeedError) console.error(`texttrail: ${e.message}`);
  else if (e?.code === 'EADDRINUSE') console.error(`texttrail: PORT ${e.port} is already in use`);
  else console.error(`texttrail: cannot start: ${e?.message ?? e}`);
  process.exit(1);
});
