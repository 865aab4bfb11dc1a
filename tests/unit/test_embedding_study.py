"""Embedding study runner: paper settings per embedding, NTK change logged at consecutive epochs."""

from __future__ import annotations

import math

from xorgrok.experiments.embeddings import PAPER_SETTINGS, EmbeddingRun, run_embedding


def test_tiny_run_logs_ntk_changes_and_uses_paper_setting():
    r = run_embedding(EmbeddingRun(kind="fourier", width=8, epochs=8, eval_every=2, ntk_steps=8, ntk_probe=4,
                                   n_test_eval=100))
    assert r["paper_setting"] == {"init": 0.5, "lr": 0.1, "wd": 0.1} == dict(
        zip(("init", "lr", "wd"), PAPER_SETTINGS["fourier"]))
    ep, ch = r["ntk"]["epoch"], r["ntk"]["change"]
    assert ep and ep == sorted(ep) and all(e >= 1 for e in ep)
    assert all(math.isfinite(c) and c > 0 for c in ch)
    # the accuracy history is thinned back to eval_every even though NTK runs log every epoch
    assert all(s % 2 == 0 for s in r["history"]["steps"][:-1])
