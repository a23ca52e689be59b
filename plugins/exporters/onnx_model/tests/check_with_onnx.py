#!/usr/bin/env python3
"""Checks ONNX models written by the onnx-model exporter with Python's onnx package.

Usage: check_with_onnx.py MODEL_OR_DIR...   (a directory: every *.onnx file in it)
       check_with_onnx.py --sizes SOURCE MODEL  (MODEL written from SOURCE: check it, then print
                                                 where its bytes went, as JSON)

For each model: onnx.checker.check_model(full_check=True) (the checker plus strict shape
inference), then prints its default-domain opset and the op types of its nodes. Also checks what
the writer promises: no initializer shares a name with a node output (the replaced weights are
gone), and every packed stream (an initializer named winglet_<b>bit_codes or _indices) is uint8
and read by a Cast (its unpack).
With --sizes, the JSON has: "file" (MODEL's size), "payload" (the raw bytes of the initializers
MODEL has and SOURCE has not, but for the small int64 constants of the decode named winglet_*:
packed streams, scales, zero points, tables, values, kept channels, stored offsets), and
"decode_nodes"/"decode_node_bytes" (the nodes of MODEL that SOURCE has no node of the same type
producing the same first output for, and their serialized size).
Exits 1 when a model fails, 77 (skipped) when the onnx package is missing.
"""
import json
import os
import sys

try:
    import onnx
except ImportError:  # pragma: no cover - depends on the machine
    print("skipped: the onnx Python package is not installed")
    sys.exit(77)


def models(args):
    for arg in args:
        if os.path.isdir(arg):
            for name in sorted(os.listdir(arg)):
                if name.endswith(".onnx"):
                    yield os.path.join(arg, name)
        else:
            yield arg


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    graph = model.graph
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    produced = {out for node in graph.node for out in node.output}
    clashes = sorted(produced & {t.name for t in graph.initializer})
    if clashes:
        raise ValueError("initializers also produced by nodes: %s" % ", ".join(clashes))
    casts = {node.input[0] for node in graph.node if node.op_type == "Cast"}
    packed = 0
    for t in graph.initializer:
        if t.name.startswith("winglet_") and ("bit_codes" in t.name or "bit_indices" in t.name):
            if t.data_type != onnx.TensorProto.UINT8 or t.name not in casts:
                raise ValueError("packed stream %s is not a uint8 read by a Cast" % t.name)
            packed += len(t.raw_data)
    ops = {}
    for node in graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    print("%s: ok, ir %d, opset %s, producer %s %s, nodes %s%s" % (
        os.path.basename(path), model.ir_version, opset, model.producer_name, model.producer_version,
        " ".join("%s:%d" % kv for kv in sorted(ops.items())),
        ", packed streams %d bytes" % packed if packed else ""))


def sizes(source_path, path):
    check(path)
    source = onnx.load(source_path)
    model = onnx.load(path)
    known = {t.name for t in source.graph.initializer}
    payload = 0
    for t in model.graph.initializer:
        if t.name in known:
            continue
        if t.name.startswith("winglet_") and t.data_type == onnx.TensorProto.INT64:
            continue  # shapes, shifts, axes: the decode's, not the weights'
        payload += len(t.raw_data)
    source_nodes = {(n.op_type, n.output[0]) for n in source.graph.node if n.output}
    added = [n for n in model.graph.node if not n.output or (n.op_type, n.output[0]) not in source_nodes]
    return {"file": os.path.getsize(path), "payload": payload, "decode_nodes": len(added),
            "decode_node_bytes": sum(n.ByteSize() for n in added)}


def main(argv):
    if len(argv) == 4 and argv[1] == "--sizes":
        print(json.dumps(sizes(argv[2], argv[3])))
        return 0
    paths = list(models(argv[1:]))
    if not paths:
        print("no models to check in: %s" % " ".join(argv[1:]))
        return 1
    failed = 0
    for path in paths:
        try:
            check(path)
        except Exception as e:  # report every model, then fail
            failed += 1
            print("%s: FAILED: %s" % (os.path.basename(path), e))
    print("%d model(s) checked, %d failed (onnx %s)" % (len(paths), failed, onnx.__version__))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
