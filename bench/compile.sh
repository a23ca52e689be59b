#!/usr/bin/env bash
# `winglet compile` of ResNet-50 on every shipped device, four ways (hyperfine, paired):
#   inspect  - what compiling adds to
#   cold     - --no-cache: import, analysis, the target plugin
#   plan     - --no-replay with a filled cache: import and analysis run, the plan is read from SQLite
#   warm     - the same command again: its stored output is replayed (stat + one SQLite read)
#   bench/compile.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
RUNS="${2:-10}"
MODELS="${BENCH_MODELS:-bench/models}"
mkdir -p "$MODELS"
model="$MODELS/resnet50.onnx"
[ -s "$model" ] || /usr/bin/python3 scripts/export_models.py --model resnet50 --out "$model"
bin="$BUILD_DIR/bin/winglet -q"
cache="$(mktemp -d)/cache.db"
devices=$($bin targets --json | /usr/bin/python3 -c 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["devices"]))')
# Files changed in the last 2 s are not trusted for replay; let a fresh export settle.
sleep 2.2
for device in $devices; do
  echo "== $device"
  $bin compile "$model" -t "$device" --cache "$cache" --json >/dev/null   # fill the plan cache and the replay
  hyperfine -N --warmup 2 --runs "$RUNS" \
    -n inspect "$bin inspect $model --json" \
    -n cold "$bin compile $model -t $device --no-cache --json" \
    -n plan "$bin compile $model -t $device --cache $cache --no-replay --json" \
    -n warm "$bin compile $model -t $device --cache $cache --json"
done
