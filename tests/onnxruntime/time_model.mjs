// Times a model in ONNX Runtime directly, the way a user would without winglet: one session, the
// given threads, graph optimizations 'all', pseudo-random float inputs at the model's fixed dims.
// Prints {"median_ms": ..., "min_ms": ..., "runs": N}.
//   node time_model.mjs MODEL THREADS RUNS
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../plugins/targets/measured/runner/package.json'));
const ort = require('onnxruntime-node');

const [model, threadsArg, runsArg] = process.argv.slice(2);
const threads = Number(threadsArg || 1), runs = Number(runsArg || 20);
const session = await ort.InferenceSession.create(model, {
  graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' });
const feeds = {};
let seed = 12345;
for (const meta of session.inputMetadata) {
  const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; ++i) { seed = (seed * 1103515245 + 12345) % 2147483648; data[i] = seed / 2147483648 - 0.5; }
  feeds[meta.name] = new ort.Tensor('float32', data, dims);
}
for (let i = 0; i < 3; ++i) await session.run(feeds);
const times = [];
for (let i = 0; i < runs; ++i) {
  const t0 = process.hrtime.bigint();
  await session.run(feeds);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ median_ms: times[Math.floor(times.length / 2)], min_ms: times[0], runs }) + '\n');
