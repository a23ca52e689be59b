# Writes the tiny ONNX models the measured runner's tests use (run with Debian's python3-onnx):
#   dynamic_add.onnx  x[batch, 4] -> Add -> Relu: an input whose size the request must give
#   if_model.onnx     an If on a bool input with a Relu branch and a Neg branch, then a Mul:
#                     kernels inside a subgraph, and a branch that never runs
import os
import sys

import onnx
from onnx import TensorProto, helper

out = os.path.dirname(os.path.abspath(__file__)) if len(sys.argv) < 2 else sys.argv[1]


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="winglet-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name))


x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])
one = helper.make_tensor("one", TensorProto.FLOAT, [4], [1.0, 1.0, 1.0, 1.0])
save(helper.make_graph([helper.make_node("Add", ["x", "one"], ["sum"], name="add"),
                        helper.make_node("Relu", ["sum"], ["y"], name="relu")],
                       "dynamic_add", [x], [y], [one]), "dynamic_add.onnx")

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])
c = helper.make_tensor_value_info("c", TensorProto.BOOL, [])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])
branch_out = helper.make_tensor_value_info("branch_out", TensorProto.FLOAT, [2, 4])
then_graph = helper.make_graph([helper.make_node("Relu", ["x"], ["branch_out"], name="then_relu")], "then", [], [branch_out])
else_graph = helper.make_graph([helper.make_node("Neg", ["x"], ["branch_out"], name="else_neg")], "else", [], [branch_out])
save(helper.make_graph([helper.make_node("If", ["c"], ["chosen"], name="if_node", then_branch=then_graph, else_branch=else_graph),
                        helper.make_node("Mul", ["chosen", "x"], ["y"], name="mul")],
                       "if_model", [x, c], [y]), "if_model.onnx")
