// Any provider's REST API faked at the HTTP level on loopback: records every request as it arrived and
// answers with whatever the test's responder says.
import http from 'node:http';

export interface FakeRequest {
  method: string;
  /** The path without the query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

export interface FakeResponse { status: number; json?: unknown }

export interface FakeProviderApi {
  url: string;
  requests: FakeRequest[];
  /** Decides each answer; replace it to make the API refuse, fail or stall. */
  respond: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;
  close(): Promise<void>;
}

export async function startFakeProviderApi(respond: FakeProviderApi['respond']): Promise<FakeProviderApi> {
  const fake: FakeProviderApi = { url: '', requests: [], respond, close: async () => {} };
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', d => chunks.push(d));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try { json = JSON.parse(raw); } catch { json = null; }
      const recorded: FakeRequest = { method: req.method ?? '', path: (req.url ?? '').split('?')[0], headers: req.headers, raw, json };
      fake.requests.push(recorded);
      const answer = await fake.respond(recorded);
      const body = answer.json === undefined ? '' : JSON.stringify(answer.json);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  fake.close = () => new Promise(r => { srv.closeAllConnections(); srv.close(() => r()); });
  return fake;
}

/** "Basic base64(user:pass)" → "user:pass", for asserting what credentials a send carried. */
export function basicCredentials(authorization: string | undefined): string {
  return Buffer.from((authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
}
