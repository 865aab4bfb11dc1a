"""GrokTransfer Figs. 10 and 11 (App. A.4.2; review thread): the 1- and 2-neuron weak nets, their neurons,
their embeddings Uᵀx, and the target f_L trained on those embeddings (U raw and signal-normalised)."""

from __future__ import annotations

import dataclasses
from typing import Any

from xorgrok.core.seeding import derive
from xorgrok.data.xor import PAPER_XOR, project_hypercube
from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.xor import NORMALIZE, TransferConfig, XorWeakConfig, transfer, weak_seeds
from xorgrok.experiments.xor_figures.common import curves


@dataclasses.dataclass(frozen=True)
class LadderSetting:
    n: int = PAPER_XOR.n
    p: int = PAPER_XOR.p
    eps: float = PAPER_XOR.eps
    weak_steps: int = 2000
    n_test: int = 1000
    n_eval: int = 10_000  # fresh points for the weak net's and the target's test accuracy
    target_steps: int = 100
    v_init: float = 0.4
    alpha: float = 2.0
    n_scatter: int = 2000
    coords: int = 10


FULL = LadderSetting()
QUICK = LadderSetting(n=200, p=8000, weak_steps=800, n_test=300, n_eval=3000, target_steps=30, n_scatter=800)


def compute(m_weak: int, s: LadderSetting, seeds: list[int], cache: RunCache,
            progress: bool = False) -> dict[str, Any]:
    """Weak nets of width m_weak over seeds, then f_L on each one's U (raw and normalised)."""
    wk = weak_seeds(XorWeakConfig(n=s.n, p=s.p, eps=s.eps, m=m_weak, steps=s.weak_steps, n_test=s.n_test,
                                  n_eval=s.n_eval), seeds, cache, progress, f"{m_weak}-neuron weak nets")
    steps_w, tr_w = curves([w.history for w in wk], "train_acc")
    _, te_w = curves([w.history for w in wk], "test_acc")
    target: dict[str, dict] = {}
    for norm in NORMALIZE:
        tc = [transfer(w.U, w.train, TransferConfig(v_init=s.v_init, alpha=s.alpha, steps=s.target_steps,
                                                    n_eval=s.n_eval, normalize=norm, seed=sd), track_test=True)
              for w, sd in zip(wk, seeds)]
        st, tr = curves([t.history for t in tc], "train_acc")
        _, te = curves([t.history for t in tc], "test_acc")
        target[norm] = {"steps": st, "train_acc": tr, "test_acc": te, "m": tc[0].m,
                        "diverged_at": [t.diverged_at for t in tc]}
    w0 = wk[0]
    pr = project_hypercube(w0.U, s.n_scatter, s.eps, derive(seeds[0], "ladder-scatter"))
    W0 = w0.U.T.double().numpy()
    return {
        "setting": dataclasses.asdict(s), "seeds": seeds, "m_weak": m_weak,
        "weak": {"steps": steps_w, "train_acc": tr_w, "test_acc": te_w,
                 "final_test_acc_fresh": [w.test_acc for w in wk],
                 "final_train_acc": [w.history.last("train_acc") for w in wk],
                 "learned": [w.learned for w in wk], "transition_step": [w.transition_step for w in wk],
                 "r_W": [w.r_W for w in wk]},
        "neurons": {"seed": seeds[0], "weights": W0[:, : s.coords].tolist(), "learned": w0.learned},
        "embedding": {"seed": seeds[0], "z": pr.z.double().numpy().tolist(), "y": pr.y.numpy().tolist(),
                      "cluster": pr.cluster.numpy().tolist()},
        "target": target,
    }
