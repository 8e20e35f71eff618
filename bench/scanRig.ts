// `npm run bench:scan`: the content script's phone scan alone, on the 5,000-row list of the page benchmark,
// in Chromium's isolated world as a content script runs (every node a script touches there costs a wrapper of
// that world, which the page's own world does not show). Measures what the page benchmark cannot take apart:
//
// - per row: rows 1,000–1,999 scanned one by one (as while the parser runs), after rows 0–999 warmed the code;
// - the rest: everything after row 1,999 as one piece (as at DOMContentLoaded, when the parser's last task
//   delivers thousands of rows at once): 3,000 rows.
//
// The page is loaded afresh for each run and carries no extension. BENCH_RUNS (6), BENCH_PROFILE=N (V8's
// sampling profiler over the rest's scan: the N functions with the most self time, summed over the runs),
// BENCH_SCAN_ROOT (scan the adapters of another checkout, e.g. a worktree of an earlier commit, for a pair).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchForCrm, startCrmHost } from '../e2e/crm-host';
import { addSelfTimes, topSelfTimes } from './cpuProfile';
import { hubspotListHtml, LIST_PATH } from './pageFixture';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCAN_ROOT = path.resolve(process.env.BENCH_SCAN_ROOT ?? ROOT);
const RUNS = Number(process.env.BENCH_RUNS ?? 6);
const PROFILE_TOP = Number(process.env.BENCH_PROFILE ?? 0);
const WARM_ROWS = 1_000;
const PER_ROW = 1_000;
const REST_FROM = WARM_ROWS + PER_ROW;

// Runs in the isolated world; `hubspot` is the adapter under test.
const ENTRY = `
import { hubspot } from './adapters/hubspot';
const rows = () => [...document.getElementById('rows').children];
globalThis.__perRow = () => {
  const all = rows();
  for (let i = 0; i < ${WARM_ROWS}; i++) hubspot.findPhones(all[i], { defaultCountry: 'US' });
  const t = performance.now();
  let hits = 0;
  for (let i = ${WARM_ROWS}; i < ${REST_FROM}; i++) hits += hubspot.findPhones(all[i], { defaultCountry: 'US' }).length;
  return { ms: performance.now() - t, hits };
};
globalThis.__rest = () => {
  const t = performance.now();
  const hits = hubspot.findPhones(document.body, { defaultCountry: 'US', after: rows()[${REST_FROM - 1}] }).length;
  return { ms: performance.now() - t, hits };
};`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const r1 = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: SCAN_ROOT, loader: 'ts' }, bundle: true, format: 'iife', write: false, logLevel: 'warning',
  });
  const source = bundle.outputFiles[0].text;
  const html = hubspotListHtml({ rows: 5_000 });
  const host = await startCrmHost(url => (url.pathname === LIST_PATH ? { body: html } : null));
  const browser = await launchForCrm(host.port, { extension: false });
  const perRow: number[] = [];
  const rest: number[] = [];
  const selfTime = new Map<string, number>();
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.ctx.newPage();
      await page.goto(`https://app.hubspot.com${LIST_PATH}`, { waitUntil: 'load' });
      const cdp = await browser.ctx.newCDPSession(page);
      const { frameTree } = await cdp.send('Page.getFrameTree');
      const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'texttrail-scan-rig' });
      const call = async (expression: string) => {
        const r = await cdp.send('Runtime.evaluate', { expression, contextId: executionContextId, returnByValue: true });
        if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
        return r.result.value as { ms: number; hits: number };
      };
      await call(source);
      const one = await call('__perRow()');
      if (PROFILE_TOP) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
        await cdp.send('Profiler.start');
      }
      const all = await call('__rest()');
      if (PROFILE_TOP) {
        const { profile } = await cdp.send('Profiler.stop');
        addSelfTimes(profile, selfTime);
      }
      if (one.hits !== PER_ROW || all.hits !== 5_000 - REST_FROM) throw new Error(`found ${one.hits} and ${all.hits} phones`);
      perRow.push(one.ms);
      rest.push(all.ms);
      console.log(`  run ${run + 1}: ${PER_ROW} rows one by one ${r1(one.ms)} ms, the rest (${all.hits} rows) as one piece ${r1(all.ms)} ms`);
      await page.close();
    }
  } finally {
    await browser.close();
    await host.close();
  }
  console.log(`scan of ${SCAN_ROOT}: per row ${r1(median(perRow) / PER_ROW * 1000)} µs (median of ${RUNS}), the rest as one piece ${r1(median(rest) / (5_000 - REST_FROM) * 1000)} µs a row (${r1(median(rest))} ms)`);
  if (PROFILE_TOP) {
    console.log('self time over the rest\'s scans (all runs):');
    console.log(topSelfTimes(selfTime, PROFILE_TOP));
  }
}

await main();
