// Runs an ONNX model once in ONNX Runtime (CPU) and prints, as JSON, the dims of every output
// and the contents of small integer/bool outputs:
//   node run_shapes.mjs MODEL --input NAME=1x512 --input-value NAME=16000 ...
// Float inputs are filled with a fixed pseudo-random sequence; integer inputs with the given
// values (or zeros). Graph optimizations are off so every exposed value is computed as written.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// onnxruntime-node is installed once, with the measured target's runner.
const require = createRequire(path.join(here, '../../plugins/targets/measured/runner/package.json'));
const ort = require('onnxruntime-node');

const args = process.argv.slice(2);
const model = args.shift();
const dims = {}, values = {};
while (args.length) {
  const flag = args.shift(), spec = args.shift() || '';
  const eq = spec.indexOf('=');
  if (eq < 0) throw new Error(`${flag} ${spec}: expected NAME=...`);
  const name = spec.slice(0, eq), text = spec.slice(eq + 1);
  if (flag === '--input') dims[name] = text === 'scalar' ? [] : text.split('x').map(Number);
  else if (flag === '--input-value') values[name] = text.split(',').map(Number);
  else throw new Error(`unknown flag ${flag}`);
}

const typed = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
  int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};
const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1 });
const feeds = {};
let seed = 0x9e3779b9;
const next = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
for (const meta of session.inputMetadata) {
  const shape = dims[meta.name] || (values[meta.name] ? (values[meta.name].length === 1 ? [] : [values[meta.name].length])
    : meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1)));
  const n = shape.reduce((a, b) => a * b, 1);
  const Type = typed[meta.type];
  if (!Type) throw new Error(`input ${meta.name}: type ${meta.type} not supported here`);
  const data = new Type(n);
  const given = values[meta.name];
  for (let i = 0; i < n; ++i) {
    if (meta.type === 'int64') data[i] = BigInt(given ? given[i % given.length] : 0);
    else if (given) data[i] = given[i % given.length];
    else if (meta.type.startsWith('float')) data[i] = next() - 0.5;
  }
  feeds[meta.name] = new ort.Tensor(meta.type, data, shape);
}
const outputs = await session.run(feeds);
const result = {};
for (const name of session.outputNames) {
  const t = outputs[name];
  const entry = { dims: t.dims.map(Number), type: t.type };
  if (['int64', 'int32', 'bool'].includes(t.type) && t.size <= 64) entry.values = Array.from(t.data, Number);
  result[name] = entry;
}
process.stdout.write(JSON.stringify(result) + '\n');
