#!/usr/bin/env bash
# Regenerates the README gallery in docs/gallery/: the capacity and latency plots of the bundled
# autoscaling-diurnal scenario, the capacity plots of the bundled serverless and
# inference-component scenarios, the p99 heat map of the bundled sweep
# scenarios/sweeps/target-and-floor.ron and the verdict lines of
# scenarios/sweeps/notebook-launch-time.ron. Run from anywhere: bash docs/gallery.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/release/fleetsim"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$bin" run scenarios/autoscaling-diurnal.ron --out "$tmp/run" --quiet
cp "$tmp/run/capacity.png" docs/gallery/capacity-autoscaling-diurnal.png
cp "$tmp/run/latency.png" docs/gallery/latency-autoscaling-diurnal.png

for name in serverless-provisioned-concurrency inference-components-scale-to-zero; do
    "$bin" run "scenarios/$name.ron" --out "$tmp/$name" --quiet 2>/dev/null
    cp "$tmp/$name/capacity.png" "docs/gallery/capacity-$name.png"
done

"$bin" sweep scenarios/sweeps/target-and-floor.ron --out "$tmp/sweep" --quiet
cp "$tmp/sweep/heatmap-latency_ms.p99.png" docs/gallery/heatmap-latency_ms.p99.png

"$bin" sweep scenarios/sweeps/notebook-launch-time.ron --out "$tmp/notebook" --quiet
cp "$tmp/notebook/lines-users.reached_max_invocations.png" docs/gallery/lines-users.reached_max_invocations.png
echo "wrote docs/gallery/"
