"""`python -m proofs_check`: kept as an alias of `python -m xorgrok proofs`."""

import sys

from xorgrok.commands.proofs import main
from xorgrok.core.cli import run_main

if __name__ == "__main__":
    sys.exit(run_main(main))
