"""`python -m xorgrok [COMMAND [ARGS...]]`: list the commands, or run one (see xorgrok.commands)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from xorgrok.commands import COMMANDS, by_name, listing
from xorgrok.core.cli import run_main


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "list"):
        print(listing())
        return 0
    cmd = by_name(args[0])
    if cmd is None:
        known = ", ".join(c.name for c in COMMANDS)
        print(f"error: unknown command {args[0]!r}; known: {known}", file=sys.stderr)
        return 2
    mod = importlib.import_module(cmd.module)
    return run_main(mod.main, args[1:])


if __name__ == "__main__":
    sys.exit(main())
