"""Entry point: `python -m xorgrok.modular` (see xorgrok.experiments.modular)."""

from __future__ import annotations

import sys

from xorgrok.cli import run_main
from xorgrok.experiments.modular import main

if __name__ == "__main__":
    sys.exit(run_main(main))
