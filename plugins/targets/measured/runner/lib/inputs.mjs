// The tensors fed to the model: the request's shapes (else the model's own fixed dims), float
// inputs filled with a fixed pseudo-random sequence in [0, 1), integer and bool inputs with the
// request's values (repeated to fill) or zeros. The same request always feeds the same bytes.
import { RequestError } from './request.mjs';

const ARRAYS = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array,
  int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
};
const FLOATS = new Set(['float32', 'float64', 'float16']);

// xorshift32: fast, and the same sequence in every runtime.
function randomSequence() {
  let seed = 0x9e3779b9;
  return () => {
    seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
    return seed / 4294967296;
  };
}

// IEEE half-precision bits of a number (round to nearest; overflow to infinity).
function toHalf(x) {
  const sign = x < 0 ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === 0) return sign;
  if (a >= 65520) return sign | 0x7c00;
  let exponent = Math.floor(Math.log2(a));
  if (exponent < -14) return sign | Math.round(a / 2 ** -24);  // subnormal
  let mantissa = Math.round((a / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) { mantissa = 0; exponent++; }
  return sign | ((exponent + 15) << 10) | mantissa;
}

function shapeOf(meta, given) {
  if (given && given.shape) return given.shape;
  const dims = meta.shape;
  const known = dims.every((d) => typeof d === 'number' && d >= 0);
  if (known) return dims;
  if (given && given.values && dims.length <= 1) return dims.length === 0 ? [] : [given.values.length];
  const unknown = dims.map((d) => (typeof d === 'number' && d >= 0 ? String(d) : String(d || '?')));
  throw new RequestError(`input '${meta.name}' has unknown dims [${unknown.join(', ')}]: the request must ` +
    `give its shape (winglet: --input ${meta.name}=${dims.map((d) => (typeof d === 'number' && d >= 0 ? d : 'N')).join('x')})`);
}

function fill(type, Array_, count, values, random) {
  const data = new Array_(count);
  const convert = type === 'float16' ? toHalf
    : Array_ === BigInt64Array || Array_ === BigUint64Array ? (v) => BigInt(Math.trunc(v)) : (v) => v;
  for (let i = 0; i < count; i++) {
    if (values) data[i] = convert(values[i % values.length]);
    else if (FLOATS.has(type)) data[i] = convert(random());
  }
  return data;
}

// Returns { feeds, shapes } for an onnxruntime-node session.
export function makeFeeds(ort, session, requested) {
  const byName = new Map(requested.map((r) => [r.name, r]));
  for (const name of byName.keys())
    if (!session.inputNames.includes(name))
      throw new RequestError(`request names input '${name}', the model's inputs are: ${session.inputNames.join(', ')}`);
  const random = randomSequence();
  const feeds = {}, shapes = {};
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor) throw new RequestError(`input '${meta.name}' is not a tensor; only tensor inputs are supported`);
    const Array_ = ARRAYS[meta.type];
    if (!Array_) throw new RequestError(`input '${meta.name}': element type ${meta.type} is not supported`);
    const given = byName.get(meta.name);
    const shape = shapeOf(meta, given);
    const count = shape.reduce((a, b) => a * b, 1);
    if (given && given.values && given.values.length !== 1 && given.values.length !== count)
      throw new RequestError(`input '${meta.name}': ${given.values.length} values for ${count} elements (give 1 or ${count})`);
    feeds[meta.name] = new ort.Tensor(meta.type, fill(meta.type, Array_, count, given && given.values, random), shape);
    shapes[meta.name] = shape;
  }
  return { feeds, shapes };
}
