"""The NumPy baseline for quantize_bench: per-channel symmetric int8 quantization of a
4096 x 4096 fp32 Gaussian matrix in idiomatic vectorized NumPy, median wall time of 20 runs.

    /usr/bin/python3 plugins/optimizers/quantize/bench/numpy_quantize.py [--runs N]

Same rule as the C++ library: scale = max|w| / 127 per row (fp32), codes =
clip(rint(w / scale), -127, 127); np.rint rounds half to even like ONNX QuantizeLinear.
"""
import argparse
import time

import numpy as np


def quantize_per_channel_int8(w):
    scale = np.abs(w).max(axis=1) / np.float32(127)
    scale[scale == 0] = 1  # an all-zero row, as in the library
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    w = np.random.default_rng(42).standard_normal((4096, 4096), dtype=np.float32)
    quantize_per_channel_int8(w)  # warm-up, as the C++ harness does
    times_ms = []
    for _ in range(args.runs):
        start = time.perf_counter()
        quantize_per_channel_int8(w)
        times_ms.append((time.perf_counter() - start) * 1e3)
    times_ms.sort()
    print(f"numpy_quantize: per-channel symmetric int8, 4096x4096 fp32, numpy {np.__version__}")
    print(f"  median {times_ms[len(times_ms) // 2]:.3f} ms over {args.runs} runs "
          f"(min {times_ms[0]:.3f}, max {times_ms[-1]:.3f})")


if __name__ == "__main__":
    main()
