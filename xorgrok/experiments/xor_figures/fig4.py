"""GrokTransfer Fig. 4: (a) normal training of a width-2048 net, (b) the 3-neuron weak net's dynamics,
(c) its neurons' weights on the first coordinates (§3.2, App. A.3.2)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from xorgrok.data.xor import PAPER_XOR
from xorgrok.experiments.cache import RunCache
from xorgrok.experiments.xor import NormalConfig, XorWeakConfig, normal_run, weak_seeds
from xorgrok.experiments.xor_figures.common import curves
from xorgrok.train.history import History, first_step_reaching


@dataclasses.dataclass(frozen=True)
class Fig4Setting:
    n: int = PAPER_XOR.n
    p: int = PAPER_XOR.p
    eps: float = PAPER_XOR.eps
    m_normal: int = 2048
    normal_steps: int = 1000
    n_test: int = 1000
    weak_steps: int = 2000
    n_eval: int = 10_000
    coords: int = 10  # first coordinates shown in (c)

    def normal(self) -> NormalConfig:
        return NormalConfig(n=self.n, p=self.p, eps=self.eps, m=self.m_normal, steps=self.normal_steps,
                            n_test=self.n_test)

    def weak(self) -> XorWeakConfig:
        return XorWeakConfig(n=self.n, p=self.p, eps=self.eps, m=3, steps=self.weak_steps, n_test=self.n_test,
                             n_eval=self.n_eval)


FULL = Fig4Setting()
QUICK = Fig4Setting(n=200, p=8000, m_normal=128, normal_steps=200, n_test=300, weak_steps=800, n_eval=3000)


def epochs_of(h: History) -> dict[str, int | None]:
    """The epochs the paper reads off Fig. 4(a): first 100% train accuracy and test-accuracy milestones."""
    return {"fit_100": first_step_reaching(h, "train_acc", 1.0),
            "test_0.6": first_step_reaching(h, "test_acc", 0.6),
            "test_0.9": first_step_reaching(h, "test_acc", 0.9),
            "test_0.99": first_step_reaching(h, "test_acc", 0.99)}


def compute(s: Fig4Setting, seeds: list[int], cache: RunCache, progress: bool = False) -> dict[str, Any]:
    nh = [normal_run(s.normal(), sd, cache, progress=progress)
          for sd in tqdm(seeds, desc="fig4a normal training", disable=not progress, leave=False)]
    wk = weak_seeds(s.weak(), seeds, cache, progress, "fig4b weak nets")
    steps_a, tr_a = curves(nh, "train_acc")
    _, te_a = curves(nh, "test_acc")
    steps_b, tr_b = curves([w.history for w in wk], "train_acc")
    _, te_b = curves([w.history for w in wk], "test_acc")
    W0 = wk[0].U.T.double().numpy()
    return {
        "setting": dataclasses.asdict(s), "seeds": seeds,
        "a": {"steps": steps_a, "train_acc": tr_a, "test_acc": te_a, "epochs": [epochs_of(h) for h in nh]},
        "b": {"steps": steps_b, "train_acc": tr_b, "test_acc": te_b,
              "final_test_acc_fresh": [w.test_acc for w in wk], "transition_step": [w.transition_step for w in wk],
              "learned": [w.learned for w in wk], "r_W": [w.r_W for w in wk]},
        "c": {"seed": seeds[0], "weights": W0[:, : s.coords].tolist(), "learned": wk[0].learned,
              "cosines": wk[0].cosines, "noise_norm_per_neuron": np.linalg.norm(W0[:, 2:], axis=1).tolist()},
    }
