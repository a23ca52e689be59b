// Per-kernel times from ONNX Runtime's profile (Chrome-trace JSON): each `cat: "Node"` event
// named `<node>_kernel_time` is one kernel call; `model_run` session events bound the runs, so
// events are grouped by the run that contains them and the first `skip` runs (warm-up) dropped.
import { summarize } from './stats.mjs';

const SUFFIX = '_kernel_time';

function runsOf(events) {
  return events
    .filter((e) => e.cat === 'Session' && e.name === 'model_run' && Number.isFinite(e.ts) && Number.isFinite(e.dur))
    .sort((a, b) => a.ts - b.ts)
    .map((e) => ({ start: e.ts, end: e.ts + e.dur }));
}

// The run holding time `ts` (runs are sorted and disjoint), or -1.
function runIndex(runs, ts) {
  let lo = 0, hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ts < runs[mid].start) hi = mid - 1;
    else if (ts > runs[mid].end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

// Returns { runs: number of runs kept, kernels: [{ node, op_type, provider, node_index, n,
// calls_per_run, median_us, min_us, max_us, start_us }] } in order of median start.
export function kernelsFromProfile(events, skip) {
  const runs = runsOf(events).slice(skip);
  const kernels = new Map();
  for (const e of events) {
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith(SUFFIX)) continue;
    const run = runIndex(runs, e.ts);
    if (run < 0) continue;
    const node = e.name.slice(0, -SUFFIX.length);
    let k = kernels.get(node);
    if (!k) {
      const args = e.args || {};
      k = { node, op_type: args.op_name || '', provider: args.provider || '',
            node_index: args.node_index === undefined ? null : Number(args.node_index), perRun: new Map() };
      kernels.set(node, k);
    }
    const inRun = k.perRun.get(run) || { us: 0, start: Infinity, calls: 0 };
    inRun.us += e.dur;
    inRun.start = Math.min(inRun.start, e.ts - runs[run].start);
    inRun.calls++;
    k.perRun.set(run, inRun);
  }
  const out = [];
  for (const k of kernels.values()) {
    const per = [...k.perRun.values()];
    const time = summarize(per.map((p) => p.us));
    out.push({
      node: k.node, op_type: k.op_type, provider: k.provider, node_index: k.node_index,
      n: per.length,
      calls_per_run: summarize(per.map((p) => p.calls)).median,
      median_us: time.median, min_us: time.min, max_us: time.max,
      start_us: summarize(per.map((p) => p.start)).median,
    });
  }
  out.sort((a, b) => a.start_us - b.start_us);
  return { runs: runs.length, kernels: out };
}
