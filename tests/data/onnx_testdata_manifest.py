#!/usr/bin/python3
"""Writes a JSON manifest of ONNX's own test data (Debian's libonnx-testdata): for every model
with a test_data_set_0, the shapes of its inputs, the contents of its small integer inputs and
the shapes of the reference outputs ONNX ships. winglet's shape tests import each model with
those inputs (--input, --input-value) and compare every output shape with the reference.

    onnx_testdata_manifest.py OUT.json [DATA_DIR]    (default /usr/share/libonnx-testdata/data)

Models whose inputs or outputs are not plain tensors (sequences, optionals, maps) are skipped and
counted in the manifest's "skipped".
"""
import glob
import json
import math
import os
import sys

import onnx
from onnx import numpy_helper

SMALL = 64  # integer inputs up to this many elements are given as contents (shape arguments)


def read_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t


def entry(model_dir):
    model = onnx.load(os.path.join(model_dir, "model.onnx"), load_external_data=False)
    data = os.path.join(model_dir, "test_data_set_0")
    initializers = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    shapes, values = {}, {}
    for k, vi in enumerate(inputs):
        path = os.path.join(data, f"input_{k}.pb")
        if not vi.type.HasField("tensor_type") or not os.path.exists(path):
            return None
        t = read_tensor(path)
        shapes[vi.name] = list(t.dims)
        count = math.prod(t.dims) if t.dims else 1
        if t.data_type in (onnx.TensorProto.INT32, onnx.TensorProto.INT64, onnx.TensorProto.BOOL) and 0 < count <= SMALL:
            flat = numpy_helper.to_array(t).flatten()
            values[vi.name] = [("true" if x else "false") if t.data_type == onnx.TensorProto.BOOL else str(int(x))
                               for x in flat]
    outputs = {}
    for k, vo in enumerate(model.graph.output):
        path = os.path.join(data, f"output_{k}.pb")
        if not vo.type.HasField("tensor_type") or not os.path.exists(path):
            return None
        outputs[vo.name] = list(read_tensor(path).dims)
    return {"model": os.path.join(model_dir, "model.onnx"), "inputs": shapes, "values": values, "outputs": outputs}


def main():
    out = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/libonnx-testdata/data"
    models, skipped = [], []
    for model_dir in sorted(glob.glob(os.path.join(root, "*", "*"))):
        if not os.path.exists(os.path.join(model_dir, "model.onnx")):
            continue
        if not os.path.isdir(os.path.join(model_dir, "test_data_set_0")):
            skipped.append(model_dir)
            continue
        try:
            e = entry(model_dir)
        except Exception as ex:  # a test file this reader cannot parse: say so, do not hide it
            print(f"{model_dir}: {ex}", file=sys.stderr)
            e = None
        (models if e else skipped).append(e or model_dir)
    with open(out, "w") as f:
        json.dump({"root": root, "models": models, "skipped": skipped}, f, indent=0)
    print(f"{len(models)} models, {len(skipped)} skipped -> {out}")


if __name__ == "__main__":
    main()
