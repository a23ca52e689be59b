// Unit tests of the runner's pure parts (node:test; no onnxruntime needed): the protobuf reader
// against python3-onnx and against truncated and corrupted files, the profile grouping, the
// statistics, the pairing of unnamed nodes and the deadline plan.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { matchKernels } from '../runner/lib/graph_match.mjs';
import { readModelNodes, WireError } from '../runner/lib/onnx_wire.mjs';
import { planRuns } from '../runner/lib/plan.mjs';
import { kernelsFromProfile } from '../runner/lib/profile.mjs';
import { parseRequest, RequestError } from '../runner/lib/request.mjs';
import { summarize } from '../runner/lib/stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const example = path.resolve(here, '../../../../examples/mobilenet_v2.onnx');
const ifModel = path.join(here, 'data/if_model.onnx');

function withTempFile(bytes, body) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winglet-wire-test-'));
  try {
    const file = path.join(dir, 'model.onnx');
    fs.writeFileSync(file, bytes);
    return body(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the wire reader lists the nodes python3-onnx lists', () => {
  const script = 'import json, sys, onnx\nm = onnx.load(sys.argv[1])\n' +
    'print(json.dumps([[n.name, n.op_type, n.domain, list(n.input), list(n.output)] for n in m.graph.node]))';
  const expected = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, example], { encoding: 'utf8' }));
  const nodes = readModelNodes(example);
  assert.deepEqual(nodes.map((n) => [n.name, n.op_type, n.domain, n.inputs, n.outputs]), expected);
  assert.ok(nodes.every((n) => n.parent === null));
});

test('the wire reader descends into subgraphs and names their parent', () => {
  const nodes = readModelNodes(ifModel);
  assert.deepEqual(nodes.map((n) => [n.name, n.parent]),
    [['if_node', null], ['else_neg', 'if_node'], ['then_relu', 'if_node'], ['mul', null]]);  // attributes sorted by name
});

test('a truncated model is an error, never a crash or a wrong answer', () => {
  const bytes = fs.readFileSync(example);
  const graphEnd = bytes.length - 40;  // the graph field ends before the trailing opset import
  for (let cut = 1; cut < graphEnd; cut += Math.max(1, Math.floor(bytes.length / 300)))
    withTempFile(bytes.subarray(0, cut), (file) => assert.throws(() => readModelNodes(file), WireError, `cut at ${cut}`));
});

test('corrupted bytes give a WireError or nodes, nothing else', () => {
  const bytes = fs.readFileSync(ifModel);
  let seed = 12345;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  let errors = 0;
  for (let i = 0; i < 300; i++) {
    const copy = Buffer.from(bytes);
    for (let k = 0; k < 3; k++) copy[next() % copy.length] = next() % 256;
    withTempFile(copy, (file) => {
      try {
        const nodes = readModelNodes(file);
        assert.ok(Array.isArray(nodes));
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
        errors++;
      }
    });
  }
  assert.ok(errors > 0);
});

test('statistics follow the protocol definitions', () => {
  assert.deepEqual(summarize([4, 1, 3, 2]), {
    n: 4, min: 1, median: 2.5, p90: 3.7, max: 4, mean: 2.5, stdev: Math.sqrt(5 / 3),
  });
  assert.equal(summarize([7]).stdev, 0);
  assert.equal(summarize([7]).p90, 7);
});

test('profile events are grouped by run, warm-up runs dropped, repeated calls summed', () => {
  const run = (ts, dur) => ({ cat: 'Session', name: 'model_run', ts, dur });
  const kernel = (node, ts, dur, op = 'Conv') => ({ cat: 'Node', name: `${node}_kernel_time`, ts, dur, args: { op_name: op, provider: 'CPU', node_index: '4' } });
  const events = [
    run(100, 50), kernel('conv', 105, 40),                                // warm-up: dropped
    run(200, 50), kernel('conv', 202, 30), kernel('loop_body', 240, 2, 'Add'), kernel('loop_body', 245, 3, 'Add'),
    run(300, 50), kernel('conv', 304, 34), kernel('loop_body', 340, 4, 'Add'), kernel('loop_body', 346, 4, 'Add'),
    kernel('outside', 360, 5),                                             // in no run: ignored
    { cat: 'Node', name: 'conv_fence_before', ts: 205, dur: 1 },           // not a kernel event
  ];
  const { runs, kernels } = kernelsFromProfile(events, 1);
  assert.equal(runs, 2);
  assert.deepEqual(kernels.map((k) => k.node), ['conv', 'loop_body']);
  const [conv, body] = kernels;
  assert.deepEqual([conv.n, conv.median_us, conv.min_us, conv.max_us, conv.start_us, conv.node_index], [2, 32, 30, 34, 3, 4]);
  assert.deepEqual([body.calls_per_run, body.median_us, body.min_us, body.max_us, body.op_type], [2, 6.5, 5, 8, 'Add']);
});

