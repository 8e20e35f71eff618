// `npm run bench:page` (or `npx tsx bench/page.ts`): the extension on a CRM list of 5,000 phone rows, in
// real Chromium, side by side with the same page without the extension, in one run.
//
// The page is a HubSpot contacts index (bench/pageFixture.ts, the markup of the committed fixture) served
// as https://app.hubspot.com from loopback, so the built extension's own match patterns, adapter and
// content script run as they do for agents. A real TextTrail server and a faked Twilio make a live
// status change. Figures come from the page (Performance APIs) and from Chrome traces (CDP Tracing),
// which attribute main-thread time to the content script even though it runs in an isolated world.
//
// Environment: BENCH_ROWS (5000), BENCH_RUNS (3 loads each way), BENCH_BUILD=1 to build first,
// BENCH_DOCS=0 to leave docs/benchmarks-page.md alone.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startTestServer } from '../server/testing';
import { launchForCrm, startCrmHost, type CrmBrowser } from '../e2e/crm-host';
import {
  CHROMIUM_PATH, E2E_AUTH_TOKEN, E2E_CONNECTION, E2E_TOKEN, EXTENSION_DIR, postTwilioCallback, sendText, startFakeTwilio, statusParams, twilioSeed,
} from '../e2e/helpers';
import { CONTENT_SCRIPT, gzipSize } from '../scripts/contentScriptBudget';
import { hubspotListHtml, LIST_PATH, rowPhone } from './pageFixture';
import { addSelfTimes, topSelfTimes } from './cpuProfile';
import { analyseTrace, longTasksByCause, TRACE_CATEGORIES, type LongTaskShare, type TraceEvent } from './pageTrace';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PAGE_URL = `https://app.hubspot.com${LIST_PATH}`;

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
const r1 = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** What INIT leaves on the page's window for the other page scripts. */
type BenchWindow = { __ttRendered(host: Element | null): boolean };

