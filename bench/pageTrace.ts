// Reading a Chrome trace (CDP Tracing, "devtools.timeline") of one page: which thread is the page's main
// thread, how much of its time went to the extension's content script, and which tasks were long.

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: when the thread ran, not the wall clock; unaffected by waiting for a core. */
  tts?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; frame?: string; type?: string }; beginData?: { url?: string } };
}

export interface MainThreadFigures {
  /** Main-thread time in tasks (RunTask), ms. */
  busyMs: number;
  /** Main-thread time running the extension's scripts (content script evaluation, its callbacks), ms. */
  extensionMs: number;
  /** Tasks over 50 ms on the main thread, with how much of each was extension code. */
  longTasks: { startMs: number; durMs: number; extension: boolean; extensionMs: number }[];
  /** The most extension code that ran in any one task, ms: what the extension itself blocks the page for. */
  maxExtensionInOneTaskMs: number;
  /** The same two in thread CPU time: what the extension costs whatever else the machine runs. */
  extensionCpuMs: number;
  maxExtensionCpuInOneTaskMs: number;
  /** When the content script was evaluated, ms after navigation start (null: never). */
  contentScriptAtMs: number | null;
}

const EXT = 'chrome-extension://';

/** The renderer main thread of the page at `pageUrlPart`. */
function mainThread(events: TraceEvent[], pageUrlPart: string): { pid: number; tid: number } | null {
  const names = new Map(events.filter(e => e.ph === 'M' && e.name === 'thread_name').map(e => [`${e.pid}:${e.tid}`, e.args?.name]));
  // Chrome names the page's renderer process when tracing starts.
  for (const e of events) {
    if (e.name !== 'TracingStartedInBrowser') continue;
    const frames = (e.args?.data as { frames?: { url?: string; processId?: number }[] } | undefined)?.frames ?? [];
    const pid = frames.find(f => (f.url ?? '').includes(pageUrlPart) && f.processId)?.processId;
    const key = pid ? [...names.entries()].find(([k, n]) => n === 'CrRendererMain' && k.startsWith(`${pid}:`))?.[0] : undefined;
    if (key) { const [p, t] = key.split(':').map(Number); return { pid: p, tid: t }; }
  }
  const counts = new Map<string, number>();
  for (const e of events) {
    const url = e.args?.data?.url ?? e.args?.beginData?.url ?? '';
    if (!url.includes(pageUrlPart)) continue;
    const key = `${e.pid}:${e.tid}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = [...counts.entries()].filter(([k]) => names.get(k) === 'CrRendererMain').sort((a, b) => b[1] - a[1])[0];
  if (!best) {
    // A short window (a status change) may hold no event naming the page: the renderer running our script.
    const ext = new Map<string, number>();
    for (const e of events) if ((e.args?.data?.url ?? '').startsWith(EXT)) { const k = `${e.pid}:${e.tid}`; ext.set(k, (ext.get(k) ?? 0) + 1); }
    best = [...ext.entries()].filter(([k]) => names.get(k) === 'CrRendererMain').sort((a, b) => b[1] - a[1])[0];
  }
  if (!best) return null;
  const [pid, tid] = best[0].split(':').map(Number);
  return { pid, tid };
}

/** Total length of the union of intervals. */
function unionLength(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [s, e] = [-Infinity, -Infinity];
  for (const [a, b] of intervals) {
    if (a > e) { if (e > s) total += e - s; [s, e] = [a, b]; } else e = Math.max(e, b);
  }
  if (e > s) total += e - s;
  return total;
}

export function analyseTrace(events: TraceEvent[], pageUrlPart: string, window?: { fromUs?: number; toUs?: number }): MainThreadFigures | null {
  const thread = mainThread(events, pageUrlPart);
  if (!thread) return null;
  const on = events.filter(e => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X'
    && (window?.fromUs == null || e.ts >= window.fromUs) && (window?.toUs == null || e.ts <= window.toUs));
  const navStart = events.find(e => e.name === 'navigationStart' && e.pid === thread.pid)?.ts
    ?? Math.min(...on.map(e => e.ts));
  const tasks = on.filter(e => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const ours = on.filter(e => (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.callFunction'
    || e.name === 'TimerFire' || e.name === 'FireIdleCallback') && (e.args?.data?.url ?? '').startsWith(EXT));
  const ourIntervals = ours.map(e => [e.ts, e.ts + (e.dur ?? 0)] as [number, number]);
  const scriptEval = ours.filter(e => e.name === 'EvaluateScript').sort((a, b) => a.ts - b.ts)[0];
  const clippedTo = (intervals: [number, number][], from: number, to: number) => unionLength(intervals
    .filter(([a, b]) => a < to && b > from)
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])) / 1000;
  const extensionIn = (t: TraceEvent) => clippedTo(ourIntervals, t.ts, t.ts + (t.dur ?? 0));
  const ourCpu = ours.filter(e => e.tts != null).map(e => [e.tts!, e.tts! + (e.tdur ?? 0)] as [number, number]);
  const extensionCpuIn = (t: TraceEvent) => (t.tts == null ? 0 : clippedTo(ourCpu, t.tts, t.tts + (t.tdur ?? 0)));
  return {
    busyMs: unionLength(tasks.map(t => [t.ts, t.ts + (t.dur ?? 0)])) / 1000,
    extensionMs: unionLength(ourIntervals) / 1000,
    longTasks: tasks.filter(t => (t.dur ?? 0) > 50_000).map(t => ({
      startMs: (t.ts - navStart) / 1000,
      durMs: (t.dur ?? 0) / 1000,
      extension: ourIntervals.some(([a, b]) => a < t.ts + (t.dur ?? 0) && b > t.ts),
      extensionMs: extensionIn(t),
    })),
    maxExtensionInOneTaskMs: Math.max(0, ...tasks.filter(t => ourIntervals.some(([a, b]) => a < t.ts + (t.dur ?? 0) && b > t.ts)).map(extensionIn)),
    contentScriptAtMs: scriptEval ? (scriptEval.ts - navStart) / 1000 : null,
    extensionCpuMs: unionLength(ourCpu) / 1000,
    maxExtensionCpuInOneTaskMs: Math.max(0, ...tasks.map(extensionCpuIn)),
  };
}

export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', '__metadata'].join(',');

/** A task over 50 ms: long because of the extension's share, or long with or without it (the page's own). */
export interface LongTaskShare { durMs: number; extensionMs: number }

/**
 * Splits long tasks by cause. `madeLong`: tasks over `limitMs` that would not be without the extension's
 * code in them — the long tasks the extension adds, which PerformanceObserver('longtask') would not see
 * without it. `inPageLong`: the extension's time inside tasks long without it (the page's own parse or
 * layout of thousands of rows): it lengthens a pause that is there anyway, it does not make one.
 */
export function longTasksByCause(longTasks: readonly LongTaskShare[], limitMs = 50): { madeLong: LongTaskShare[]; inPageLong: LongTaskShare[] } {
  const ours = longTasks.filter(t => t.durMs > limitMs && t.extensionMs > 0);
  return {
    madeLong: ours.filter(t => t.durMs - t.extensionMs <= limitMs),
    inPageLong: ours.filter(t => t.durMs - t.extensionMs > limitMs),
  };
}
