// Twilio's REST API faked at the HTTP level on loopback: records each send, answers like Twilio.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

export interface FakeSend { sid: string; accountSid: string; params: Record<string, string>; auth: string }

export interface FakeTwilio {
  url: string;
  sends: FakeSend[];
  /** Runs before the 201 is written: lets a test make a callback overtake the send's answer. */
  beforeAnswer: ((send: FakeSend) => Promise<void>) | null;
  /** What GET Messages/{sid}.json answers (reconciliation); unknown sids get a 404. */
  known: Map<string, { status: string; error_code: number | null }>;
  fetches: string[];
  /** When set, the API refuses sends with this Twilio error. */
  refuseWith: { status: number; code: number; message: string } | null;
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const fake: FakeTwilio = { url: '', sends: [], beforeAnswer: null, refuseWith: null, known: new Map(), fetches: [], close: async () => {} };
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', d => { body += d; });
    req.on('end', async () => {
      const fetched = req.url?.match(/^\/2010-04-01\/Accounts\/[^/]+\/Messages\/([^/]+)\.json$/);
      if (req.method === 'GET' && fetched) {
        fake.fetches.push(fetched[1]);
        const k = fake.known.get(fetched[1]);
        res.writeHead(k ? 200 : 404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(k ? { sid: fetched[1], ...k } : { code: 20404, message: 'not found' }));
      }
      const m = req.url?.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if (req.method !== 'POST' || !m) { res.writeHead(404, { 'content-type': 'application/json' }); return res.end('{"code":20404}'); }
      if (fake.refuseWith) {
        res.writeHead(fake.refuseWith.status, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ code: fake.refuseWith.code, message: fake.refuseWith.message, status: fake.refuseWith.status }));
      }
      const send = { sid: 'SM' + randomBytes(16).toString('hex'), accountSid: m[1], params: Object.fromEntries(new URLSearchParams(body)), auth: req.headers.authorization ?? '' };
      fake.sends.push(send);
      if (fake.beforeAnswer) await fake.beforeAnswer(send);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: send.sid, status: 'queued', to: send.params.To, from: send.params.From, body: send.params.Body }));
    });
  });
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  fake.close = () => new Promise(r => { srv.closeAllConnections(); srv.close(() => r()); });
  return fake;
}
