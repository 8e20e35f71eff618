// A lean HTTP/1.1 keep-alive client for the ingest bench. Each request is one buffer built before the run;
// a connection carries one request at a time and reads only the status line and the response's length.
// Why: with node:http's client, the load generator took about as much CPU per request as the server it
// measured (on this 2-core machine the two share the cores); a provider's callbacks come from elsewhere.
import net from 'node:net';

export interface LoadRequest { path: string; headers: Record<string, string>; body: string }

/** The bytes of a POST of `r` to `host`. */
export function encodeRequest(host: string, r: LoadRequest): Buffer {
  const body = Buffer.from(r.body);
  const head = [`POST ${r.path} HTTP/1.1`, `host: ${host}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${body.length}`, '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Responses read from a byte stream: `push` returns the statuses of the responses completed by a chunk (the
 * head and `content-length` bytes of body in; none yet: an empty list). A response this client cannot
 * delimit (chunked, or no length on a status that has a body) is an error, not a guess.
 */
export class ResponseReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): number[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const statuses: number[] = [];
    for (;;) {
      const end = this.buffered.indexOf(HEAD_END);
      if (end < 0) return statuses;
      const head = this.buffered.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      if (!/^HTTP\/1\.1 \d{3}/.test(head) || !Number.isInteger(status)) throw new Error(`not an HTTP/1.1 response: ${JSON.stringify(head.slice(0, 40))}`);
      if (/\r\ntransfer-encoding:/i.test(head)) throw new Error('chunked responses are not read by this client');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!length && status !== 204 && status !== 304) throw new Error(`a ${status} response without content-length`);
      const total = end + HEAD_END.length + (length ? Number(length[1]) : 0);
      if (this.buffered.length < total) return statuses;
      statuses.push(status);
      this.buffered = this.buffered.subarray(total);
    }
  }
}

/** A keep-alive connection that sends one request at a time; `send` resolves with the response's status. */
export class RawConnection {
  private readonly reader = new ResponseReader();
  private waiting: { resolve: (status: number) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', chunk => {
      let statuses: number[];
      try { statuses = this.reader.push(chunk); } catch (e) { this.fail(e as Error); return; }
      for (const status of statuses) {
        const w = this.waiting;
        this.waiting = null;
        if (!w) { this.fail(new Error('a response nobody asked for')); return; }
        w.resolve(status);
      }
    });
    socket.on('error', e => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => { socket.off('error', reject); resolve(new RawConnection(socket)); });
      socket.once('error', reject);
    });
  }

  send(request: Buffer): Promise<number> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.waiting) return Promise.reject(new Error('one request at a time on a connection'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void { this.socket.destroy(); }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    this.waiting?.reject(e);
    this.waiting = null;
  }
}

/**
 * `size` connections to `baseUrl`, opened now, each used once for a GET to a path that answers 404 without
 * touching the database: the server has read a request on each, so none is idle as a fresh connection.
 */
export async function openConnections(baseUrl: string, size: number): Promise<RawConnection[]> {
  const url = new URL(baseUrl);
  const hello = Buffer.from(`GET /bench/open-connection HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`, 'latin1');
  return Promise.all(Array.from({ length: size }, async () => {
    const c = await RawConnection.open(Number(url.port), url.hostname);
    await c.send(hello);
    return c;
  }));
}
