#!/usr/bin/python3
"""Prints, as JSON, the shape ONNX Runtime executes for every value of a model on given inputs,
including the values inside the If branches that run:

    ort_shapes.py MODEL [--input NAME=1x512 ...] [--input-value NAME=16000 ...]
    -> {"values": {name: [dims]}, "taken": {if_node: "then"|"else"}}

It exposes every value as a graph output (expose_values.py), runs the copy once in
onnxruntime-node (run_shapes.mjs), reads the If conditions it computed, inlines the branches
they pick and runs again, until no new If condition turns up. Graph optimizations are off, so
every value is computed as the model writes it.
"""
import json
import os
import subprocess
import sys
import tempfile


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expose_values import expose  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def run(model_path, flags):
    out = subprocess.run(["node", os.path.join(HERE, "run_shapes.mjs"), model_path] + flags,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    args = sys.argv[1:]
    model_path, flags = args[0], args[1:]
    input_shapes = {}
    for flag, spec in zip(flags[::2], flags[1::2]):
        name, _, dims = spec.partition("=")
        if flag == "--input":
            input_shapes[name] = [] if dims == "scalar" else [int(d) for d in dims.split("x")]
    takes = {}
    with tempfile.TemporaryDirectory() as tmp:
        exposed_path = os.path.join(tmp, "exposed.onnx")
        for _ in range(16):
            graph = expose(model_path, exposed_path, takes, input_shapes).graph
            values = run(exposed_path, flags)
            new = {}
            for node in graph.node:
                if node.op_type != "If" or node.name in takes:
                    continue
                cond = values.get(node.input[0], {}).get("values")
                if cond is not None and len(cond) == 1:
                    new[node.name] = "then" if cond[0] else "else"
            if not new:
                break
            takes.update(new)
    json.dump({"values": {k: v["dims"] for k, v in values.items()}, "taken": takes}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
