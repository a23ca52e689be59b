#!/usr/bin/env bash
# The HTML report in headless Chromium: time to first render (window.WG_READY) and to expand a
# scope, and the file size of the HTML against the JSON of the same compile, for MobileNetV2 and
# the 10,548-op transformer_10k on apple-a17-pro (bench/report_render.mjs does the measuring).
#   bench/report.sh [BUILD_DIR] [RUNS]
# Needs a build with the html plugin, `npm ci` in tests/browser (playwright-core) and
# /usr/bin/chromium (or $WINGLET_CHROMIUM).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
RUNS="${2:-7}"
MODELS="${BENCH_MODELS:-bench/models}"
DEVICE="${BENCH_DEVICE:-apple-a17-pro}"
mkdir -p "$MODELS"
big="$MODELS/transformer_10k.onnx"
[ -s "$big" ] || /usr/bin/python3 scripts/export_models.py --model transformer_10k --out "$big"
bin="$BUILD_DIR/bin/winglet"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
args=()
for pair in "mobilenet_v2:examples/mobilenet_v2.onnx" "transformer_10k:$big"; do
  name="${pair%%:*}" model="${pair#*:}"
  # --no-cache: the report is built every time, as a first compile would.
  "$bin" -q compile "$model" -t "$DEVICE" --no-cache -o "$out/$name.html" >/dev/null
  "$bin" -q compile "$model" -t "$DEVICE" --no-cache --what-if -o "$out/$name.json" >/dev/null
  args+=("$name" "$out/$name.html" "$out/$name.json")
done
node bench/report_render.mjs --runs "$RUNS" "${args[@]}"
