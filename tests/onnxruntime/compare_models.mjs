// Runs two ONNX models on the same inputs in ONNX Runtime (CPU) and compares every output bit for
// bit, once with graph optimizations disabled and once with 'all':
//   node compare_models.mjs [--input NAME=1x3x64x64 ...] A.onnx B.onnx
//   node compare_models.mjs --dir DIR     every DIR/X.onnx against DIR/X.reference.onnx
// Float inputs get a fixed pseudo-random sequence in [-0.5, 0.5) (the same for both models);
// unknown dims are 1 unless --input gives the shape. Prints one JSON line per pair and exits 1
// when any output differs (or a model fails to load or run), 0 when all are equal; a pair whose
// reference ONNX Runtime cannot run (an opset it dropped) is reported as skipped.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// onnxruntime-node is installed once, with the measured target's runner.
const require = createRequire(path.join(here, '../../plugins/targets/measured/runner/package.json'));
const ort = require('onnxruntime-node');

const args = process.argv.slice(2);
const dims = {};
const pairs = [];
while (args.length) {
  const arg = args.shift();
  if (arg === '--input') {
    const spec = args.shift() || '';
    const eq = spec.indexOf('=');
    if (eq < 0) throw new Error(`--input ${spec}: expected NAME=DIMS`);
    dims[spec.slice(0, eq)] = spec.slice(eq + 1) === '' ? [] : spec.slice(eq + 1).split('x').map(Number);
  } else if (arg === '--dir') {
    const dir = args.shift();
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.onnx') || name.endsWith('.reference.onnx')) continue;
      const reference = path.join(dir, name.replace(/\.onnx$/, '.reference.onnx'));
      if (fs.existsSync(reference)) pairs.push([path.join(dir, name), reference]);
    }
  } else {
    pairs.push([arg, args.shift()]);
  }
}
if (!pairs.length || pairs.some(([a, b]) => !a || !b)) {
  console.error('usage: compare_models.mjs [--input NAME=DIMS ...] A.onnx B.onnx | --dir DIR');
  process.exit(2);
}

// IEEE binary16 bits of a number (round to nearest even is not needed: the inputs are chosen
// as exact halves).
function halfBits(x) {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000, exp = ((u >>> 23) & 0xff) - 127 + 15, mant = (u >>> 13) & 0x3ff;
  if (exp <= 0) return sign;
  return sign | (exp << 10) | mant;
}

function makeInputs(session) {
  const feeds = {};
  let seed = 0x9e3779b9;
  const next = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
  for (const meta of session.inputMetadata) {
    const shape = dims[meta.name] || meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = shape.reduce((a, b) => a * b, 1);
    if (meta.type === 'float32') {
      const data = new Float32Array(n);
      for (let i = 0; i < n; ++i) data[i] = next() - 0.5;
      feeds[meta.name] = new ort.Tensor('float32', data, shape);
    } else if (meta.type === 'float16') {
      const data = new Uint16Array(n);
      for (let i = 0; i < n; ++i) data[i] = halfBits(Math.round((next() - 0.5) * 1024) / 1024);
      feeds[meta.name] = new ort.Tensor('float16', data, shape);
    } else {
      throw new Error(`input ${meta.name}: type ${meta.type} is not supported here`);
    }
  }
  return feeds;
}

async function run(file, level) {
  // Prepacking (constant weights laid out for faster kernels, which may sum in another order than
  // the kernel for a computed weight) is off, so that a weight computed by a decode and the same
  // weight stored plain run the same kernels: with 'disabled' the decode runs at every inference,
  // and even 'all' leaves a weight that is also a graph input unfolded. QDQ handling is off
  // so that 'all' folds DequantizeLinear of constant codes like every other decode (ORT otherwise
  // keeps it for its quantized kernels, and the float model gets fusions the other does not).
  const session = await ort.InferenceSession.create(file, {
    graphOptimizationLevel: level, intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3,
    extra: { session: { disable_prepacking: '1', disable_quant_qdq: '1' } },
  });
  const outputs = await session.run(makeInputs(session));
  const result = {};
  for (const name of session.outputNames) result[name] = outputs[name];
  return result;
}

// Bytes of a tensor's data, for a bitwise comparison (NaN payloads and signed zeros included).
function bytesOf(t) {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

let failed = 0;
for (const [a, b] of pairs) {
  const report = { model: path.basename(a), reference: path.basename(b), levels: {} };
  try {
    for (const level of ['disabled', 'all']) {
      let y;
      try {
        y = await run(b, level);
      } catch (e) {
        // The reference has no decode: if ONNX Runtime cannot run it (an opset it dropped, e.g.
        // Add-6), there is nothing to compare with.
        report.skipped = `the reference does not run: ${String(e.message || e)}`;
        break;
      }
      const x = await run(a, level);
      const names = Object.keys(y);
      const differing = [];
      let values = 0;
      for (const name of names) {
        if (!x[name] || x[name].type !== y[name].type || x[name].dims.join('x') !== y[name].dims.join('x') ||
            !bytesOf(x[name]).equals(bytesOf(y[name]))) {
          differing.push(name);
        }
        values += y[name].size;
      }
      report.levels[level] = { outputs: names.length, values, equal: differing.length === 0, differing };
      if (differing.length) failed += 1;
    }
  } catch (e) {
    report.error = String(e.message || e);
    failed += 1;
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}
process.exit(failed ? 1 : 0);