// Runs in the page's main world before anything else: long tasks, paints, and when the rows visible at
// load first all show a rendered badge.
const INIT = `(() => {
  window.__name = window.__name || (f => f); // esbuild's keepNames helper, for functions passed to page.evaluate
  const perf = window.__ttPerf = { longTasks: [], fcp: null, visibleBadgedAt: null, firstHostAt: null };
  try { new PerformanceObserver(l => l.getEntries().forEach(e => perf.longTasks.push({ start: e.startTime, dur: e.duration }))).observe({ type: 'longtask', buffered: true }); } catch {}
  try { new PerformanceObserver(l => l.getEntries().forEach(e => { if (e.name === 'first-contentful-paint') perf.fcp = e.startTime; })).observe({ type: 'paint', buffered: true }); } catch {}
  // A badge has rendered once its pill names its look (data-look); builds before the painted pill had a
  // shadow root only once rendered, holding a .tt-pill (kept so that older builds can be measured too).
  const rendered = window.__ttRendered = h => {
    const pill = h && h.shadowRoot && h.shadowRoot.firstElementChild;
    return !!pill && (pill.hasAttribute('data-look') || pill.classList.contains('tt-pill'));
  };
  const started = performance.now();
  // What a frame painted is read right after it, in a task posted from its animation-frame callback: read
  // inside that callback, it would miss what the extension's own callback (registered later) adds to the
  // same frame. A newer frame in between voids the reading.
  let frameNo = 0;
  const check = (n, frameAt) => {
    if (n !== frameNo || perf.visibleBadgedAt != null) return;
    const rows = document.querySelectorAll('#rows tr');
    if (!rows.length) return;
    if (perf.firstHostAt == null && document.querySelector('texttrail-badge')) perf.firstHostAt = frameAt;
    const inView = [];
    for (const r of rows) { const b = r.getBoundingClientRect(); if (b.top >= innerHeight) break; if (b.bottom > 0) inView.push(r); }
    if (inView.length && inView.every(r => rendered(r.querySelector('td[data-column-index="2"] texttrail-badge')))) perf.visibleBadgedAt = frameAt;
  };
  const frame = () => {
    const n = ++frameNo;
    const at = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => check(n, at);
    channel.port2.postMessage(0);
    if (perf.visibleBadgedAt == null && performance.now() - started < 15000) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

interface LoadFigures {
  fcp: number; dcl: number; load: number; tti: number;
  pageLongTasks: number[]; longTaskStarts: string[]; maxExtensionInOneTaskMs: number;
  busyMs: number; extensionMs: number; extensionCpuMs: number; maxExtensionCpuInOneTaskMs: number; extensionLongTasks: number[]; allLongTasks: number[];
  /** Long tasks made long by the extension's share, and its share of the page's own long tasks (longTasksByCause). */
  madeLong: LongTaskShare[]; inPageLong: LongTaskShare[];
  contentScriptAt: number | null; firstHostAt: number | null; visibleBadgedAt: number | null; placedAt: number | null; hosts: number;
}

async function traced<T>(page: Page, browser: CrmBrowser, run: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  const cdp = await browser.ctx.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', e => { events.push(...(e.value as unknown as TraceEvent[])); });
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' });
  const result = await run();
  const done = new Promise(r => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  return { result, events };
}

/**
 * Runs `run` under V8's sampling profiler (one sample every 50 µs) and sums the time of the samples whose
 * stack holds extension code: the extension's main-thread work for a short event such as a status change.
 * (A trace misses it: the background's message reaches the content script through the extension bindings,
 * which emit no trace event naming our script.)
 */
async function profiled<T>(page: Page, browser: CrmBrowser, run: () => Promise<T>, top = process.env.BENCH_DEBUG ? 12 : 0): Promise<{ result: T; extensionMs: number }> {
  const cdp = await browser.ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  const result = await run();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  // BENCH_PROFILE_DIR: the profile itself, to open in Chrome's performance panel (or read with a script).
  if (process.env.BENCH_PROFILE_DIR) {
    fs.mkdirSync(process.env.BENCH_PROFILE_DIR, { recursive: true });
    fs.writeFileSync(path.join(process.env.BENCH_PROFILE_DIR, `profile-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  const inExtension = new Map<number, boolean>();
  const isOurs = (id: number): boolean => {
    const known = inExtension.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const ours = nodes.get(id)!.callFrame.url.startsWith('chrome-extension://') || (up !== undefined && isOurs(up));
    inExtension.set(id, ours);
    return ours;
  };
  const byFunction = new Map<string, number>();
  const us = addSelfTimes(profile, byFunction, isOurs);
  if (top) console.log(topSelfTimes(byFunction, top));
  return { result, extensionMs: us / 1000 };
}

/** Waits until the page has had no long task for `quietMs` (and, with the extension, every row has its host). */
async function settle(page: Page, withExtension: boolean): Promise<number | null> {
  const started = Date.now();
  let placedAt: number | null = null;
  for (;;) {
    const s = await page.evaluate(() => ({ hosts: document.querySelectorAll('texttrail-badge').length, now: performance.now(), last: Math.max(0, ...(window as unknown as { __ttPerf: { longTasks: { start: number; dur: number }[] } }).__ttPerf.longTasks.map(t => t.start + t.dur)) }));
    if (withExtension && placedAt == null && s.hosts >= ROWS) placedAt = s.now;
    const placed = !withExtension || s.hosts >= ROWS;
    if (placed && s.now - s.last > 1_500) return placedAt;
    if (Date.now() - started > 30_000) return placedAt;
    await sleep(250);
  }
}

