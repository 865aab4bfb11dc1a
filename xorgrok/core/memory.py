"""Refuse allocations that cannot fit, before allocating, with the estimate in the message."""

from __future__ import annotations

import os

from xorgrok.core.errors import InputError


def available_bytes() -> int:
    """MemAvailable from /proc/meminfo (Linux), else total physical memory."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 1 << 62  # unknown: do not block


def check_fits(what: str, n_elements: int, itemsize: int, fraction: float = 0.8, reduce: str = "n or p",
               float32_helps: bool | None = None) -> None:
    """Raise InputError if n_elements*itemsize exceeds `fraction` of the available memory.

    `reduce` names the parameters that shrink the allocation (the message tells the user which to lower);
    float32 is suggested only where it would help (`float32_helps`, default: itemsize > 4).
    """
    need = int(n_elements) * int(itemsize)
    have = available_bytes()
    if need > fraction * have:
        helps = itemsize > 4 if float32_helps is None else float32_helps
        hint = f"reduce {reduce}" + (", or use float32" if helps else "")
        raise InputError(
            f"{what} needs about {need / 2**30:.1f} GiB but only {have / 2**30:.1f} GiB is available "
            f"(limit {fraction:.0%}); {hint}"
        )
