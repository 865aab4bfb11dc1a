"""Shared command-line plumbing: bad input is one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from xorgrok.core.errors import Diverged, InputError


class ArgumentParser(argparse.ArgumentParser):
    """argparse with exit code 2 and a one-line message (argparse prints the usage block by default)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def run_main(main: Callable[[Sequence[str] | None], int], argv: Sequence[str] | None = None) -> int:
    """Call `main(argv)`; turn InputError and MemoryError into a one-line message with exit code 2.

    An allocation the memory guard did not foresee (MemoryError, or torch's out-of-memory error) is bad input
    too: the sizes asked for do not fit. A closed output pipe (`... | head`) ends the command quietly.
    """
    try:
        return main(argv)
    except InputError as exc:
        sys.stderr.write(f"error: {_one_line(str(exc))}\n")
        return 2
    except MemoryError as exc:
        detail = f" ({_one_line(str(exc))})" if str(exc) else ""
        sys.stderr.write(f"error: out of memory{detail}: the sizes asked for do not fit; reduce them\n")
        return 2
    except BrokenPipeError:
        try:  # the reader has gone: silence the interpreter's own flush at exit
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except Diverged as exc:
        sys.stderr.write(f"error: {_one_line(str(exc))}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except RuntimeError as exc:
        if type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower():
            sys.stderr.write(f"error: out of memory ({_one_line(str(exc))[:200]}): the sizes asked for do not "
                             "fit; reduce them\n")
            return 2
        raise


def positive_float(name: str) -> Callable[[str], float]:
    """argparse `type=` for a number > 0 whose error names the parameter."""

    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number > 0, got {text!r}") from None
        if not v > 0 or v != v or v == float("inf"):
            raise argparse.ArgumentTypeError(f"{name} must be a number > 0, got {text!r}")
        return v

    return parse


def int_at_least(name: str, lo: int) -> Callable[[str], int]:
    """argparse `type=` for an integer >= lo whose error names the parameter."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer >= {lo}, got {text!r}") from None
        if v < lo:
            raise argparse.ArgumentTypeError(f"{name} must be an integer >= {lo}, got {v}")
        return v

    return parse


def nonneg_float(name: str) -> Callable[[str], float]:
    """argparse `type=` for a finite number >= 0 whose error names the parameter."""

    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number >= 0, got {text!r}") from None
        if not (v >= 0 and v != float("inf")):
            raise argparse.ArgumentTypeError(f"{name} must be a finite number >= 0, got {text!r}")
        return v

    return parse