async function measureLoad(browser: CrmBrowser, withExtension: boolean): Promise<LoadFigures> {
  const page = await browser.ctx.newPage();
  await page.addInitScript(INIT);
  await page.goto('https://app.hubspot.com/blank');
  const { result, events } = await traced(page, browser, async () => {
    await page.goto(PAGE_URL, { waitUntil: 'load' });
    return settle(page, withExtension);
  });
  const placedAt = result;
  const perf = await page.evaluate(() => {
    const p = (window as unknown as { __ttPerf: { longTasks: { start: number; dur: number }[]; fcp: number | null; visibleBadgedAt: number | null; firstHostAt: number | null } }).__ttPerf;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { ...p, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, hosts: document.querySelectorAll('texttrail-badge').length };
  });
  const trace = analyseTrace(events, 'app.hubspot.com/contacts');
  // BENCH_TRACE_DIR: each load's trace, to open in Chrome's performance panel (or read with a script).
  if (process.env.BENCH_TRACE_DIR) {
    fs.mkdirSync(process.env.BENCH_TRACE_DIR, { recursive: true });
    fs.writeFileSync(path.join(process.env.BENCH_TRACE_DIR, `load-${withExtension ? 'with' : 'without'}-${Date.now()}.json`), JSON.stringify({ traceEvents: events }));
  }
  await page.close();
  const fcp = perf.fcp ?? 0;
  // Time to interactive, simplified from Lighthouse's: the end of the last long task after first
  // contentful paint (the page is quiet after it), or DOMContentLoaded / FCP when later.
  const lastLong = Math.max(0, ...perf.longTasks.filter(t => t.start + t.dur > fcp).map(t => t.start + t.dur));
  return {
    fcp, dcl: perf.dcl, load: perf.load, tti: Math.max(fcp, perf.dcl, lastLong),
    pageLongTasks: perf.longTasks.map(t => t.dur),
    busyMs: trace?.busyMs ?? NaN, extensionMs: trace?.extensionMs ?? 0,
    extensionCpuMs: trace?.extensionCpuMs ?? 0, maxExtensionCpuInOneTaskMs: trace?.maxExtensionCpuInOneTaskMs ?? 0,
    extensionLongTasks: (trace?.longTasks ?? []).filter(t => t.extension).map(t => t.durMs),
    allLongTasks: (trace?.longTasks ?? []).map(t => t.durMs),
    ...longTasksByCause(trace?.longTasks ?? []),
    longTaskStarts: (trace?.longTasks ?? []).map(t => `${Math.round(t.startMs)}+${Math.round(t.durMs)}${t.extension ? `(ext ${Math.round(t.extensionMs)})` : ''}`),
    maxExtensionInOneTaskMs: trace?.maxExtensionInOneTaskMs ?? 0,
    contentScriptAt: trace?.contentScriptAtMs ?? null, firstHostAt: perf.firstHostAt, visibleBadgedAt: perf.visibleBadgedAt,
    placedAt, hosts: perf.hosts,
  };
}

/**
 * Scrolls to positions through the list; for each, ms until every row in view shows a rendered badge
 * (`badges`), or, on the page without the extension, until the frame after the scroll is painted (the
 * baseline: what the page itself takes to show the rows scrolled to).
 */
async function measureScroll(page: Page, badges: boolean): Promise<number[]> {
  return page.evaluate(async (badges) => {
    const rows = [...document.querySelectorAll('#rows tr')] as HTMLElement[];
    const rendered = (r: HTMLElement) => { const h = r.querySelector('td[data-column-index="2"] texttrail-badge'); return (window as unknown as BenchWindow).__ttRendered(h); };
    const visibleRows = () => {
      // Rows are in document order: binary search the first one in view, then walk while in view.
      let lo = 0, hi = rows.length - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (rows[mid].getBoundingClientRect().bottom <= 0) lo = mid + 1; else hi = mid; }
      const out: HTMLElement[] = [];
      for (let i = lo; i < rows.length; i++) { const b = rows[i].getBoundingClientRect(); if (b.top >= innerHeight) break; if (b.bottom > 60) out.push(rows[i]); }
      return out;
    };
    const height = document.documentElement.scrollHeight;
    const out: number[] = [];
    for (const at of [0.12, 0.27, 0.41, 0.58, 0.73, 0.9, 0.995, 0.5, 0.05, 0.66]) {
      const t0 = performance.now();
      window.scrollTo(0, at * height);
      await new Promise<void>(resolve => {
        // A rAF callback runs before its frame paints: the second one comes once the frame that laid out the
        // scroll is painted. Both ways are timed the same: without the extension, to that point; with it, to
        // the first such point where every row in view shows a rendered pill (read only then, so that the
        // check forces no layout of its own between the scroll and its frame).
        const check = () => (!badges || visibleRows().every(rendered) ? resolve() : requestAnimationFrame(check));
        requestAnimationFrame(() => requestAnimationFrame(check));
      });
      out.push(performance.now() - t0);
      await new Promise(r => setTimeout(r, 250));
    }
    return out;
  }, badges);
}

