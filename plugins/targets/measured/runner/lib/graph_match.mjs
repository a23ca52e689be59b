// Gives every profiled kernel the node it ran from the optimized graph: its domain and the names
// of the values it read and wrote, which is what maps kernels back to the original ONNX ops.
// The profiler names an unnamed node `<op_type>_<node index>`, an index the saved graph does not
// keep; such kernels are paired with the graph's unnamed nodes of the same op type in order
// (`matched_by: "order"`, exact when there is one of that type).

function describe(node) {
  return { node: node.name, op_type: node.op_type, domain: node.domain, inputs: node.inputs, outputs: node.outputs,
           parent: node.parent };
}

// Returns { kernels (each with domain, inputs, outputs, parent, matched_by), unobserved_nodes }.
// A kernel whose parent is not null ran inside that control-flow kernel and is part of its time.
export function matchKernels(kernels, graphNodes) {
  const byName = new Map();
  const unnamed = new Map();  // op_type -> [graph node], file order
  for (const node of graphNodes) {
    if (node.name === '') {
      if (!unnamed.has(node.op_type)) unnamed.set(node.op_type, []);
      unnamed.get(node.op_type).push(node);
    } else if (!byName.has(node.name)) byName.set(node.name, node);
  }
  const used = new Set();
  const matched = kernels.map((k) => {
    const node = byName.get(k.node);
    if (node) used.add(node);
    return { ...k, graphNode: node || null, matched_by: node ? 'name' : 'none' };
  });
  const pending = matched
    .filter((k) => !k.graphNode && k.node_index !== null)
    .sort((a, b) => a.node_index - b.node_index);
  for (const k of pending) {
    const candidates = unnamed.get(k.op_type);
    if (!candidates || candidates.length === 0) continue;
    k.graphNode = candidates.shift();
    k.matched_by = 'order';
    used.add(k.graphNode);
  }
  return {
    kernels: matched.map(({ graphNode, ...k }) => ({
      ...k,
      domain: graphNode ? graphNode.domain : '',
      inputs: graphNode ? graphNode.inputs : [],
      outputs: graphNode ? graphNode.outputs : [],
      parent: graphNode ? graphNode.parent : null,
    })),
    unobserved_nodes: graphNodes.filter((n) => !used.has(n)).map(describe),
  };
}
