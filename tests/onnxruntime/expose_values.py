#!/usr/bin/python3
"""Writes a copy of an ONNX model in which every value a node computes is a graph output, so that
a runtime reports the shape it executed for each of them.

    expose_values.py MODEL OUT [--take IF_NODE=then|else ...]

`--take` inlines an If node's branch into the graph (the branch's nodes run in the If's place and
its outputs are renamed to the If's), so that the values inside the branch that runs are exposed
too. The caller learns which branch runs from a first run of the exposed model (the If's condition
is an exposed value). Debian's python3-onnx; no runtime needed here.
"""
import argparse
import sys

import onnx
from onnx import helper


def inline_if(graph, node, branch_name):
    """Replaces `node` (an If) in `graph` by the nodes of the chosen branch."""
    branch = next(a.g for a in node.attribute if a.name == branch_name + "_branch")
    renames = {out.name: target for out, target in zip(branch.output, node.output)}
    nodes = []
    for init in branch.initializer:
        graph.initializer.append(init)
    for inner in branch.node:
        copy = onnx.NodeProto()
        copy.CopyFrom(inner)
        for i, name in enumerate(copy.output):
            if name in renames:
                copy.output[i] = renames[name]
        nodes.append(copy)
    # A branch output that is not computed in the branch (an outer value returned as is).
    produced = {o for n in branch.node for o in n.output}
    for out, target in renames.items():
        if out not in produced:
            nodes.append(helper.make_node("Identity", [out], [target], name=node.name + "/take/" + out))
    return nodes


def expose(model_path, out_path, takes, input_shapes=None):
    """Writes the exposed copy; `takes` maps If node names to "then" or "else". `input_shapes`
    (name -> dims) replaces the stored dims of inputs, as winglet's --input does, so that the
    runtime accepts inputs whose stored dims are 0."""
    takes = dict(takes)
    model = onnx.load(model_path)
    graph = model.graph
    for vi in graph.input:
        if vi.name in (input_shapes or {}):
            shape = vi.type.tensor_type.shape
            del shape.dim[:]
            for d in input_shapes[vi.name]:
                shape.dim.add().dim_value = d
    # Inline until no chosen If is left (a taken branch may hold another chosen If).
    changed = True
    while changed:
        changed = False
        nodes = []
        for node in graph.node:
            if node.op_type == "If" and node.name in takes:
                nodes.extend(inline_if(graph, node, takes.pop(node.name)))
                changed = True
            else:
                nodes.append(node)
        del graph.node[:]
        graph.node.extend(nodes)
    if takes:
        raise SystemExit("--take: no If node named " + ", ".join(sorted(takes)))

    existing = {o.name for o in graph.output}
    for node in graph.node:
        for name in node.output:
            if name and name not in existing:
                # No type: the runtime reports the shape and type it computed.
                graph.output.append(onnx.ValueInfoProto(name=name))
                existing.add(name)
    onnx.save(model, out_path)
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--take", action="append", default=[], help="IF_NODE=then|else")
    args = parser.parse_args()

    takes = {}
    for spec in args.take:
        name, _, branch = spec.rpartition("=")
        if branch not in ("then", "else") or not name:
            sys.exit(f"--take {spec}: expected IF_NODE=then|else")
        takes[name] = branch
    expose(args.model, args.out, takes)


if __name__ == "__main__":
    main()
