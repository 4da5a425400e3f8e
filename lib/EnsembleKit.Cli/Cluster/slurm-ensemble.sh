#!/usr/bin/env bash
#SBATCH --job-name=kit-member
#SBATCH --array=0-2%3
#SBATCH --cpus-per-task=1
#
# An EnsembleKit ensemble across machines on Slurm: its members as a job array (task i trains member i:
# kit member train --index $SLURM_ARRAY_TASK_ID), then one job, started only when every task succeeded
# (--dependency=afterok), that combines them (kit ensemble combine). Run it on a login node:
#
#   RUNS=/shared/runs KIT="dotnet /shared/kit/kit.dll" MEMBERS=5 EPOCHS=20 PARALLEL=4 CPUS=2 \
#     bash lib/EnsembleKit.Cli/Cluster/slurm-ensemble.sh
#
# It prints the two job ids. RUNS must be a folder every node sees at the same path (NFS, Lustre, ...): members
# write their checkpoints, logits and manifests there, and the combine job reads them. Settings (environment):
#   RUNS         shared runs folder (required)
#   KIT          how to run the kit on a node (default: kit); e.g. "dotnet /shared/kit/kit.dll"
#   EXPERIMENT   recipe (default fmnist-deep-ensemble); MEMBERS (3), EPOCHS (20), SEED (0), TRAIN_LIMIT (0 = all)
#   PARALLEL     at most this many members at once, the %k of --array (default: MEMBERS)
#   CPUS         --cpus-per-task; each member uses that many libtorch threads (KIT_THREADS) unless KIT_THREADS is set
#   OUT          where the combine job writes results.csv and results.json (default RUNS/EXPERIMENT/combined)
# Partition, account, time limit: Slurm's own SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT variables.
#
# Resubmitting the same command after a failure or a cancel is safe: complete members return at once, a member killed
# mid-run resumes after its last finished epoch, and a folder holding another recipe is refused. `kit member status
# --experiment EXPERIMENT --runs RUNS` lists what is complete, partial or missing. `sbatch slurm-ensemble.sh` alone runs
# the default 3-member array (the #SBATCH lines above) without the combine job.
set -euo pipefail

: "${RUNS:?set RUNS to a runs folder that every node mounts at the same path}"
EXPERIMENT=${EXPERIMENT:-fmnist-deep-ensemble}
MEMBERS=${MEMBERS:-3}
EPOCHS=${EPOCHS:-20}
SEED=${SEED:-0}
TRAIN_LIMIT=${TRAIN_LIMIT:-0}
PARALLEL=${PARALLEL:-$MEMBERS}
CPUS=${CPUS:-1}
OUT=${OUT:-$RUNS/$EXPERIMENT/combined}
read -r -a kit <<< "${KIT:-kit}"

# Inside a job the step comes from KIT_STEP (set at submission); an array task without it is a member.
step=${KIT_STEP:-}
if [ -z "$step" ]; then
  if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then step=member; else step=submit; fi
fi

case "$step" in
  member)
    export KIT_THREADS="${KIT_THREADS:-${SLURM_CPUS_PER_TASK:-1}}"
    exec "${kit[@]}" member train --experiment "$EXPERIMENT" --runs "$RUNS" --index "$SLURM_ARRAY_TASK_ID" \
      --members "$MEMBERS" --epochs "$EPOCHS" --seed "$SEED" --train-limit "$TRAIN_LIMIT"
    ;;
  combine)
    export KIT_THREADS="${KIT_THREADS:-${SLURM_CPUS_PER_TASK:-1}}"
    exec "${kit[@]}" ensemble combine --experiment "$EXPERIMENT" --runs "$RUNS" --out "$OUT"
    ;;
  submit)
    if ! [ "$MEMBERS" -ge 1 ] 2>/dev/null; then echo "slurm-ensemble.sh: MEMBERS must be at least 1; got '$MEMBERS'." >&2; exit 2; fi
    if ! [ "$PARALLEL" -ge 1 ] 2>/dev/null; then echo "slurm-ensemble.sh: PARALLEL must be at least 1; got '$PARALLEL'." >&2; exit 2; fi
    logs="$RUNS/slurm-logs"
    mkdir -p "$logs"
    script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
    array=$(KIT_STEP=member sbatch --parsable --export=ALL --job-name="kit-$EXPERIMENT" \
      --array="0-$((MEMBERS - 1))%$PARALLEL" --cpus-per-task="$CPUS" --output="$logs/%x-%A_%a.out" "$script")
    array=${array%%;*}
    # The same script without its --array line (sbatch reads it from stdin), else the combine job would be an array too.
    combine=$(sed '/^#SBATCH --array/d' "$script" | KIT_STEP=combine sbatch --parsable --export=ALL --job-name="kit-$EXPERIMENT-combine" \
      --dependency="afterok:$array" --cpus-per-task="$CPUS" --output="$logs/%x-%j.out")
    echo "${array} ${combine%%;*}"
    ;;
  *)
    echo "slurm-ensemble.sh: KIT_STEP must be member, combine or submit; got '$step'." >&2
    exit 2
    ;;
esac
