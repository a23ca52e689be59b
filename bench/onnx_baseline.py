#!/usr/bin/python3
"""The Python baseline `winglet inspect` is measured against: load, infer shapes, check."""
import sys

import onnx
import onnx.checker
import onnx.shape_inference


def main() -> None:
    model = onnx.load(sys.argv[1])
    model = onnx.shape_inference.infer_shapes(model)
    onnx.checker.check_model(model)


if __name__ == "__main__":
    main()