/** Waits until the pills near the viewport have rendered and nothing has rendered for a second, at most `timeoutMs`. */
async function renderingSettled(page: Page, timeoutMs: number): Promise<boolean> {
  const count = () => page.evaluate(() => [...document.querySelectorAll('texttrail-badge')].filter(h => (window as unknown as BenchWindow).__ttRendered(h)).length);
  const until = Date.now() + timeoutMs;
  let last = await count();
  while (Date.now() < until) {
    await sleep(1_000);
    const n = await count();
    if (n > 0 && n === last) return true;
    last = n;
  }
  return false;
}

interface StatusFigures { extensionMs: number[]; mutatedPhones: string[][]; latencyMs: number[] }

/** A text's status changes live; how much main-thread work that costs the page, and which badges change. */
async function measureStatusChange(browser: CrmBrowser, page: Page, server: { url: string; publicUrl: string }): Promise<StatusFigures> {
  const figures: StatusFigures = { extensionMs: [], mutatedPhones: [], latencyMs: [] };
  await page.evaluate(() => window.scrollTo(0, 0));
  // Pills near the viewport render as they come into view; measured before they have, their first
  // renders would count as changes.
  if (!(await renderingSettled(page, 30_000))) console.log('  (pills were still rendering after 30 s: the changes below may include first renders)');
  await sleep(300);
  for (let i = 1; i <= 5; i++) {
    const phone = rowPhone(i).e164;
    const sent = await sendText(server.url, E2E_TOKEN, phone, `Bench text ${i}`);
    await postTwilioCallback(server, E2E_CONNECTION, E2E_AUTH_TOKEN, statusParams(sent.providerMessageId!, phone, 'sent'));
    await page.waitForFunction(p => document.querySelector(`texttrail-badge[data-phone="${p}"]`)?.getAttribute('data-status') === 'sent', phone, { timeout: 10_000 });
    await sleep(300);
    // Watch every badge host and its shadow root (the pill) for changes.
    await page.evaluate(() => {
      const w = window as unknown as { __ttMut: Set<string>; __ttObs: MutationObserver[] };
      w.__ttMut = new Set();
      w.__ttObs = [];
      for (const host of document.querySelectorAll('texttrail-badge')) {
        const phone = host.getAttribute('data-phone')!;
        const mo = new MutationObserver(() => w.__ttMut.add(phone));
        mo.observe(host, { attributes: true });
        if (host.shadowRoot) mo.observe(host.shadowRoot, { subtree: true, childList: true, attributes: true, characterData: true });
        w.__ttObs.push(mo);
      }
    });
    const { result: latency, extensionMs } = await profiled(page, browser, async () => {
      const t0 = Date.now();
      await postTwilioCallback(server, E2E_CONNECTION, E2E_AUTH_TOKEN, statusParams(sent.providerMessageId!, phone, 'delivered'));
      await page.waitForFunction(p => document.querySelector(`texttrail-badge[data-phone="${p}"]`)?.getAttribute('data-status') === 'delivered', phone, { timeout: 10_000, polling: 5 });
      const ms = Date.now() - t0;
      await sleep(300);
      return ms;
    });
    const mutated = await page.evaluate(() => {
      const w = window as unknown as { __ttMut: Set<string>; __ttObs: MutationObserver[] };
      w.__ttObs.forEach(o => o.disconnect());
      return [...w.__ttMut];
    });
    figures.extensionMs.push(extensionMs);
    figures.mutatedPhones.push(mutated);
    figures.latencyMs.push(latency);
  }
  return figures;
}