test('named kernels match by name, unnamed ones by op type in order', () => {
  const graph = [
    { name: 'a', op_type: 'Conv', domain: '', inputs: ['x'], outputs: ['y'], parent: null },
    { name: '', op_type: 'Relu', domain: '', inputs: ['y'], outputs: ['z'], parent: null },
    { name: '', op_type: 'Relu', domain: '', inputs: ['z'], outputs: ['w'], parent: null },
    { name: 'never', op_type: 'Neg', domain: '', inputs: ['w'], outputs: ['v'], parent: 'if' },
  ];
  const k = (node, op_type, node_index) => ({ node, op_type, node_index, n: 1 });
  const { kernels, unobserved_nodes } = matchKernels([k('a', 'Conv', 0), k('Relu_9', 'Relu', 9), k('Relu_2', 'Relu', 2), k('ghost', 'Add', 7)], graph);
  assert.deepEqual(kernels.map((x) => [x.node, x.matched_by, x.outputs]),
    [['a', 'name', ['y']], ['Relu_9', 'order', ['w']], ['Relu_2', 'order', ['z']], ['ghost', 'none', []]]);
  assert.deepEqual(unobserved_nodes.map((n) => [n.node, n.parent]), [['never', 'if']]);
});

test('the deadline plan shrinks both counts and keeps at least one run', () => {
  const request = { runs: 1000, profile_runs: 100, warmup: 2, deadline_s: 10 };
  const unlimited = planRuns({ ...request, deadline_s: null }, { startedAt: 0, now: 0, createMs: 100, warmupMs: [50, 10] });
  assert.deepEqual(unlimited, { runs: 1000, profile_runs: 100, limited: false });
  const plan = planRuns(request, { startedAt: 0, now: 1000, createMs: 100, warmupMs: [50, 10] });
  assert.equal(plan.limited, true);
  assert.ok(plan.runs < 1000 && plan.runs > 100, JSON.stringify(plan));
  assert.ok(plan.profile_runs < 100 && plan.profile_runs >= 1);
  const late = planRuns(request, { startedAt: 0, now: 9999, createMs: 100, warmupMs: [10] });
  assert.deepEqual(late, { runs: 1, profile_runs: 1, limited: true });
});

test('requests are checked field by field', () => {
  const ok = parseRequest('{"protocol":1,"model":"m.onnx"}');
  assert.deepEqual([ok.warmup, ok.runs, ok.profile_runs, ok.threads, ok.graph_optimization, ok.deadline_s], [3, 20, 10, 1, 'all', null]);
  const bad = [
    ['{"protocol":2,"model":"m"}', 'request speaks protocol 2, this runner speaks 1'],
    ['{"protocol":1}', 'request: "model" must be a file path'],
    ['{"protocol":1,"model":"m","runs":0}', 'request: "runs" must be an integer in [1, 100000], got 0'],
    ['{"protocol":1,"model":"m","graph_optimization":"max"}', 'request: "graph_optimization" must be one of disabled, basic, extended, all, got "max"'],
    ['{"protocol":1,"model":"m","inputs":[{"name":"x","shape":[1,-2]}]}', 'request: "inputs[0].shape[1]" must be an integer in [0, 2147483647], got -2'],
    ['{"protocol":1,"model":"m","inputs":[{"name":"x","values":[]}]}', 'request: inputs[0] (x).values must be a non-empty array of finite numbers'],
    ['not json', 'request is not JSON'],
  ];
  for (const [text, message] of bad)
    assert.throws(() => parseRequest(text), (e) => e instanceof RequestError && e.message.startsWith(message), text);
});
