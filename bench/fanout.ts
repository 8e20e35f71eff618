// Fan-out: many sockets across many orgs, callbacks paced at a fixed rate; callback → socket latency
// measured on one socket per org while every socket receives its org's events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startFakeTwilio } from '../server/__tests__/helpers/fakeTwilio';
import { twilioSignature } from '../server/providers/twilio';
import type { Seed } from '../server/seed';
import { createTestDatabase } from '../server/testing';
import { blast, percentile, startChild, type LoadRequest } from './lib';

export interface FanoutOptions { root: string; orgs: number; socketsPerOrg: number; rate: number; seconds: number }

export async function measureFanout(o: FanoutOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-fanout-'));
  const db = await createTestDatabase('sqlite');
  const twilio = await startFakeTwilio();
  const authToken = 'fanout-secret';
  const seed: Seed = { orgs: Array.from({ length: o.orgs }, (_, i) => ({
    id: `org${i}`, name: `Org ${i}`,
    locations: [{ id: `org${i}-loc`, name: 'Main', timezone: 'America/New_York', country: 'US' }],
    users: [{ id: `org${i}-sup`, name: 'Sup', role: 'supervisor' as const, locations: [`org${i}-loc`], token: `tok-org${i}` }],
    connections: [{ id: `org${i}-tw`, provider: 'twilio', location: `org${i}-loc`, numbers: [`+1212555${String(1000 + i).padStart(4, '0')}`], secrets: { accountSid: 'AC' + 'f'.repeat(32), authToken }, apiBaseUrl: twilio.url }],
    templates: [],
  })) };
  fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(seed));
  const server = await startChild(process.execPath, ['--import', 'tsx', path.join(o.root, 'server/index.ts')], { PORT: '0', DATABASE_URL: db.url, SEED: path.join(dir, 'seed.json'), PUBLIC_URL: '' });

  // Messages to call back about: enough for `rate * seconds` callbacks at three statuses each.
  const perOrg = Math.ceil((o.rate * o.seconds) / 3 / o.orgs);
  const sends: LoadRequest[] = [];
  for (let i = 0; i < o.orgs; i++) for (let k = 0; k < perOrg; k++) {
    sends.push({ path: '/api/messages', headers: { authorization: `Bearer tok-org${i}`, 'content-type': 'application/json' }, body: JSON.stringify({ to: `+1415555${String(1000 + k).padStart(4, '0')}`, body: 'fan-out' }) });
  }
  await blast(server.url, sends, 16);
  const sidOrg = new Map(twilio.sends.map(s => [s.sid, Number(s.params.StatusCallback.match(/org(\d+)-tw$/)![1])]));

  const sockets: Socket[] = [];
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  let received = 0;
  for (let i = 0; i < o.orgs; i++) for (let k = 0; k < o.socketsPerOrg; k++) {
    const s = io(server.url, { auth: { token: `tok-org${i}` }, transports: ['websocket'], reconnection: false });
    s.on('message:updated', (e: { message: { providerMessageId: string; status: string } }) => {
      received++;
      if (k !== 0) return; // latency on one socket per org
      const t0 = sentAt.get(`${e.message.providerMessageId}/${e.message.status}`);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
    });
    sockets.push(s);
  }
  await Promise.all(sockets.map(s => new Promise<void>((resolve, reject) => { if (s.connected) resolve(); s.once('connect', () => resolve()); s.once('connect_error', reject); })));
  const rssBefore = Number(fs.readFileSync(`/proc/${server.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1]);

  const hookUrl = (org: number) => `${server.url}/webhooks/twilio/org${org}-tw`;
  const plan: { sid: string; status: string; req: LoadRequest }[] = [];
  for (const status of ['sent', 'delivered', 'read']) for (const [sid, org] of sidOrg) {
    const params = { MessageSid: sid, MessageStatus: status, AccountSid: 'AC' + 'f'.repeat(32), From: '+12125550000', To: '+14155550000' };
    plan.push({ sid, status, req: { path: `/webhooks/twilio/org${org}-tw`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, hookUrl(org), params) }, body: new URLSearchParams(params).toString() } });
  }
  const total = Math.min(plan.length, o.rate * o.seconds);
  const interval = 1000 / o.rate;
  const start = performance.now();
  const inFlight: Promise<unknown>[] = [];
  const batch = Math.max(1, Math.round(o.rate / 500)); // send in small groups: timers cannot fire every 0.5 ms
  for (let i = 0; i < total; i += batch) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await new Promise(r => setTimeout(r, wait));
    const group = plan.slice(i, i + batch);
    for (const p of group) sentAt.set(`${p.sid}/${p.status}`, performance.now());
    inFlight.push(blast(server.url, group.map(p => p.req), group.length));
  }
  const offered = total / ((performance.now() - start) / 1000);
  await Promise.all(inFlight);
  await new Promise(r => setTimeout(r, 2000));
  const rssAfter = Number(fs.readFileSync(`/proc/${server.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1]);
  sockets.forEach(s => s.close());
  await server.stop();
  await twilio.close();
  await db.drop();
  latencies.sort((a, b) => a - b);
  return {
    sockets: sockets.length, orgs: o.orgs, callbacks: total, offeredPerSecond: Math.round(offered),
    measured: latencies.length, socketMessages: received, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    serverRssMiB: { idleWithSockets: Math.round(rssBefore / 1024), afterRun: Math.round(rssAfter / 1024) },
  };
}
