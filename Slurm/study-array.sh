#!/bin/bash
# A study grid as a Slurm job array: array task K of N runs shard K/N into OUT/shard-K (see docs/large-sweeps.md).
#   sbatch Slurm/study-array.sh                      # 16 shards of the grid below, into ./sweep
#   nlp-vanish report sweep/shard-* --out sweep/all  # once every task has finished
# GRID (the study's options) and OUT may be set in the environment, which sbatch passes on; the array's size
# is the shard count, so `sbatch --array=1-4 …` runs four larger shards.
#SBATCH --job-name=vanish --array=1-16 --cpus-per-task=2 --time=02:00:00
set -euo pipefail
grid=${GRID:-"--distances 5,10,20,40,80,160,320 --layers 1,2,3 --seeds 5"}
out=${OUT:-sweep}
# $grid is split into options on purpose.
# shellcheck disable=SC2086
exec nlp-vanish study $grid --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
    --threads "${SLURM_CPUS_PER_TASK:-2}" --out "$out/shard-$SLURM_ARRAY_TASK_ID"
