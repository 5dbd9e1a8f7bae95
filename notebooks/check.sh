#!/usr/bin/env bash
# Executes the notebooks headless against outputs produced here, and fails if a cell fails.
#
# 1. Builds the release binary (or uses $FLEETSIM_BIN) and writes the runs and the sweep the
#    notebooks read into target/notebook-check/outputs/.
# 2. Creates a virtual environment under target/notebook-venv/ (reused when present) and
#    installs notebooks/requirements.txt.
# 3. Runs every cell of both notebooks with nbclient, FLEETSIM_OUTPUTS pointing at step 1.
#
# Without python3 it prints a notice and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v python3 >/dev/null 2>&1; then
    echo "notice: python3 not found; the notebook check is skipped"
    exit 0
fi

if [[ -z "${FLEETSIM_BIN:-}" ]]; then
    cargo build --release --quiet
    FLEETSIM_BIN="${CARGO_TARGET_DIR:-target}/release/fleetsim"
fi

OUT=target/notebook-check/outputs
rm -rf "$OUT"
mkdir -p "$OUT"
for s in notebook-round2-fast-ramp notebook-round3-step; do
    "$FLEETSIM_BIN" run "scenarios/$s.ron" --out "$OUT/$s" --quiet
done
"$FLEETSIM_BIN" sweep scenarios/sweeps/safety-factor-cooldown.ron --out "$OUT/safety-factor-cooldown" --quiet

VENV=target/notebook-venv
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt

FLEETSIM_OUTPUTS="$(pwd)/$OUT" MPLBACKEND=Agg "$VENV/bin/python" - notebooks/capacity-planning.ipynb notebooks/tuning.ipynb <<'PY'
import sys

import nbclient
import nbformat

for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "notebooks"}}
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        print(f"{path}: a cell failed:\n{e}", file=sys.stderr)
        sys.exit(1)
    print(f"{path}: all {len(nb.cells)} cells ran")
PY
