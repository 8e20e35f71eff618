// Bootstrap only: configuration, the app, the log line, graceful shutdown.
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { SeedError } from './seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  console.log(`listening on ${app.url}`);
  if (config.publicUrl !== app.url) console.log(`providers call ${config.publicUrl}/webhooks/…`);
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
