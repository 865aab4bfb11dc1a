#!/usr/bin/env bash
# One entry point that sets itself up on a fresh machine, then runs a job.
#   bash run.sh            the main job: verify the GrokTransfer XOR case study
#   bash run.sh test       the test suite (what CI runs)
#   bash run.sh test-slow  the slow acceptance tests as well
#   bash run.sh <cmd...>   any command inside the project's environment,
#                          e.g. bash run.sh python -m figures fig4 --quick
set -euo pipefail
cd "$(dirname "$0")"

VENV="${XORGROK_VENV:-.venv}"
PY="$VENV/bin/python"
# torch goes in first and on its own: a bare `torch` requirement with no torch
# present can pull a multi-GB CUDA build. Override with e.g.
#   XORGROK_TORCH="torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"
TORCH_SPEC="${XORGROK_TORCH:-torch==2.13.0}"

setup() {
    if [ ! -x "$PY" ]; then
        echo "[run.sh] creating virtual environment in $VENV" >&2
        python3 -m venv "$VENV"
    fi
    if ! "$PY" -c "import torch" >/dev/null 2>&1; then
        echo "[run.sh] installing $TORCH_SPEC" >&2
        # shellcheck disable=SC2086
        "$PY" -m pip install -q $TORCH_SPEC
    fi
    local stamp="$VENV/.xorgrok-installed"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        echo "[run.sh] installing xorgrok and its dependencies" >&2
        "$PY" -m pip install -q -e ".[test]"
        touch "$stamp"
    fi
}

setup
export PATH="$PWD/$VENV/bin:$PATH"
case "${1:-main}" in
    main)
        shift || true
        exec "$PY" -m xorgrok.verify "$@" ;;
    test)
        shift
        # many tiny tensor ops: a second BLAS/OpenMP thread only adds spinning on 2 cores
        export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
        "$PY" -m ruff check xorgrok figures proofs_check tests
        "$PY" -m mypy  # the files and settings are in pyproject.toml [tool.mypy]
        exec "$PY" -m pytest "$@" ;;
    test-slow)
        shift
        exec "$PY" -m pytest -m slow "$@" ;;
    *)
        exec "$@" ;;
esac
