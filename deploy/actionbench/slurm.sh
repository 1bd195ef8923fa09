#!/usr/bin/env bash
# ActionBench on Slurm: one array task per shard, each into its own folder; merge when all are done:
#   sbatch deploy/actionbench/slurm.sh
#   sbatch --dependency=afterok:<jobid> --wrap 'bin/adi actionbench merge --out results/merged results/shard-*'
# A requeued or resubmitted task continues its shard (finished images and training runs are reused).
#SBATCH --job-name=actionbench
#SBATCH --array=0-7                # N = 8 shards: keep SHARDS below equal to the array size
#SBATCH --cpus-per-task=8
#SBATCH --mem=20G
#SBATCH --time=2-00:00:00
#SBATCH --requeue
#SBATCH --output=logs/actionbench-%A_%a.log
set -euo pipefail
SHARDS=8
BENCH=${BENCH:-bench/actionbench.json}
MODEL=${MODEL:-models/sd21}
RESULTS=${RESULTS:-results}
cd "${SLURM_SUBMIT_DIR:-.}"
bin/adi actionbench run --bench "$BENCH" --model "$MODEL" \
    --out "$RESULTS/shard-$SLURM_ARRAY_TASK_ID" --shard "$SLURM_ARRAY_TASK_ID/$SHARDS"
