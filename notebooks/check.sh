#!/usr/bin/env bash
# Executes the notebooks headless against outputs produced here, and fails if a cell fails or a
# figure is missing.
#
# 1. Builds the release binary (or uses $FLEETSIM_BIN) and writes the runs and the sweep the
#    notebooks read into target/notebook-check/outputs/.
# 2. Creates a virtual environment under target/notebook-venv/ (reused when present) and
#    installs notebooks/requirements.txt.
# 3. Runs every cell of both notebooks with nbclient, FLEETSIM_OUTPUTS pointing at step 1, and
#    checks that every cell tagged `figure` drew exactly one figure (an inline PNG).
# 4. Writes the executed notebooks, without timings, to target/notebook-check/executed/; with
#    `--write`, over notebooks/*.ipynb (how the committed notebooks get their outputs).
#
# Without python3 it prints a notice and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

WRITE=0
for arg in "$@"; do
    case "$arg" in
        --write) WRITE=1 ;;
        *) echo "usage: bash notebooks/check.sh [--write]" >&2; exit 2 ;;
    esac
done

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
    echo "first-time install of notebooks/requirements.txt into $VENV (reused on later runs)"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --progress-bar on --disable-pip-version-check -r notebooks/requirements.txt
else
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r notebooks/requirements.txt
fi

# The kernel draws with matplotlib's inline backend, so each figure becomes a PNG output.
unset MPLBACKEND
FLEETSIM_OUTPUTS="$(pwd)/$OUT" WRITE="$WRITE" "$VENV/bin/python" - notebooks/capacity-planning.ipynb notebooks/tuning.ipynb <<'PY'
import os
import sys
from pathlib import Path

import nbclient
import nbformat

executed = Path("target/notebook-check/executed")
executed.mkdir(parents=True, exist_ok=True)
failed = False
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": "notebooks"}},
        record_timing=False,
        # The kernel talks to nbclient over local TCP; its warning that the channel is not
        # encrypted is noise for a local check, so the kernel logs errors only.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        print(f"{path}: a cell failed:\n{e}", file=sys.stderr)
        sys.exit(1)

    # Every cell tagged `figure` must show exactly one image; no other cell may show one.
    want = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        images = sum("image/png" in o.get("data", {}) for o in cell.outputs)
        tagged = "figure" in cell.metadata.get("tags", [])
        want += tagged
        if images != int(tagged):
            what = "a figure cell drew" if tagged else "an untagged cell drew"
            print(f"{path}: cell {i}: {what} {images} images (expected {int(tagged)})", file=sys.stderr)
            failed = True
    have = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)

    # Nothing that changes from one run to the next: no timings, no kernel version details.
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.pop("widgets", None)
    name = Path(path).name
    nbformat.write(nb, executed / name)
    if os.environ["WRITE"] == "1":
        nbformat.write(nb, path)
    print(f"{path}: all {len(nb.cells)} cells ran, {have} of {want} figures drawn")
sys.exit(1 if failed else 0)
PY
