// Runs an original and a compressed ONNX model in ONNX Runtime (CPU) on the same inputs and prints
// how close their outputs are and how long each takes. The compressed model is what
// `winglet optimize` wrote: this proves it runs in a real runtime and says what the compression
// costs in output error and buys (or not) in CPU latency.
//   node bench/ort/compare.mjs ORIGINAL.onnx COMPRESSED.onnx [RUNS]
// Needs onnxruntime-node: (cd bench/ort && npm install --ignore-scripts onnxruntime-node)
// (--ignore-scripts: its install script downloads GPU libraries; the CPU library is in the package.)
import ort from 'onnxruntime-node';

const [original, compressed, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 20);

// Deterministic inputs (xorshift), standard-normal-ish, for every float input of fixed shape.
function inputs(session) {
  let s = 0x9e3779b9;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const feeds = {};
  for (const name of session.inputNames) {
    const meta = session.inputMetadata.find((m) => m.name === name);
    const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; ++i) data[i] = (next() + next() + next() - 1.5) * 2;
    feeds[name] = new ort.Tensor('float32', data, dims);
  }
  return feeds;
}

async function timeRuns(session, feeds) {
  await session.run(feeds);
  const times = [];
  let out;
  for (let i = 0; i < runs; ++i) {
    const t0 = process.hrtime.bigint();
    out = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { out, median: times[Math.floor(times.length / 2)], min: times[0] };
}

const options = { intraOpNumThreads: 2, graphOptimizationLevel: 'all' };
const a = await ort.InferenceSession.create(original, options);
const b = await ort.InferenceSession.create(compressed, options);
const feeds = inputs(a);
const ra = await timeRuns(a, feeds);
const rb = await timeRuns(b, feeds);
for (const name of a.outputNames) {
  const x = ra.out[name].data, y = rb.out[name].data;
  let dot = 0, xx = 0, yy = 0, maxAbs = 0, maxX = 0;
  for (let i = 0; i < x.length; ++i) {
    dot += x[i] * y[i]; xx += x[i] * x[i]; yy += y[i] * y[i];
    maxAbs = Math.max(maxAbs, Math.abs(x[i] - y[i])); maxX = Math.max(maxX, Math.abs(x[i]));
  }
  const argmax = (v) => v.reduce((best, value, i) => (value > v[best] ? i : best), 0);
  console.log(`${name}: cosine ${(dot / Math.sqrt(xx * yy)).toFixed(6)}, max |diff| ${maxAbs.toPrecision(3)} ` +
              `(max |output| ${maxX.toPrecision(3)}), argmax ${argmax(x) === argmax(y) ? 'equal' : 'differs'}`);
}
console.log(`latency (median of ${runs}, 2 threads): original ${ra.median.toFixed(2)} ms, compressed ${rb.median.toFixed(2)} ms`);
