#!/usr/bin/env bash
# Installs winglet's build and test dependencies from Debian 12 packages (idempotent).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.74-dev libboost-program-options1.74-dev libboost-filesystem1.74-dev
  libboost-graph1.74-dev libboost-test1.74-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev libfmt-dev nlohmann-json3-dev libxxhash-dev libtomlplusplus-dev libsqlite3-dev
  # optimizer plugins (quantize, palettize): parallel loops
  libtbb-dev
  # tests: ONNX's own test models, and torchvision architectures exported by scripts/export_models.py
  libonnx-testdata python3-onnx python3-torch python3-torchvision
  # the HTML report's browser tests drive Debian's Chromium (headless)
  chromium
)
# Node.js builds the HTML report (its layout library comes from npm) and runs the browser tests.
# Debian's nodejs/npm unless a Node.js is already installed.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# npm packages, at the versions their lock files pin: the graph layout library the HTML report
# inlines, playwright-core for the browser tests (it drives /usr/bin/chromium; no download), and
# onnxruntime-node, the measured target's host runtime, which winglet's shapes and written models
# are also checked against.
# Install scripts stay off: onnxruntime-node's would download GPU libraries; its CPU library is in
# the package itself.
root="$(cd "$(dirname "$0")/.." && pwd)"
for dir in plugins/exporters/html/viewer tests/browser plugins/targets/measured/runner; do
  if [ -f "$root/$dir/package-lock.json" ]; then
    (cd "$root/$dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
done
