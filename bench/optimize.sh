#!/usr/bin/env bash
# Compression speed (issue #4's goals) and sizes (issue #10), four parts:
#   1. 4-bit palettization of 1e7 weights vs scikit-learn KMeans(n_clusters=16, n_init=1), same data
#   2. per-channel symmetric int8 quantization of a 4096x4096 matrix vs NumPy
#   3. `winglet optimize` of ResNet-50 with whole-model recipes (int8, int4, 4-bit palettes), hyperfine
#   4. the same recipes: the storage optimize reports against the size of the file it writes
# Needs hyperfine, python3-sklearn and python3-numpy (Debian), and a build configured with
# -DWINGLET_BUILD_BENCH=ON (this script does that to BUILD_DIR).
#   bench/optimize.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
MODELS="${BENCH_MODELS:-bench/models}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake -S . -B "$BUILD_DIR" -DWINGLET_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target winglet palettize_bench quantize_bench >/dev/null
bench_bin="$BUILD_DIR/bin"

echo "== 1. palettization, 1e7 weights, 16 clusters"
"$bench_bin/palettize_bench" --n 10000000 --bits 4 --repeat 5 --dump "$work/w.npy"
/usr/bin/python3 plugins/optimizers/palettize/bench/sklearn_kmeans.py "$work/w.npy" --clusters 16

echo "== 2. int8 per-channel symmetric quantization, 4096x4096"
"$bench_bin/quantize_bench"
/usr/bin/python3 plugins/optimizers/quantize/bench/numpy_quantize.py

echo "== 3. winglet optimize, ResNet-50"
mkdir -p "$MODELS"
model="$MODELS/resnet50.onnx"
[ -s "$model" ] || /usr/bin/python3 scripts/export_models.py --model resnet50 --out "$model"
for spec in "int8:quantize:bits = 8" "int4:quantize:bits = 4" "palette4:palettize:bits = 4"; do
  IFS=: read -r name technique options <<<"$spec"
  printf '[default]\ntechnique = "%s"\n%s\n' "$technique" "$options" >"$work/$name.toml"
done
hyperfine -N --warmup 1 --runs 5 \
  -n int8 "$BUILD_DIR/bin/winglet -q optimize $model --recipe $work/int8.toml -o $work/int8.onnx" \
  -n int4 "$BUILD_DIR/bin/winglet -q optimize $model --recipe $work/int4.toml -o $work/int4.onnx" \
  -n palette4 "$BUILD_DIR/bin/winglet -q optimize $model --recipe $work/palette4.toml -o $work/palette4.onnx"

echo "== 4. reported storage of the compressed weights vs the written file, ResNet-50"
printf 'source file %s: %s bytes\n' "$model" "$(stat -c %s "$model")"
for name in int8 int4 palette4; do
  echo "-- $name"
  "$BUILD_DIR/bin/winglet" -q optimize "$model" --recipe "$work/$name.toml" -o "$work/$name.onnx" | grep -E '^(compressed|written) '
done
