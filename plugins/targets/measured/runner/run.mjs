// winglet's host runner: runs an ONNX model in ONNX Runtime (onnxruntime-node, CPU) and answers
// one request (stdin) with one JSON response (stdout); progress lines go to stderr. PROTOCOL.md
// defines both.
//
// Two sessions, one after the other: the end-to-end times come from a session without profiling,
// because the profiler's per-kernel bookkeeping would inflate them; the per-kernel times come
// from a second, profiled session with the same options, which also saves the optimized graph
// the kernels ran so each kernel can be given the value names it read and wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { deviceFacts } from './lib/device.mjs';
import { EnergyMeter } from './lib/energy.mjs';
import { matchKernels } from './lib/graph_match.mjs';
import { makeFeeds } from './lib/inputs.mjs';
import { readModelNodes } from './lib/onnx_wire.mjs';
import { kernelsFromProfile } from './lib/profile.mjs';
import { PROTOCOL, RequestError, parseRequest } from './lib/request.mjs';
import { planRuns } from './lib/plan.mjs';
import { summarize } from './lib/stats.mjs';

const startedAt = performance.now();
const here = path.dirname(fileURLToPath(import.meta.url));
let tempDir = null;

function progress(phase, done, total) {
  process.stderr.write(`progress ${phase} ${done}/${total}\n`);
}

function elapsedMs(since) {
  return performance.now() - since;
}

async function readStdin() {
  const chunks = [];
  let bytes = 0;
  for await (const chunk of process.stdin) {
    bytes += chunk.length;
    if (bytes > 16 << 20) throw new RequestError('request is larger than 16 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function loadRuntime() {
  try {
    return createRequire(import.meta.url)('onnxruntime-node');
  } catch (e) {
    throw new Error(`onnxruntime-node cannot be loaded from ${here}/node_modules (${e.message.split('\n')[0]}); ` +
      `install it there: cd ${here} && ONNXRUNTIME_NODE_INSTALL=skip npm ci --ignore-scripts`);
  }
}

function sessionOptions(request) {
  return {
    graphOptimizationLevel: request.graph_optimization,
    intraOpNumThreads: request.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    logSeverityLevel: 3,  // errors only: warnings would bury the progress lines
  };
}

async function timeRun(session, feeds) {
  const begin = process.hrtime.bigint();
  await session.run(feeds);
  return Number(process.hrtime.bigint() - begin) / 1e6;
}

// Warm-up and timed runs in a session without profiling.
async function measureEndToEnd(ort, request, timings) {
  let begin = performance.now();
  const session = await ort.InferenceSession.create(request.model, sessionOptions(request));
  timings.create_session = elapsedMs(begin);
  progress('load', 1, request.profile_runs > 0 ? 2 : 1);
  const { feeds, shapes } = makeFeeds(ort, session, request.inputs);

  begin = performance.now();
  const warmupMs = [];
  for (let i = 0; i < request.warmup; i++) {
    warmupMs.push(await timeRun(session, feeds));
    progress('warmup', i + 1, request.warmup);
  }
  timings.warmup = elapsedMs(begin);

  const plan = planRuns(request, { startedAt, now: performance.now(), createMs: timings.create_session, warmupMs });
  const energy = new EnergyMeter();
  const latencies = [];
  begin = performance.now();
  energy.start();
  for (let i = 0; i < plan.runs; i++) {
    latencies.push(await timeRun(session, feeds));
    energy.sample();
    progress('run', i + 1, plan.runs);
  }
  timings.timed = elapsedMs(begin);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  await session.release();
  return { latencies, feeds, shapes, plan, peakRss, energy: energy.result(latencies.length) };
}

// Warm-up and profiled runs in a profiled session; its optimized graph names each kernel's values.
async function profileKernels(ort, request, runs, feeds, timings) {
  let begin = performance.now();
  const optimizedModel = path.join(tempDir, 'optimized.onnx');
  const session = await ort.InferenceSession.create(request.model, {
    ...sessionOptions(request),
    enableProfiling: true,
    profileFilePrefix: path.join(tempDir, 'profile'),
    optimizedModelFilePath: optimizedModel,
  });
  timings.create_profiled_session = elapsedMs(begin);
  progress('load', 2, 2);

  begin = performance.now();
  const total = request.warmup + runs;
  for (let i = 0; i < total; i++) {
    await session.run(feeds);
    progress('profile', i + 1, total);
  }
  session.endProfiling();
  await session.release();
  timings.profile = elapsedMs(begin);

  begin = performance.now();
  const traces = fs.readdirSync(tempDir).filter((f) => f.startsWith('profile') && f.endsWith('.json'));
  if (traces.length !== 1) throw new Error(`expected one profile file in ${tempDir}, found ${traces.length}`);
  const events = JSON.parse(fs.readFileSync(path.join(tempDir, traces[0]), 'utf8'));
  const profiled = kernelsFromProfile(events, request.warmup);
  if (profiled.runs !== runs) throw new Error(`the profile holds ${profiled.runs} timed runs, expected ${runs}`);
  let graphNodes;
  try {
    graphNodes = readModelNodes(optimizedModel);
  } catch (e) {
    throw new Error(`reading the optimized graph ONNX Runtime saved: ${e.message}`);
  }
  timings.read_profile = elapsedMs(begin);
  return matchKernels(profiled.kernels, graphNodes);
}

async function main() {
  const request = parseRequest(await readStdin());
  if (!fs.existsSync(request.model)) throw new RequestError(`model file not found: ${request.model}`);
  const timings = {};
  let begin = performance.now();
  const ort = loadRuntime();
  timings.load_runtime = elapsedMs(begin);
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'winglet-runner-'));

  const e2e = await measureEndToEnd(ort, request, timings);
  const profiled = e2e.plan.profile_runs > 0
    ? await profileKernels(ort, request, e2e.plan.profile_runs, e2e.feeds, timings)
    : { kernels: [], unobserved_nodes: [] };
  timings.total = elapsedMs(startedAt);

  return {
    protocol: PROTOCOL,
    runtime: { name: 'onnxruntime', version: ort.env.versions.node, provider: 'CPUExecutionProvider',
               binding: 'onnxruntime-node', host: `node ${process.version}` },
    device: deviceFacts(request.threads),
    options: {
      threads: request.threads, inter_op_threads: 1, execution_mode: 'sequential',
      graph_optimization: request.graph_optimization, warmup: request.warmup,
      runs: e2e.plan.runs, profile_runs: e2e.plan.profile_runs, limited_by_deadline: e2e.plan.limited,
    },
    inputs: Object.entries(e2e.shapes).map(([name, shape]) => ({ name, shape })),
    latency_ms: summarize(e2e.latencies),
    kernels: profiled.kernels,
    unobserved_nodes: profiled.unobserved_nodes,
    peak_rss_bytes: e2e.peakRss,
    energy: e2e.energy,
    runner_ms: timings,
  };
}

function removeTempDir() {
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}

// A client that gives up sends SIGTERM; leave no temp files behind.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    removeTempDir();
    process.exit(128 + os.constants.signals[signal]);
  });
}

try {
  const response = await main();
  process.stdout.write(JSON.stringify(response) + '\n');
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  process.stdout.write(JSON.stringify({ protocol: PROTOCOL, error: message }) + '\n');
  if (!(e instanceof RequestError) && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = e instanceof RequestError ? 2 : 1;
} finally {
  removeTempDir();
}
