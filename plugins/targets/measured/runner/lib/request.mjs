// The request a runner reads on stdin (PROTOCOL.md), checked field by field: a bad request is
// answered with an error naming the field, never half run.
export const PROTOCOL = 1;
export const LEVELS = ['disabled', 'basic', 'extended', 'all'];

export class RequestError extends Error {}

function integer(value, field, min, max) {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RequestError(`request: "${field}" must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  return value;
}

function input(entry, i) {
  const where = `request: inputs[${i}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new RequestError(`${where} must be an object`);
  if (typeof entry.name !== 'string' || entry.name === '') throw new RequestError(`${where}.name must be a non-empty string`);
  const out = { name: entry.name, shape: null, values: null };
  if (entry.shape !== undefined && entry.shape !== null) {
    if (!Array.isArray(entry.shape)) throw new RequestError(`${where} (${entry.name}).shape must be an array`);
    out.shape = entry.shape.map((d, k) => integer(d, `inputs[${i}].shape[${k}]`, 0, 2 ** 31 - 1));
  }
  if (entry.values !== undefined && entry.values !== null) {
    if (!Array.isArray(entry.values) || entry.values.length === 0 ||
        !entry.values.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw new RequestError(`${where} (${entry.name}).values must be a non-empty array of finite numbers`);
    out.values = entry.values;
  }
  return out;
}

export function parseRequest(text) {
  let request;
  try { request = JSON.parse(text); } catch (e) { throw new RequestError(`request is not JSON: ${e.message}`); }
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    throw new RequestError('request must be a JSON object');
  if (request.protocol !== PROTOCOL)
    throw new RequestError(`request speaks protocol ${JSON.stringify(request.protocol)}, this runner speaks ${PROTOCOL}`);
  if (typeof request.model !== 'string' || request.model === '') throw new RequestError('request: "model" must be a file path');
  const level = request.graph_optimization ?? 'all';
  if (!LEVELS.includes(level))
    throw new RequestError(`request: "graph_optimization" must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  const inputs = request.inputs ?? [];
  if (!Array.isArray(inputs)) throw new RequestError('request: "inputs" must be an array');
  let deadline = null;
  if (request.deadline_s !== undefined && request.deadline_s !== null) {
    if (typeof request.deadline_s !== 'number' || !(request.deadline_s > 0))
      throw new RequestError('request: "deadline_s" must be a positive number of seconds');
    deadline = request.deadline_s;
  }
  return {
    model: request.model,
    inputs: inputs.map(input),
    warmup: integer(request.warmup ?? 3, 'warmup', 0, 10000),
    runs: integer(request.runs ?? 20, 'runs', 1, 100000),
    profile_runs: integer(request.profile_runs ?? 10, 'profile_runs', 0, 100000),
    threads: integer(request.threads ?? 1, 'threads', 1, 1024),
    graph_optimization: level,
    deadline_s: deadline,
  };
}
