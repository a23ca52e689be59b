// Fits the timed and profiled runs into the request's deadline hint, once the warm-up runs have
// shown what one run costs: both counts shrink by the same factor (never below 1) and the response
// says so. Without a hint, or without a warm-up run to learn from, the request's counts stand.
const USABLE_SHARE = 0.85;     // the rest is for reading the profile, answering and exiting
const PROFILED_SLOWDOWN = 1.3; // a profiled run costs more than a plain one

export function planRuns(request, { startedAt, now, createMs, warmupMs }) {
  const plan = { runs: request.runs, profile_runs: request.profile_runs, limited: false };
  if (request.deadline_s === null || warmupMs.length === 0) return plan;
  const perRun = warmupMs[warmupMs.length - 1];  // the warmest run; the first pays for first-run allocations
  const remaining = startedAt + request.deadline_s * 1000 * USABLE_SHARE - now;
  const profileFixed = request.profile_runs > 0 ? createMs + request.warmup * perRun * PROFILED_SLOWDOWN : 0;
  const perCount = request.runs * perRun + request.profile_runs * perRun * PROFILED_SLOWDOWN;
  if (profileFixed + perCount <= remaining) return plan;
  const factor = Math.max(0, remaining - profileFixed) / perCount;
  plan.runs = Math.max(1, Math.floor(request.runs * factor));
  if (request.profile_runs > 0) plan.profile_runs = Math.max(1, Math.floor(request.profile_runs * factor));
  plan.limited = true;
  return plan;
}
