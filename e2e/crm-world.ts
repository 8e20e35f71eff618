// What every CRM-hostname test starts with: a fake Twilio, a TextTrail server seeded for it, the CRM
// hosts served from loopback, and Chromium with the built extension, connected to the server as the agent.
import { startTestServer } from '../server/testing';
import { launchForCrm, startCrmHost, type CrmBrowser, type CrmHost, type Route } from './crm-host';
import { E2E_TOKEN, startFakeTwilio, twilioSeed, type FakeTwilio } from './helpers';

type Seed = ReturnType<typeof twilioSeed>;

export interface CrmWorld {
  twilio: FakeTwilio;
  server: Awaited<ReturnType<typeof startTestServer>>;
  host: CrmHost;
  browser: CrmBrowser;
  /** Points the extension at `serverUrl` (the server itself unless a test puts something in between). */
  connect(serverUrl: string): Promise<void>;
  close(): Promise<void>;
}

export async function startCrmWorld(opts: { route: Route; seed?: (seed: Seed) => Seed; connect?: boolean }): Promise<CrmWorld> {
  const twilio = await startFakeTwilio();
  const seed = twilioSeed(twilio.url);
  const server = await startTestServer({ seed: opts.seed ? opts.seed(seed) : seed });
  const host = await startCrmHost(opts.route);
  const browser = await launchForCrm(host.port);
  const connect = async (serverUrl: string) => {
    await (await browser.worker()).evaluate(s => chrome.storage.local.set({ connection: s }), { serverUrl, token: E2E_TOKEN });
  };
  if (opts.connect !== false) await connect(server.url);
  return {
    twilio, server, host, browser, connect,
    close: async () => {
      await browser.close();
      await host.close();
      await server.close();
      await twilio.close();
    },
  };
}
