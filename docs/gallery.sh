#!/usr/bin/env bash
# Regenerates the README gallery in docs/gallery/: the capacity and latency plots of the bundled
# autoscaling-diurnal scenario, and the p99 heat map of the bundled sweep
# scenarios/sweeps/target-and-floor.ron. Run from anywhere: bash docs/gallery.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --release --quiet
bin="$root/target/release/fleetsim"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$bin" run scenarios/autoscaling-diurnal.ron --out "$tmp/run" --quiet
cp "$tmp/run/capacity.png" docs/gallery/capacity-autoscaling-diurnal.png
cp "$tmp/run/latency.png" docs/gallery/latency-autoscaling-diurnal.png

"$bin" sweep scenarios/sweeps/target-and-floor.ron --out "$tmp/sweep" --quiet
cp "$tmp/sweep/heatmap-latency_ms.p99.png" docs/gallery/heatmap-latency_ms.p99.png
echo "wrote docs/gallery/"
