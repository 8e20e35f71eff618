// @vitest-environment node
// The ingest bench's lean HTTP client, against a real node:http server on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { blast, openPool, pace } from '../lib';
import { encodeRequest, ResponseReader } from '../rawHttp';

const servers: http.Server[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map(s => new Promise(r => { s.closeAllConnections(); s.close(r); }))); });

/** A server that records each request's path and body and answers as `answer` says. */
async function serve(answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void) {
  const seen: { method: string; path: string; body: string; type?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', d => { body += d; });
    req.on('end', () => {
      if (req.url !== '/bench/open-connection') seen.push({ method: req.method!, path: req.url!, body, type: req.headers['content-type'] });
      answer(req, body, res);
    });
  });
  servers.push(server);
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const requests = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `/hook/${i}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `n=${i}&é=${'x'.repeat(i % 7)}` }));

describe('ResponseReader', () => {
  const ok = 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello';
  const noContent = 'HTTP/1.1 204 No Content\r\nconnection: keep-alive\r\n\r\n';

  it('finds each response however the bytes are cut', () => {
    const bytes = Buffer.from(ok + noContent + ok.replace('200 OK', '503 Busy'));
    for (let cut = 1; cut < bytes.length; cut++) {
      const reader = new ResponseReader();
      expect([...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))]).toEqual([200, 204, 503]);
    }
  });

  it('waits for the whole body before it reports the status', () => {
    const reader = new ResponseReader();
    expect(reader.push(Buffer.from(ok.slice(0, -1)))).toEqual([]);
    expect(reader.push(Buffer.from('o'))).toEqual([200]);
  });

  it('refuses what it cannot delimit', () => {
    expect(() => new ResponseReader().push(Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'))).toThrow(/chunked/);
    expect(() => new ResponseReader().push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow(/without content-length/);
    expect(() => new ResponseReader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(/not an HTTP/);
  });
});

describe('encodeRequest', () => {
  it('counts the body in bytes, not characters', () => {
    const bytes = encodeRequest('h:1', { path: '/p', headers: { a: 'b' }, body: 'é' }).toString('latin1');
    expect(bytes).toBe('POST /p HTTP/1.1\r\nhost: h:1\r\na: b\r\ncontent-length: 2\r\n\r\n\xc3\xa9');
  });
});

describe('blast and pace against a real server', () => {
  it('blast delivers every request once, bodies intact, and counts non-2xx answers as errors', async () => {
    const server = await serve((req, body, res) => { res.statusCode = body.startsWith('n=3&') ? 500 : 204; res.end(); });
    const sent = requests(40);
    const r = await blast(server.url, sent, 8);
    expect(server.seen.map(s => `${s.path} ${s.body}`).sort()).toEqual(sent.map(s => `${s.path} ${s.body}`).sort());
    expect(server.seen.every(s => s.method === 'POST' && s.type === 'application/x-www-form-urlencoded')).toBe(true);
    expect(r.errors).toBe(1);
    expect(r.latencies).toHaveLength(40); // an error answer still took its time
  });

  it('pace sends in order at the rate, and a busy pool queues instead of opening connections', async () => {
    let sentCount = 0;
    const server = await serve((req, body, res) => { setTimeout(() => res.end('ok'), 30); });
    const pool = await openPool(server.url, 2);
    const started = performance.now();
    const r = await pace(server.url, requests(10), 200, () => { sentCount++; }, pool);
    const took = performance.now() - started;
    pool.destroy();
    expect(sentCount).toBe(10);
    expect(r.errors).toBe(0);
    expect(server.seen.map(s => s.path)).toEqual(requests(10).map(s => s.path));
    // Two connections, 30 ms each answer: 10 requests need 5 rounds, so the last waited its turn.
    expect(took).toBeGreaterThanOrEqual(150);
    expect(Math.max(...r.byRequest)).toBeGreaterThan(60);
  });

  it('pace reports every request as an error when the server drops the connections', async () => {
    const server = await serve((req, body, res) => { if (req.url === '/bench/open-connection') res.end(); else req.socket.destroy(); });
    const r = await pace(server.url, requests(6), 1000, undefined, await openPool(server.url, 2));
    expect(r.errors).toBe(6);
    expect(r.byRequest.every(Number.isFinite)).toBe(true);
  });
});
