// A share of the fan-out bench's socket.io clients, in a process of its own (forked by bench/fanout.ts), so
// the clients' decoding does not run on the load generator's event loop. The clients are raw ones that
// decode only the timed sockets' events (bench/rawSocketClient.ts), or socket.io-client with `client:
// 'socket.io'` (BENCH_FANOUT_CLIENT). Protocol over IPC:
//   parent → { type: 'connect', url, client, sockets: [{ token, timed }] }   child → { type: 'ready' } once all connect
//   child → { type: 'received', items: [[providerMessageId/status, at], …] }  (timed sockets only, every 50 ms)
//   parent → { type: 'stop' }   child → { type: 'done', received, cpuMs }  (events on every socket; its own
//   CPU time since it connected its sockets), then exits
// `at` is performance.timeOrigin + performance.now(): one machine, one clock, comparable with the parent's.
import { io } from 'socket.io-client';
import { connectRaw, messageKey } from './rawSocketClient';

export type FanoutClient = 'raw' | 'socket.io';
interface ConnectMessage { type: 'connect'; url: string; client: FanoutClient; sockets: { token: string; timed: boolean }[] }
type ParentMessage = ConnectMessage | { type: 'stop' };

const send = (m: unknown) => new Promise<void>(r => process.send!(m, () => r()));
const sockets: { close(): void }[] = [];
let received = 0;
let cpuAtReady: NodeJS.CpuUsage | undefined;
let pending: [string, number][] = [];
const flusher = setInterval(() => {
  if (!pending.length) return;
  const items = pending;
  pending = [];
  void send({ type: 'received', items });
}, 50);

process.on('message', async (m: ParentMessage) => {
  if (m.type === 'connect') {
    const at = () => performance.timeOrigin + performance.now();
    if (m.client === 'raw') {
      sockets.push(...await Promise.all(m.sockets.map(({ token, timed }) => connectRaw(m.url, token, frame => {
        received++;
        if (!timed) return;
        const key = messageKey(frame);
        if (key) pending.push([key, at()]);
      }))));
    } else {
      await Promise.all(m.sockets.map(({ token, timed }) => new Promise<void>((resolve, reject) => {
        const s = io(m.url, { auth: { token }, transports: ['websocket'], reconnection: false });
        s.on('message:updated', (e: { message: { providerMessageId: string; status: string } }) => {
          received++;
          if (timed) pending.push([`${e.message.providerMessageId}/${e.message.status}`, at()]);
        });
        sockets.push(s);
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      })));
    }
    cpuAtReady = process.cpuUsage();
    await send({ type: 'ready' });
  } else if (m.type === 'stop') {
    clearInterval(flusher);
    if (pending.length) await send({ type: 'received', items: pending });
    sockets.forEach(s => s.close());
    const used = process.cpuUsage(cpuAtReady);
    await send({ type: 'done', received, cpuMs: (used.user + used.system) / 1000 });
    process.exit(0);
  }
});
