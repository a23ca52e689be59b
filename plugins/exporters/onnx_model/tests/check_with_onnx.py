#!/usr/bin/env python3
"""Checks ONNX models written by the onnx-model exporter with Python's onnx package.

Usage: check_with_onnx.py MODEL_OR_DIR...   (a directory: every *.onnx file in it)

For each model: onnx.checker.check_model(full_check=True) (the checker plus strict shape
inference), then prints its default-domain opset and the op types of its nodes. Also checks what
the writer promises: no initializer shares a name with a node output (the replaced weights are
gone), and the "winglet.int8_storage" metadata names only tensors some node produces.
Exits 1 when a model fails, 77 (skipped) when the onnx package is missing.
"""
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
    meta = {p.key: p.value for p in model.metadata_props}
    narrow = meta.get("winglet.int8_storage", "")
    for entry in filter(None, narrow.split(",")):
        name, _, bits = entry.rpartition(":")
        if name not in produced or not 1 <= int(bits) < 8:
            raise ValueError("bad winglet.int8_storage entry %r" % entry)
    ops = {}
    for node in graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    print("%s: ok, ir %d, opset %s, producer %s %s, nodes %s%s" % (
        os.path.basename(path), model.ir_version, opset, model.producer_name, model.producer_version,
        " ".join("%s:%d" % kv for kv in sorted(ops.items())),
        ", int8 storage " + narrow if narrow else ""))


def main(argv):
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
