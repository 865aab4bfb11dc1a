"""Device choice: CUDA when present, CPU otherwise; a flag overrides."""

from __future__ import annotations

import torch

from xorgrok.core.errors import InputError

_KINDS = "'auto', 'cpu', 'cuda' or 'cuda:K'"


def pick_device(name: str | None = "auto") -> torch.device:
    """'auto' -> cuda if available else cpu; 'cpu', 'cuda', 'cuda:K' are taken as given, once checked.

    An explicit CUDA index is checked against `torch.cuda.device_count()` here, so a typo such as
    `cuda:7` on a one-GPU machine is a one-line input error and not a CUDA error deep inside a run.
    """
    if name in (None, "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(name)
    except (RuntimeError, TypeError):
        raise InputError(f"--device must be {_KINDS}, got {name!r}") from None
    if dev.type not in ("cpu", "cuda"):
        raise InputError(f"--device must be {_KINDS}, got {name!r}")
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise InputError(f"--device {name!r} requested but CUDA is not available on this machine")
        count = torch.cuda.device_count()
        if dev.index is not None and not 0 <= dev.index < count:
            valid = "cuda:0" if count == 1 else f"cuda:0 to cuda:{count - 1}"
            raise InputError(f"--device {name!r} is out of range: this machine has {count} CUDA device(s) ({valid})")
    return dev
