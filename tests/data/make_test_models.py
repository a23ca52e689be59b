#!/usr/bin/python3
"""Write the small hand-built ONNX models used by winglet's importer,
analysis and bad-input tests.

Usage:
  tests/data/make_test_models.py OUT_DIR

All models use onnx.helper with opset 13 and ir_version 7 unless noted.
Weights are deterministic (numpy default_rng(seed) per model,
random.Random(1234) for random.onnx).
The script is idempotent: it (re)writes the same files with the same bytes.

Valid models (pass onnx.checker.check_model):
  conv_groups.onnx       X[1,8,32,32] -> Conv(W[16,2,3,3], B[16], group=4,
                         dilations=2, strides=2, pads=2) -> Y[1,16,16,16]
  gemm.onnx              A[4,64] x B_init[64,32] + C_init[32] -> Y[4,32]
  matmul_add.onnx        A[4,64] -> MatMul W[64,32] -> Add b[32] -> Y[4,32] (what a Linear
                         layer exports as; ONNX Runtime fuses the pair into one Gemm kernel)
  conv_chain.onnx        X[1,3,8,8] -> conv1(W1[8,3,3,3], pad 1) -> Relu
                         -> conv2(W2[4,8,3,3], pad 1) -> Y[1,4,8,8]
  matmul_broadcast.onnx  A[2,1,8,16] @ B[3,16,4] -> Y[2,3,8,4]
  lstm.onnx              LSTM X[5,2,10], hidden 20, forward -> Y, Y_h, Y_c
  huge_dim.onnx          X[2^62,4] -> Relu
  external_ok/           MatMul with W[256,128] in external file weights.bin
  symbolic.onnx          X["batch",3,32,32] -> Conv(W[8,3,3,3], pads 1) -> Relu
  if_subgraph.onnx       If(cond): then MatMul(W_init[16,16] in subgraph),
                         else Identity
  shared_weight.onnx     W[32,32] used by two MatMuls
  constant_weight.onnx   MatMul weight [16,8] from a Constant node
  markup_names.onnx      Relu -> Sigmoid whose node and tensor names hold HTML markup
                         ("</script>", "<!--", "&amp;"): reports must carry them verbatim
  mcu_flash_weights.onnx X[1,256] @ W[256,1536] -> Y[1,1536]: 1.5 MiB of fp32 weights, more
                         than a 1 MiB MCU RAM, less than its 2 MiB flash; 7 KiB of activations
  mcu_big_activations.onnx  X[1,16,128,128] -> Relu -> Y: 2 MiB of activations, no weights
  mcu_spill.onnx         X[1,24,64,64] -> relu1 -> pool (MaxPool 4x4, stride 4) -> relu2
                         -> Y[1,24,16,16]: 384 KiB + 384 KiB live at relu1, working sets of
                         768, 408 and 48 KiB against a 128 KiB on-chip memory

Shapes computed at run time (no value_info, so only evaluating the arithmetic
gives the shapes; libonnx 1.12's data propagation does not cover Div):
  computed_reshape.onnx  X["batch","seq",64] -> Reshape to
                         Concat(Gather(Shape,[0]), Gather(Shape,[1]) * 8,
                         Gather(Shape,[2]) / 8) = [batch, seq*8, 8]
                         -> MatMul W[8,16] -> Y
  computed_if.onnx       X["n",16], sr int64 []: If(Equal(sr / 1000, 16)):
                         then MatMul W_then[16,32] (16 kHz),
                         else MatMul W_a[16,64] -> MatMul W_b[64,32] (costlier)
  loop_computed_trips.onnx  Loop M = Add(2, 3) = 5 (computed, not stored):
                         body carried[1,16] -> MatMul W[16,16]; scan output
  zero_dim_input.onnx    X stored as [0,3,32,32] (a TF-style "dynamic" 0)
                         -> Conv W[8,3,3,3] pads 1 -> Y

Invalid / hostile inputs (written without running the checker):
  hostile_range.onnx     Range(0, 2^40, 1) -> ReduceSum: a 2^40-element tensor
  hostile_fill.onnx      ConstantOfShape([2^31, 2^31]) -> Relu: 2^62 elements
  unsorted.onnx          Relu -> Sigmoid -> Tanh, node list reversed
  cyclic.onnx            two Adds feeding each other
  external_escape/       external data location "../escape.bin"
                         (escape.bin is written next to external_escape/)
  external_abs/          external data location "/etc/passwd"
  opset_future.onnx      Conv->Relu->Add with opset 19, ir_version 9
  empty.onnx             0 bytes
  truncated.onnx         first 60% of conv_groups.onnx
  random.onnx            4096 bytes from random.Random(1234)
"""

