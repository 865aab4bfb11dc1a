#!/usr/bin/env bash
# The accelerator session in one command (see docs/beyond_xor.md, "The accelerator session"):
# the CUDA tests, then `python -m xorgrok gpu-runs` under a wall-clock budget.
#   bash scripts/gpu_runs.sh [BUDGET_S [GPU-RUNS ARGS...]]   (default 420 s; results in $OUT, else runs/gpu_session)
# e.g. on CPU, the toy-size rehearsal: DEVICE=cpu PYTHON=python bash scripts/gpu_runs.sh 300 --tiny --seeds 1
# What comes back is three files: cuda_tests.log, gpu_runs.log and gpu_runs.tar.gz (every record).
set -o pipefail
export PYTHONUNBUFFERED=1
cd "$(dirname "$0")/.." || exit 2
PY=${PYTHON:-python3}
DEST=${OUT:-runs/gpu_session}
BUDGET=${1:-420}
mkdir -p "$DEST"
nvidia-smi -L 2>&1 | tee "$DEST/cuda_tests.log"
"$PY" -m pytest -q -p no:cacheprovider tests/cuda -rs 2>&1 | tee -a "$DEST/cuda_tests.log"
"$PY" -m xorgrok gpu-runs --device "${DEVICE:-cuda}" --budget-s "$BUDGET" --out "${RECORDS:-/tmp/gpu_runs}" \
    --bundle "$DEST/gpu_runs.tar.gz" "${@:2}" 2>&1 | tee "$DEST/gpu_runs.log" | grep -v '^|'
