#!/bin/bash
# Submits a fleetsim sweep as a Slurm job array (slurm-sweep.sbatch) and its merge
# (slurm-merge.sbatch), which waits for every task of the array to succeed.
#
#   SWEEP=scenarios/sweeps/safety-factor-cooldown.ron RESULTS=/shared/fleetsim/run-1 ./slurm.sh
#
# SHARDS=N submits --array=0-(N-1) instead of the script's own --array. fleetsim must be on the
# PATH of the compute nodes, and SWEEP and RESULTS on a file system they all see. Use a fresh
# RESULTS folder per sweep: the merge takes every shard-* folder in it.
set -euo pipefail

here=$(dirname "$0")
: "${SWEEP:?set SWEEP to the sweep file}"
: "${RESULTS:?set RESULTS to a shared folder for the shard folders}"
# Absolute paths: the jobs may start in another directory.
SWEEP=$(realpath "$SWEEP")
RESULTS=$(realpath -m "$RESULTS")
export SWEEP RESULTS
mkdir -p "$RESULTS"

array=()
if [[ -n "${SHARDS:-}" ]]; then
    array=(--array="0-$((SHARDS - 1))")
fi
# sbatch passes the environment (SWEEP, RESULTS) to the jobs; --parsable prints ID[;CLUSTER].
array_job=$(sbatch --parsable "${array[@]}" "$here/slurm-sweep.sbatch")
array_job=${array_job%%;*}
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    "$here/slurm-merge.sbatch")
merge_job=${merge_job%%;*}

echo "array job $array_job, then merge job $merge_job"
echo "results: $RESULTS/merged/"
