#!/usr/bin/env bash
# `winglet compile` of ResNet-50 on every shipped device: against `inspect` (what compiling adds),
# cold (--no-cache) and warm (plan read from a fresh cache file). Needs hyperfine.
#   bench/compile.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
MODELS="${BENCH_MODELS:-bench/models}"
mkdir -p "$MODELS"
model="$MODELS/resnet50.onnx"
[ -s "$model" ] || /usr/bin/python3 scripts/export_models.py --model resnet50 --out "$model"
bin="$BUILD_DIR/bin/winglet -q"
cache="$(mktemp -d)/cache.db"
devices=$($bin targets --json | /usr/bin/python3 -c 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["devices"]))')
for device in $devices; do
  echo "== $device"
  $bin compile "$model" -t "$device" --cache "$cache" --json >/dev/null   # fill the cache
  hyperfine -N --warmup 1 --runs 5 \
    -n inspect "$bin inspect $model --json" \
    -n cold "$bin compile $model -t $device --no-cache --json" \
    -n warm "$bin compile $model -t $device --cache $cache --json"
done
