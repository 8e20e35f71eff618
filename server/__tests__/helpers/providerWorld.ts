// A real server seeded with one connection of one provider whose REST API is a loopback fake: enough to
// send a text through the API and post that provider's own signed callbacks back at the webhook.
import type { Seed } from '../../seed';
import { startTestServer, type TestServer } from '../../testing';
import type { WebhookRequest } from '../../providers/types';
import { startFakeProviderApi, type FakeProviderApi } from './fakeProviderApi';

export const AGENT_TOKEN = 'tok-provider-agent';
export const OUR_NUMBER = '+12125550100';
export const CONTACT = '+14155550134';

export interface ProviderWorld {
  server: TestServer;
  fake: FakeProviderApi;
  connectionId: string;
  /** The webhook's public URL, the one URL-bound signatures are computed over. */
  webhookUrl: string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** POST to the connection's webhook exactly as given. */
  webhook(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; json: any }>;
  /** The newest state of a message, as /api/sync reports it. */
  message(id: string): Promise<any>;
  close(): Promise<void>;
}

export async function startProviderWorld(opts: {
  provider: string;
  secrets: Record<string, string>;
  respond: FakeProviderApi['respond'];
}): Promise<ProviderWorld> {
  const fake = await startFakeProviderApi(opts.respond);
  const connectionId = `${opts.provider}-north`;
  const seed: Seed = {
    orgs: [{
      id: 'acme', name: 'Acme',
      locations: [{ id: 'north', name: 'North', timezone: 'America/New_York', country: 'US' }],
      users: [{ id: 'ana', name: 'Ana', role: 'agent', locations: ['north'], token: AGENT_TOKEN }],
      connections: [{ id: connectionId, provider: opts.provider, location: 'north', numbers: [OUR_NUMBER], secrets: opts.secrets, apiBaseUrl: fake.url }],
      templates: [],
    }],
  };
  const server = await startTestServer({ seed });
  const path = `/webhooks/${opts.provider}/${connectionId}`;
  const world: ProviderWorld = {
    server, fake, connectionId, webhookUrl: server.publicUrl + path,
    async api(method, p, body) {
      const res = await fetch(server.url + p, {
        method,
        headers: { authorization: `Bearer ${AGENT_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json: any = null;
      try { json = JSON.parse(text); } catch { json = text; }
      return { status: res.status, json };
    },
    async webhook(body, headers) {
      const res = await fetch(server.url + path, { method: 'POST', headers, body: body as RequestInit['body'] });
      const text = await res.text();
      let json: any = null;
      try { json = JSON.parse(text); } catch { json = text; }
      return { status: res.status, json };
    },
    async message(id) {
      const sync = await world.api('GET', '/api/sync?limit=1000');
      return sync.json.events.filter((e: any) => e.message.id === id).at(-1)?.message;
    },
    async close() {
      await server.close();
      await fake.close();
    },
  };
  return world;
}

/** A WebhookRequest as the route builds it, for calling a plug-in's verify/parse directly. */
export function webhookRequest(opts: { url?: string; body: string | Buffer; contentType: string; headers?: Record<string, string> }): WebhookRequest {
  const rawBody = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body, 'utf8');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  return { url: opts.url ?? 'https://texttrail.example/webhooks/x/conn', headers, rawBody, text: rawBody.toString('utf8'), contentType: opts.contentType };
}