import argparse
import os
import random
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 7

FLOAT = TensorProto.FLOAT


def make_model(graph, opset=OPSET, ir_version=IR_VERSION):
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", opset)],
        producer_name="winglet-test-models",
    )
    model.ir_version = ir_version
    return model


def rand(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(array, name=name)


class Writer:
    """Writes files into out_dir and remembers what was written."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.written = []

    def path(self, rel):
        p = os.path.join(self.out_dir, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def bytes(self, rel, data):
        with open(self.path(rel), "wb") as f:
            f.write(data)
        self.written.append(rel)

    def model(self, rel, model, check=True):
        if check:
            onnx.checker.check_model(model)
        # SerializeToString + raw write (rather than onnx.save) so that
        # invalid models and external-data references are written verbatim.
        self.bytes(rel, model.SerializeToString())


# --------------------------------------------------------------------------
# Valid models
# --------------------------------------------------------------------------


def conv_groups(rng):
    # out = floor((32 + 2*2 - 2*(3-1) - 1) / 2) + 1 = 16
    node = helper.make_node(
        "Conv", ["X", "W", "B"], ["Y"], name="conv",
        group=4, dilations=[2, 2], strides=[2, 2], pads=[2, 2, 2, 2],
        kernel_shape=[3, 3],
    )
    g = helper.make_graph(
        [node], "conv_groups",
        [helper.make_tensor_value_info("X", FLOAT, [1, 8, 32, 32])],
        [helper.make_tensor_value_info("Y", FLOAT, [1, 16, 16, 16])],
        initializer=[init("W", rand(rng, 16, 2, 3, 3)), init("B", rand(rng, 16))],
    )
    return make_model(g)


def conv_chain(rng):
    # MACs: conv1 8*8 positions * 8 out * 3 in * 9 = 13,824; conv2 64 * 4 * 8 * 9 = 18,432.
    nodes = [
        helper.make_node("Conv", ["X", "W1"], ["H"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["H"], ["R"], name="relu"),
        helper.make_node("Conv", ["R", "W2"], ["Y"], name="conv2", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    ]
    g = helper.make_graph(
        nodes, "conv_chain",
        [helper.make_tensor_value_info("X", FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("Y", FLOAT, [1, 4, 8, 8])],
        initializer=[init("W1", rand(rng, 8, 3, 3, 3)), init("W2", rand(rng, 4, 8, 3, 3))],
    )
    return make_model(g)


def gemm(rng):
    node = helper.make_node("Gemm", ["A", "B", "C"], ["Y"], name="gemm",
                            transB=0)
    g = helper.make_graph(
        [node], "gemm",
        [helper.make_tensor_value_info("A", FLOAT, [4, 64])],
        [helper.make_tensor_value_info("Y", FLOAT, [4, 32])],
        initializer=[init("B", rand(rng, 64, 32)), init("C", rand(rng, 32))],
    )
    return make_model(g)


def mcu_flash_weights(rng):
    node = helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul")
    g = helper.make_graph(
        [node], "mcu_flash_weights",
        [helper.make_tensor_value_info("X", FLOAT, [1, 256])],
        [helper.make_tensor_value_info("Y", FLOAT, [1, 1536])],
        initializer=[init("W", rand(rng, 256, 1536))],
    )
    return make_model(g)


def mcu_big_activations(_rng):
    node = helper.make_node("Relu", ["X"], ["Y"], name="relu")
    g = helper.make_graph(
        [node], "mcu_big_activations",
        [helper.make_tensor_value_info("X", FLOAT, [1, 16, 128, 128])],
        [helper.make_tensor_value_info("Y", FLOAT, [1, 16, 128, 128])],
    )
    return make_model(g)


def mcu_spill(_rng):
    nodes = [
        helper.make_node("Relu", ["X"], ["R"], name="relu1"),
        helper.make_node("MaxPool", ["R"], ["P"], name="pool", kernel_shape=[4, 4], strides=[4, 4]),
        helper.make_node("Relu", ["P"], ["Y"], name="relu2"),
    ]
    g = helper.make_graph(
        nodes, "mcu_spill",
        [helper.make_tensor_value_info("X", FLOAT, [1, 24, 64, 64])],
        [helper.make_tensor_value_info("Y", FLOAT, [1, 24, 16, 16])],
    )
    return make_model(g)


def matmul_add(rng):
    nodes = [helper.make_node("MatMul", ["A", "W"], ["P"], name="matmul"),
             helper.make_node("Add", ["P", "b"], ["Y"], name="bias")]
    g = helper.make_graph(
        nodes, "matmul_add",
        [helper.make_tensor_value_info("A", FLOAT, [4, 64])],
        [helper.make_tensor_value_info("Y", FLOAT, [4, 32])],
        initializer=[init("W", rand(rng, 64, 32)), init("b", rand(rng, 32))],
    )
    return make_model(g)


def matmul_broadcast(rng):
    node = helper.make_node("MatMul", ["A", "B"], ["Y"], name="matmul")
    g = helper.make_graph(
        [node], "matmul_broadcast",
        [helper.make_tensor_value_info("A", FLOAT, [2, 1, 8, 16]),
         helper.make_tensor_value_info("B", FLOAT, [3, 16, 4])],
        [helper.make_tensor_value_info("Y", FLOAT, [2, 3, 8, 4])],
    )
    return make_model(g)


def lstm(rng):
    seq, batch, inp, hid = 5, 2, 10, 20
    node = helper.make_node(
        "LSTM", ["X", "W", "R", "B"], ["Y", "Y_h", "Y_c"], name="lstm",
        hidden_size=hid, direction="forward",
    )
    g = helper.make_graph(
        [node], "lstm",
        [helper.make_tensor_value_info("X", FLOAT, [seq, batch, inp])],
        [helper.make_tensor_value_info("Y", FLOAT, [seq, 1, batch, hid]),
         helper.make_tensor_value_info("Y_h", FLOAT, [1, batch, hid]),
         helper.make_tensor_value_info("Y_c", FLOAT, [1, batch, hid])],
        initializer=[init("W", rand(rng, 1, 4 * hid, inp)),
                     init("R", rand(rng, 1, 4 * hid, hid)),
                     init("B", rand(rng, 1, 8 * hid))],
    )
    return make_model(g)


def huge_dim(rng):
    n = 2 ** 62
    node = helper.make_node("Relu", ["X"], ["Y"], name="relu")
    g = helper.make_graph(
        [node], "huge_dim",
        [helper.make_tensor_value_info("X", FLOAT, [n, 4])],
        [helper.make_tensor_value_info("Y", FLOAT, [n, 4])],
    )
    return make_model(g)


def symbolic(rng):
    nodes = [
        helper.make_node("Conv", ["X", "W"], ["C"], name="conv",
                         pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["C"], ["Y"], name="relu"),
    ]
    g = helper.make_graph(
        nodes, "symbolic",
        [helper.make_tensor_value_info("X", FLOAT, ["batch", 3, 32, 32])],
        [helper.make_tensor_value_info("Y", FLOAT, ["batch", 8, 32, 32])],
        initializer=[init("W", rand(rng, 8, 3, 3, 3))],
    )
    return make_model(g)


def if_subgraph(rng):
    then_g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W_then"], ["then_out"],
                          name="then_matmul")],
        "then_branch", [],
        [helper.make_tensor_value_info("then_out", FLOAT, [4, 16])],
        initializer=[init("W_then", rand(rng, 16, 16))],
    )
    else_g = helper.make_graph(
        [helper.make_node("Identity", ["X"], ["else_out"],
                          name="else_identity")],
        "else_branch", [],
        [helper.make_tensor_value_info("else_out", FLOAT, [4, 16])],
    )
    node = helper.make_node("If", ["cond"], ["Y"], name="if",
                            then_branch=then_g, else_branch=else_g)
    g = helper.make_graph(
        [node], "if_subgraph",
        [helper.make_tensor_value_info("cond", TensorProto.BOOL, []),
         helper.make_tensor_value_info("X", FLOAT, [4, 16])],
        [helper.make_tensor_value_info("Y", FLOAT, [4, 16])],
    )
    return make_model(g)


def ints(name, values):
    return helper.make_node("Constant", [], [name], name=name,
                            value=numpy_helper.from_array(
                                np.array(values, dtype=np.int64), name=name))


def computed_reshape(rng):
    nodes = [
        helper.make_node("Shape", ["X"], ["s"], name="shape"),
        ints("i0", [0]), ints("i1", [1]), ints("i2", [2]), ints("eight", [8]),
        helper.make_node("Gather", ["s", "i0"], ["b"], name="gather_batch"),
        helper.make_node("Gather", ["s", "i1"], ["t"], name="gather_seq"),
        helper.make_node("Gather", ["s", "i2"], ["c"], name="gather_width"),
        helper.make_node("Mul", ["t", "eight"], ["t8"], name="seq_times_8"),
        helper.make_node("Div", ["c", "eight"], ["c8"], name="width_over_8"),
        helper.make_node("Concat", ["b", "t8", "c8"], ["target"], axis=0,
                         name="target_shape"),
        helper.make_node("Reshape", ["X", "target"], ["R"], name="reshape"),
        helper.make_node("MatMul", ["R", "W"], ["Y"], name="matmul"),
    ]
    g = helper.make_graph(
        nodes, "computed_reshape",
        [helper.make_tensor_value_info("X", FLOAT, ["batch", "seq", 64])],
        [helper.make_tensor_value_info("Y", FLOAT, ["batch", "rows", 16])],
        initializer=[init("W", rand(rng, 8, 16))],
    )
    return make_model(g)


def computed_if(rng):
    then_g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W_then"], ["then_out"],
                          name="then_matmul")],
        "then_branch", [], [helper.make_tensor_value_info("then_out", FLOAT, ["n", 32])],
        initializer=[init("W_then", rand(rng, 16, 32))],
    )
    else_g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W_a"], ["h"], name="else_matmul_a"),
         helper.make_node("MatMul", ["h", "W_b"], ["else_out"],
                          name="else_matmul_b")],
        "else_branch", [], [helper.make_tensor_value_info("else_out", FLOAT, ["n", 32])],
        initializer=[init("W_a", rand(rng, 16, 64)), init("W_b", rand(rng, 64, 32))],
    )
    nodes = [
        ints("thousand", 1000), ints("sixteen", 16),
        helper.make_node("Div", ["sr", "thousand"], ["khz"], name="khz"),
        helper.make_node("Equal", ["khz", "sixteen"], ["is_16k"], name="is_16k"),
        helper.make_node("If", ["is_16k"], ["Y"], name="if_16k",
                         then_branch=then_g, else_branch=else_g),
    ]
    g = helper.make_graph(
        nodes, "computed_if",
        [helper.make_tensor_value_info("X", FLOAT, ["n", 16]),
         helper.make_tensor_value_info("sr", TensorProto.INT64, [])],
        [helper.make_tensor_value_info("Y", FLOAT, ["n", 32])],
    )
    return make_model(g)


def loop_computed_trips(rng):
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"], name="keep_going"),
         helper.make_node("MatMul", ["carried", "W"], ["next"], name="body_matmul"),
         helper.make_node("Relu", ["next"], ["scanned"], name="body_relu")],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("carried", FLOAT, [1, 16])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("next", FLOAT, [1, 16]),
         helper.make_tensor_value_info("scanned", FLOAT, [1, 16])],
    )
    nodes = [
        ints("two", 2), ints("three", 3),
        helper.make_node("Add", ["two", "three"], ["trips"], name="trips"),
        helper.make_node("Loop", ["trips", "", "X"], ["final", "stacked"],
                         name="loop", body=body),
    ]
    g = helper.make_graph(
        nodes, "loop_computed_trips",
        [helper.make_tensor_value_info("X", FLOAT, [1, 16])],
        [helper.make_tensor_value_info("final", FLOAT, [1, 16]),
         helper.make_tensor_value_info("stacked", FLOAT, ["trips", 1, 16])],
        initializer=[init("W", rand(rng, 16, 16))],
    )
    return make_model(g)


def zero_dim_input(rng):
    nodes = [helper.make_node("Conv", ["X", "W"], ["Y"], name="conv",
                              pads=[1, 1, 1, 1], kernel_shape=[3, 3])]
    g = helper.make_graph(
        nodes, "zero_dim_input",
        [helper.make_tensor_value_info("X", FLOAT, [0, 3, 32, 32])],
        [helper.make_tensor_value_info("Y", FLOAT, ["N", 8, 32, 32])],
        initializer=[init("W", rand(rng, 8, 3, 3, 3))],
    )
    return make_model(g)


def hostile_range(rng):
    nodes = [ints("start", 0), ints("limit", 1 << 40), ints("delta", 1),
             helper.make_node("Range", ["start", "limit", "delta"], ["r"], name="range"),
             helper.make_node("ReduceSum", ["r"], ["Y"], name="sum", keepdims=0)]
    g = helper.make_graph(nodes, "hostile_range", [],
                          [helper.make_tensor_value_info("Y", TensorProto.INT64, [])])
    return make_model(g)


def hostile_fill(rng):
    nodes = [ints("shape", [1 << 31, 1 << 31]),
             helper.make_node("ConstantOfShape", ["shape"], ["f"], name="fill"),
             helper.make_node("Relu", ["f"], ["Y"], name="relu")]
    g = helper.make_graph(nodes, "hostile_fill", [],
                          [helper.make_tensor_value_info("Y", FLOAT, ["a", "b"])])
    return make_model(g)


def shared_weight(rng):
    nodes = [
        helper.make_node("MatMul", ["X", "W"], ["H"], name="matmul1"),
        helper.make_node("MatMul", ["H", "W"], ["Y"], name="matmul2"),
    ]
    g = helper.make_graph(
        nodes, "shared_weight",
        [helper.make_tensor_value_info("X", FLOAT, [4, 32])],
        [helper.make_tensor_value_info("Y", FLOAT, [4, 32])],
        initializer=[init("W", rand(rng, 32, 32))],
    )
    return make_model(g)


def constant_weight(rng):
    nodes = [
        helper.make_node("Constant", [], ["W"], name="weight",
                         value=numpy_helper.from_array(rand(rng, 16, 8),
                                                       name="W_value")),
        helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul"),
    ]
    g = helper.make_graph(
        nodes, "constant_weight",
        [helper.make_tensor_value_info("X", FLOAT, [4, 16])],
        [helper.make_tensor_value_info("Y", FLOAT, [4, 8])],
    )
    return make_model(g)


def markup_names(rng):
    relu = "</script><script>alert(1)</script>"
    sigmoid = "<!-- & &amp; \"quoted\" -->"
    nodes = [
        helper.make_node("Relu", ["X"], [relu + ":out"], name=relu),
        helper.make_node("Sigmoid", [relu + ":out"], ["Y"], name=sigmoid),
    ]
    g = helper.make_graph(
        nodes, "markup_names",
        [helper.make_tensor_value_info("X", FLOAT, [1, 4])],
        [helper.make_tensor_value_info("Y", FLOAT, [1, 4])],
    )
    return make_model(g)


def external_matmul(rng, location):
    """MatMul X[4,256] @ W[256,128] with W stored externally at `location`.

    Returns (model, raw weight bytes).  The TensorProto's external_data
    entries are set by hand: location, offset 0, length = byte size.
    """
    w = rand(rng, 256, 128)
    raw = w.tobytes()  # little-endian float32, as ONNX requires
    t = TensorProto()
    t.name = "W"
    t.data_type = FLOAT
    t.dims.extend(w.shape)
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", location), ("offset", "0"),
                 ("length", str(len(raw)))):
        e = t.external_data.add()
        e.key, e.value = k, v
    g = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul")],
        "external_data",
        [helper.make_tensor_value_info("X", FLOAT, [4, 256])],
        [helper.make_tensor_value_info("Y", FLOAT, [4, 128])],
        initializer=[t],
    )
    return make_model(g), raw


# --------------------------------------------------------------------------
# Invalid / hostile models
# --------------------------------------------------------------------------


def unsorted(rng):
    nodes = [
        helper.make_node("Relu", ["X"], ["a"], name="relu"),
        helper.make_node("Sigmoid", ["a"], ["b"], name="sigmoid"),
        helper.make_node("Tanh", ["b"], ["Y"], name="tanh"),
    ]
    g = helper.make_graph(
        list(reversed(nodes)), "unsorted",
        [helper.make_tensor_value_info("X", FLOAT, [2, 8])],
        [helper.make_tensor_value_info("Y", FLOAT, [2, 8])],
    )
    return make_model(g)


def cyclic(rng):
    nodes = [
        helper.make_node("Add", ["X", "t2"], ["t1"], name="A"),
        helper.make_node("Add", ["t1", "X"], ["t2"], name="B"),
    ]
    g = helper.make_graph(
        nodes, "cyclic",
        [helper.make_tensor_value_info("X", FLOAT, [2, 8])],
        [helper.make_tensor_value_info("t1", FLOAT, [2, 8])],
    )
    return make_model(g)


def opset_future(rng):
    nodes = [
        helper.make_node("Conv", ["X", "W"], ["C"], name="conv",
                         pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["C"], ["R"], name="relu"),
        helper.make_node("Add", ["R", "C"], ["Y"], name="add"),
    ]
    g = helper.make_graph(
        nodes, "opset_future",
        [helper.make_tensor_value_info("X", FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("Y", FLOAT, [1, 4, 16, 16])],
        initializer=[init("W", rand(rng, 4, 3, 3, 3))],
    )
    return make_model(g, opset=19, ir_version=9)


# --------------------------------------------------------------------------


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Write winglet's small hand-built ONNX test models "
                    "(opset 13, ir_version 7 unless noted) into OUT_DIR.",
        epilog="See the module docstring for the list of models.",
    )
    p.add_argument("out_dir", help="output directory (created if missing)")
    ns = p.parse_args(argv)

    out = ns.out_dir
    os.makedirs(out, exist_ok=True)
    w = Writer(out)

    # One seeded generator per model so that adding/removing a model never
    # changes the weights of the others.
    w.model("conv_groups.onnx", conv_groups(np.random.default_rng(0)))
    w.model("gemm.onnx", gemm(np.random.default_rng(1)))
    w.model("conv_chain.onnx", conv_chain(np.random.default_rng(20)))
    w.model("matmul_broadcast.onnx", matmul_broadcast(np.random.default_rng(2)))
    w.model("matmul_add.onnx", matmul_add(np.random.default_rng(22)))
    w.model("lstm.onnx", lstm(np.random.default_rng(3)))
    w.model("huge_dim.onnx", huge_dim(np.random.default_rng(4)))
    w.model("symbolic.onnx", symbolic(np.random.default_rng(5)))
    w.model("if_subgraph.onnx", if_subgraph(np.random.default_rng(6)))
    w.model("shared_weight.onnx", shared_weight(np.random.default_rng(7)))
    w.model("constant_weight.onnx", constant_weight(np.random.default_rng(8)))
    w.model("markup_names.onnx", markup_names(None))
    w.model("computed_reshape.onnx", computed_reshape(np.random.default_rng(11)))
    w.model("computed_if.onnx", computed_if(np.random.default_rng(12)))
    w.model("loop_computed_trips.onnx", loop_computed_trips(np.random.default_rng(13)))
    w.model("zero_dim_input.onnx", zero_dim_input(np.random.default_rng(14)))
    w.model("mcu_flash_weights.onnx", mcu_flash_weights(np.random.default_rng(21)))
    w.model("mcu_big_activations.onnx", mcu_big_activations(None))
    w.model("mcu_spill.onnx", mcu_spill(None))

    # External data: a valid reference, one escaping the model directory
    # (with the target present so following it would "work"), and an
    # absolute path.
    m, raw = external_matmul(np.random.default_rng(9), "weights.bin")
    w.model("external_ok/model.onnx", m, check=False)
    w.bytes("external_ok/weights.bin", raw)
    m, raw = external_matmul(np.random.default_rng(9), "../escape.bin")
    w.model("external_escape/model.onnx", m, check=False)
    w.bytes("escape.bin", raw)
    m, _ = external_matmul(np.random.default_rng(9), "/etc/passwd")
    w.model("external_abs/model.onnx", m, check=False)

    # Invalid models: serialised directly, never checked.
    w.model("unsorted.onnx", unsorted(None), check=False)
    w.model("cyclic.onnx", cyclic(None), check=False)
    w.model("opset_future.onnx", opset_future(np.random.default_rng(10)),
            check=False)
    w.model("hostile_range.onnx", hostile_range(None), check=False)
    w.model("hostile_fill.onnx", hostile_fill(None), check=False)

    # Not-a-model inputs.
    w.bytes("empty.onnx", b"")
    with open(os.path.join(out, "conv_groups.onnx"), "rb") as f:
        conv_bytes = f.read()
    w.bytes("truncated.onnx", conv_bytes[: len(conv_bytes) * 6 // 10])
    r = random.Random(1234)
    w.bytes("random.onnx", bytes(r.getrandbits(8) for _ in range(4096)))

    for rel in w.written:
        print(os.path.join(out, rel))
    return 0


if __name__ == "__main__":
    sys.exit(main())
