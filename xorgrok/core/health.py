"""Numerical health of a run: the first logged quantity that stopped being finite, and how to say so.

Every engine (plain GD, Gram GD, the AdamW/SGD loop, the target step) calls `first_nonfinite` on its logged
losses and outputs at every logged step and at the end, and records the first hit in its History
(`diverged_at`, `diverged_quantity`). Summaries print `diverged_text(...)` instead of accuracies read from
such a run: an accuracy of 0 computed from NaN scores is not a measurement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch

ON_DIVERGE = ("stop", "mark")  # stop the run at the first non-finite logged value, or keep going and mark it


def is_finite(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return bool(torch.isfinite(value).all()) if value.numel() else True
    if isinstance(value, (int, float)):
        return math.isfinite(float(value))
    return True


def first_nonfinite(quantities: Mapping[str, Any]) -> str | None:
    """The name of the first quantity (in the mapping's order) holding a NaN or an infinity, else None."""
    for name, value in quantities.items():
        if not is_finite(value):
            return name
    return None


def diverged_text(diverged_at: int | None, quantity: str | None = None) -> str:
    """'diverged at step k (quantity not finite)' for summaries; '' for a healthy run."""
    if diverged_at is None:
        return ""
    return f"diverged at step {diverged_at}" + (f" ({quantity} not finite)" if quantity else "")


def divergence_fields(history: Any) -> dict[str, Any]:
    """{'diverged_at', 'diverged_quantity'} of a History (both None for a healthy run), for record metrics."""
    return {"diverged_at": getattr(history, "diverged_at", None),
            "diverged_quantity": getattr(history, "diverged_quantity", None)}
