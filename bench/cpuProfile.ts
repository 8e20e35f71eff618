// Self time per function in a V8 CPU profile (CDP `Profiler.stop`), for the benchmarks that profile a page.

interface CallFrame { functionName: string; url: string; lineNumber: number }
/** The parts of CDP's `Profiler.Profile` read here. */
export interface CpuProfile { nodes: { id: number; callFrame: CallFrame }[]; samples?: number[]; timeDeltas?: number[] }

/** A function's name in the figures: `name file:line`. */
function frameName(f: CallFrame): string {
  return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
}

/**
 * Adds each sample's time (µs) to its function in `into`; `counts(nodeId)` picks the samples to count (all
 * by default). Returns the µs counted.
 */
export function addSelfTimes(profile: CpuProfile, into: Map<string, number>, counts: (nodeId: number) => boolean = () => true): number {
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  let total = 0;
  (profile.samples ?? []).forEach((id, i) => {
    if (!counts(id)) return;
    const dt = profile.timeDeltas?.[i] ?? 0;
    total += dt;
    const name = frameName(nodes.get(id)!.callFrame);
    into.set(name, (into.get(name) ?? 0) + dt);
  });
  return total;
}

/** The `top` functions with the most self time, one per line, in ms. */
export function topSelfTimes(selfTimes: Map<string, number>, top: number): string {
  return [...selfTimes].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => `    ${(us / 1000).toFixed(2)} ms ${name}`).join('\n');
}
