#!/usr/bin/env bash
# Times `winglet inspect --json` against python-onnx's load + infer_shapes + check_model on the
# same files, and measures peak RSS. Needs hyperfine (Debian package) and GNU time.
#   bench/inspect.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
MODELS="${BENCH_MODELS:-bench/models}"
PY=/usr/bin/python3
mkdir -p "$MODELS"
for m in resnet50 gpt2_small_like; do
  [ -s "$MODELS/$m.onnx" ] || $PY scripts/export_models.py --model "$m" --out "$MODELS/$m.onnx"
done
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)"; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time (apt-get install time)"; exit 1; }

for m in resnet50 gpt2_small_like; do
  f="$MODELS/$m.onnx"
  echo "== $m ($(du -h "$f" | cut -f1))"
  hyperfine --warmup 1 --runs 5 \
    -n winglet "$BUILD_DIR/bin/winglet inspect $f --json" \
    -n python-onnx "$PY bench/onnx_baseline.py $f"
  for cmd in "$BUILD_DIR/bin/winglet inspect $f --json" "$PY bench/onnx_baseline.py $f"; do
    rss_kb=$(/usr/bin/time -f '%M' $cmd 2>&1 >/dev/null | tail -1)
    echo "peak RSS $((rss_kb / 1024)) MiB (file $(( $(stat -c %s "$f") / 1048576 )) MiB): $cmd"
  done
done