/**
 * The page rewrites a text of its own after load, as a single-page CRM does every second ("updated 1 s
 * ago", a record count): the extension's main-thread time per change (its MutationObserver callback), in
 * three rounds of 20 changes (one change is near the profiler's sampling grain; a round sums 20).
 */
async function measurePageTextChange(browser: CrmBrowser, page: Page): Promise<number[]> {
  const CHANGES = 20;
  const perChange: number[] = [];
  for (let round = 0; round < 3; round++) {
    const { extensionMs } = await profiled(page, browser, () => page.evaluate(async ({ round, changes }) => {
      const count = document.getElementById('count')!;
      for (let i = 1; i <= changes; i++) {
        count.textContent = `${round * changes + i} records`;
        await new Promise(resolve => setTimeout(resolve, 25));
      }
    }, { round, changes: CHANGES }));
    perChange.push(extensionMs / CHANGES);
  }
  return perChange;
}

async function heapUsed(browser: CrmBrowser, page: Page): Promise<number> {
  const cdp = await browser.ctx.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

function bundleSizes() {
  return { content: gzipSize(path.join(EXTENSION_DIR, CONTENT_SCRIPT)), overlay: gzipSize(path.join(EXTENSION_DIR, 'overlay.js')) };
}

async function main() {
  if (process.env.BENCH_BUILD === '1' || !fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    console.log('building the extension …');
    execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const load0 = os.loadavg()[0];
  const html = hubspotListHtml({ rows: ROWS });
  const host = await startCrmHost(url => (url.pathname === LIST_PATH ? { body: html } : url.pathname === '/blank' ? { body: '<!doctype html><title>blank</title>' } : null));
  const twilio = await startFakeTwilio();
  const server = await startTestServer({ seed: twilioSeed(twilio.url) });
  // BENCH_EXTENSION_DIR: another build (an unminified one for BENCH_PROFILE).
  const withExt = await launchForCrm(host.port, { extensionDir: process.env.BENCH_EXTENSION_DIR });
  const without = await launchForCrm(host.port, { extension: false });
  try {
    const sw = await withExt.worker();
    await sw.evaluate(s => chrome.storage.local.set({ connection: s }), { serverUrl: server.url, token: E2E_TOKEN });
    for (let i = 0; i < 100; i++) {
      const status = await (await withExt.worker()).evaluate(async () => ((await chrome.storage.session.get('connectionState')).connectionState as { status?: string } | undefined)?.status);
      if (status === 'connected') break;
      await sleep(100);
    }

    console.log(`page benchmark: ${ROWS} rows, ${RUNS} loads each way, ${os.cpus().length} CPUs, load average ${load0.toFixed(2)}`);
    const loads: { ext: LoadFigures[]; base: LoadFigures[] } = { ext: [], base: [] };
    for (let run = 0; run < RUNS; run++) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      const order: [boolean, CrmBrowser][] = run % 2 ? [[false, without], [true, withExt]] : [[true, withExt], [false, without]];
      for (const [ext, b] of order) {
        const f = await measureLoad(b, ext);
        (ext ? loads.ext : loads.base).push(f);
        console.log(`  load ${run + 1} ${ext ? 'with   ' : 'without'}: FCP ${r1(f.fcp)} DCL ${r1(f.dcl)} load ${r1(f.load)} TTI ${r1(f.tti)} ms, busy ${r1(f.busyMs)} ms, extension ${r1(f.extensionMs)} ms (CPU ${r1(f.extensionCpuMs)}), most extension code in one task ${r1(f.maxExtensionInOneTaskMs)} ms (CPU ${r1(f.maxExtensionCpuInOneTaskMs)}), long tasks it made [${f.madeLong.map(t => `${r1(t.durMs)}(ext ${r1(t.extensionMs)})`).join(' ')}], long tasks (start+ms) [${f.longTaskStarts.join(' ')}]${ext ? `, content script at ${r1(f.contentScriptAt ?? NaN)} ms, visible rows badged at ${r1(f.visibleBadgedAt ?? NaN)} ms, ${f.hosts} hosts at ${r1(f.placedAt ?? NaN)} ms` : ''}`);
      }
    }

    if (process.env.BENCH_PROFILE) {
      // Where the extension's time goes on one load (an unminified build names the functions:
      // `npx wxt build --mode development`, or a config with minify off): self time per function.
      const profiledPage = await withExt.ctx.newPage();
      await profiledPage.goto('https://app.hubspot.com/blank');
      const { extensionMs } = await profiled(profiledPage, withExt, async () => {
        await profiledPage.goto(PAGE_URL, { waitUntil: 'load' });
        await profiledPage.waitForFunction(n => document.querySelectorAll('texttrail-badge').length >= n, ROWS, { timeout: 30_000 });
        await sleep(3_000); // idle slices come after that: rows the list's shape left unbadged, hosts handed to the observer
      }, Number(process.env.BENCH_PROFILE) || 30);
      console.log(`  profiled load: extension code on the stack ${r1(extensionMs)} ms`);
      await profiledPage.close();
    }

    const page = await withExt.ctx.newPage();
    await page.addInitScript(INIT);
    await page.goto(PAGE_URL, { waitUntil: 'load' });
    await page.waitForFunction(n => document.querySelectorAll('texttrail-badge').length >= n, ROWS, { timeout: 30_000 });
    await sleep(1_000);
    const scroll = await measureScroll(page, true);
    console.log(`  scroll, with: every row in view badged after [${scroll.map(r1).join(', ')}] ms`);
    const basePage = await without.ctx.newPage();
    await basePage.addInitScript(INIT);
    await basePage.goto(PAGE_URL, { waitUntil: 'load' });
    await sleep(1_000);
    const scrollBase = await measureScroll(basePage, false);
    console.log(`  scroll, without: next frame painted after [${scrollBase.map(r1).join(', ')}] ms`);
    const status = await measureStatusChange(withExt, page, server);
    console.log(`  status change: extension main-thread [${status.extensionMs.map(n => n.toFixed(3)).join(', ')}] ms; badges changed per change: [${status.mutatedPhones.map(l => l.length).join(', ')}]`);
    const textChange = await measurePageTextChange(withExt, page);
    console.log(`  the page rewrites a text: extension main-thread [${textChange.map(n => n.toFixed(3)).join(', ')}] ms a change`);
    const heapWith = await heapUsed(withExt, page);
    const heapWithout = await heapUsed(without, basePage);
    console.log(`  JS heap: ${(heapWith / 1e6).toFixed(1)} MB with, ${(heapWithout / 1e6).toFixed(1)} MB without`);
    const sizes = bundleSizes();
    const chromiumVersion = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const load1 = os.loadavg()[0];

    const e = loads.ext, b = loads.base;
    // The page's own long task with the most extension code in it.
    const mostInPageLong = e.flatMap(x => x.inPageLong).reduce<LongTaskShare | null>((most, t) => (!most || t.extensionMs > most.extensionMs ? t : most), null);
    const results = {
      at: new Date().toISOString(), rows: ROWS, runs: RUNS, chromium: chromiumVersion, cpus: os.cpus().length, loadAverage: [r1(load0), r1(load1)],
      contentScript: sizes.content, overlay: sizes.overlay,
      ttiMs: { with: r1(median(e.map(x => x.tti))), without: r1(median(b.map(x => x.tti))) },
      ttiRatio: Math.round((median(e.map(x => x.tti)) / median(b.map(x => x.tti)) - 1) * 1000) / 10,
      busyMs: { with: r1(median(e.map(x => x.busyMs))), without: r1(median(b.map(x => x.busyMs))) },
      extensionMainThreadMs: r1(median(e.map(x => x.extensionMs))),
      extensionInOneTaskMs: r1(max(e.map(x => x.maxExtensionInOneTaskMs))),
      extensionCpuMs: r1(median(e.map(x => x.extensionCpuMs))),
      extensionCpuInOneTaskMs: r1(max(e.map(x => x.maxExtensionCpuInOneTaskMs))),
      longTasks: { with: r1(median(e.map(x => x.allLongTasks.length))), without: r1(median(b.map(x => x.allLongTasks.length))) },
      madeLong: { loads: e.filter(x => x.madeLong.length).length, tasks: e.flatMap(x => x.madeLong).map(t => ({ durMs: r1(t.durMs), extensionMs: r1(t.extensionMs) })) },
      inPageLong: mostInPageLong && { durMs: r1(mostInPageLong.durMs), extensionMs: r1(mostInPageLong.extensionMs) },
      pageLongestTaskMs: { with: r1(max(e.flatMap(x => x.allLongTasks))), without: r1(max(b.flatMap(x => x.allLongTasks))) },
      visibleBadgedAfterScriptMs: r1(median(e.map(x => (x.visibleBadgedAt ?? NaN) - (x.contentScriptAt ?? NaN)))),
      allHostsPlacedAfterScriptMs: r1(median(e.map(x => (x.placedAt ?? NaN) - (x.contentScriptAt ?? NaN)))),
      scrollToBadgedMs: { median: r1(median(scroll)), max: r1(max(scroll)) },
      scrollToFrameWithoutMs: { median: r1(median(scrollBase)), max: r1(max(scrollBase)) },
      statusChange: { extensionMs: Math.round(median(status.extensionMs) * 100) / 100, maxMs: Math.round(max(status.extensionMs) * 100) / 100, badgesChanged: status.mutatedPhones.map(l => (l.length > 5 ? [...l.slice(0, 5), `… ${l.length - 5} more`] : l)), latencyMs: r1(median(status.latencyMs)) },
      pageTextChangeMs: Math.round(median(textChange) * 100) / 100,
      heap: { withMB: r1(heapWith / 1e6), withoutMB: r1(heapWithout / 1e6), extensionMB: r1((heapWith - heapWithout) / 1e6) },
    };
    console.log(JSON.stringify(results, null, 2));
    fs.mkdirSync(path.join(ROOT, 'bench/.results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench/.results/page-latest.json'), JSON.stringify({ ...results, loads }, null, 2));
    if (process.env.BENCH_DOCS !== '0') writeDocs(results);
  } finally {
    await withExt.close();
    await without.close();
    await server.close();
    await twilio.close();
    await host.close();
  }
}

type Results = Record<string, unknown> & {
  at: string; rows: number; runs: number; chromium: string; cpus: number; loadAverage: number[];
  contentScript: { raw: number; gzip: number } | null; overlay: { raw: number; gzip: number } | null;
  ttiMs: { with: number; without: number }; ttiRatio: number; busyMs: { with: number; without: number };
  extensionMainThreadMs: number; extensionInOneTaskMs: number; extensionCpuMs: number; extensionCpuInOneTaskMs: number; longTasks: { with: number; without: number };
  madeLong: { loads: number; tasks: LongTaskShare[] }; inPageLong: LongTaskShare | null;
  pageLongestTaskMs: { with: number; without: number };
  visibleBadgedAfterScriptMs: number; allHostsPlacedAfterScriptMs: number; scrollToBadgedMs: { median: number; max: number };
  scrollToFrameWithoutMs: { median: number; max: number };
  statusChange: { extensionMs: number; maxMs: number; badgesChanged: string[][]; latencyMs: number };
  pageTextChangeMs: number;
  heap: { withMB: number; withoutMB: number; extensionMB: number };
};

/** Rewrites the "Latest run" section of docs/benchmarks-page.md (the rest of the file is kept). */
function writeDocs(r: Results) {
  const file = path.join(ROOT, 'docs/benchmarks-page.md');
  const kb = (n?: number) => (n == null ? '—' : `${(n / 1024).toFixed(1)} KB`);
  const onlyOne = r.statusChange.badgesChanged.every(list => list.length === 1);
  const block = `<!-- bench:page:start (written by bench/page.ts) -->
Run ${r.at} — ${r.rows} rows, ${r.runs} loads each way, ${r.chromium}, ${r.cpus} CPUs, load average ${r.loadAverage.join(' → ')}.

| what | target | measured |
|---|---|---|
| content script (gzip -9) | < 80 KB | ${kb(r.contentScript?.gzip)} (${kb(r.contentScript?.raw)} raw); overlay, loaded on first click: ${kb(r.overlay?.gzip)} |
| rows in view badged, after the content script starts | < 100 ms | ${r.visibleBadgedAfterScriptMs} ms (median) |
| rows scrolled into view badged | < 100 ms | median ${r.scrollToBadgedMs.median} ms, max ${r.scrollToBadgedMs.max} ms (without the extension, the frame after the same scroll: median ${r.scrollToFrameWithoutMs.median} ms, max ${r.scrollToFrameWithoutMs.max} ms) |
| content script main-thread time, whole page | < 200 ms | ${r.extensionMainThreadMs} ms (median; ${r.extensionCpuMs} ms of thread CPU time); all ${r.rows} hosts placed ${r.allHostsPlacedAfterScriptMs} ms after it starts |
| most extension code in any one task | < 50 ms | ${r.extensionInOneTaskMs} ms (${r.extensionCpuInOneTaskMs} ms of thread CPU time) |
| long tasks the extension made (over 50 ms only with its code in them) | none | ${r.madeLong.tasks.length ? `${r.madeLong.tasks.length} in ${r.madeLong.loads} of ${r.runs} loads: ${r.madeLong.tasks.map(t => `${t.durMs} ms (extension ${t.extensionMs})`).join(', ')}` : `none in ${r.runs} loads`} |
| extension code inside the page's own long tasks (long without it: its parse, its first layout) | — | ${r.inPageLong ? `at most ${r.inPageLong.extensionMs} ms, in a task of ${r.inPageLong.durMs} ms` : 'none'} |
| long tasks (> 50 ms) during load, with / without (median) | — | ${r.longTasks.with} / ${r.longTasks.without} |
| time to interactive, with / without | within 10% | ${r.ttiMs.with} / ${r.ttiMs.without} ms (${r.ttiRatio >= 0 ? '+' : ''}${r.ttiRatio}%) |
| main-thread busy during load, with / without | — | ${r.busyMs.with} / ${r.busyMs.without} ms |
| page's longest task, with / without | — | ${r.pageLongestTaskMs.with} / ${r.pageLongestTaskMs.without} ms |
| live status change: extension main-thread time | < 1 ms | ${r.statusChange.extensionMs} ms median, ${r.statusChange.maxMs} ms max; ${onlyOne ? 'only that phone\'s badge changed' : `badges changed: ${JSON.stringify(r.statusChange.badgesChanged)}`} (callback → badge ${r.statusChange.latencyMs} ms) |
| the page rewrites a text of its own ("updated 1 s ago"): extension main-thread time a change | — | ${r.pageTextChangeMs} ms (median of 3 rounds of 20) |
| JS heap of the page, with / without (${r.rows} badges) | reported | ${r.heap.withMB} / ${r.heap.withoutMB} MB (extension ${r.heap.extensionMB} MB) |
<!-- bench:page:end -->`;
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Page benchmark\n\n## Latest run\n\n<!-- bench:page:start --><!-- bench:page:end -->\n';
  doc = doc.replace(/<!-- bench:page:start[\s\S]*?<!-- bench:page:end -->/, block);
  fs.writeFileSync(file, doc);
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

main().catch(e => { console.error(e); process.exit(1); });
