"""Recover a run's trajectory from its tqdm progress log, for runs stopped before writing a record.

`python -m xorgrok modular` shows `METHOD: …| EPOCH/TOTAL [elapsed<left, rate, test=…, train=…]`; the
postfix holds the accuracies of the last logged epoch, rounded to 3 decimals. `parse_progress` keeps the
lines whose epoch is a multiple of eval_every and returns them as a History (train_acc, test_acc only),
and `write_partial` stores it as the partial record (`experiments.common.write_partial_record`, the one
schema) next to where the run's record would go, marked `"source": "progress log …"`.
Accuracies are rounded, so a threshold crossing can be off by one log step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from xorgrok.experiments.common import partial_path_of, write_partial_record
from xorgrok.train.history import History

_LINE = re.compile(
    r"(?P<desc>[\w ()·.-]+):\s+\d+%\|[^|]*\|\s*(?P<n>\d+)/(?P<total>\d+)\s+\[(?P<elapsed>[\d:]+)<[^,]*,\s*[^,]*,"
    r"\s*test=(?P<test>[\d.]+),\s*train=(?P<train>[\d.]+)\]"
)


def _seconds(text: str) -> float:
    parts = [float(p) for p in text.split(":")]
    out = 0.0
    for p in parts:
        out = out * 60 + p
    return out


def parse_progress(text: str, desc: str, eval_every: int) -> tuple[History, float]:
    """History of (epoch, train_acc, test_acc) at logged epochs for bar `desc`, and the last elapsed seconds."""
    hist, elapsed, last = History(), 0.0, -1
    for chunk in re.split(r"[\r\n]+", text):
        m = _LINE.search(chunk)
        if not m or m.group("desc").strip() != desc:
            continue
        n = int(m.group("n"))
        elapsed = _seconds(m.group("elapsed"))
        if n % eval_every == 0 and n > last:
            hist.log(n, train_acc=float(m.group("train")), test_acc=float(m.group("test")))
            last = n
    return hist, elapsed


def write_partial(log_path: str | Path, desc: str, cfg: Any, record_path: Path) -> Path | None:
    """Write `<record>.partial.json` from the log; None when the log has no line for `desc`."""
    hist, elapsed = parse_progress(Path(log_path).read_text(errors="replace"), desc, cfg.eval_every)
    if not hist.steps:
        return None
    return write_partial_record(partial_path_of(record_path), cfg, hist, wall_s=elapsed,
                                source=f"progress log {Path(log_path).name}")
