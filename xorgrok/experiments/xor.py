"""The GrokTransfer XOR case study end to end: weak net -> U -> target f_L -> GD on V (§3).

Library runs used by verify, the XOR figures, the report and `python -m xorgrok casestudy`:
`train_weak` (the weak net), `transfer` (the target f_L trained on V, optionally with its test curve on
fresh points) and `normal_run` (normal training of a wide net, Fig. 4(a)). Run configs are frozen, so they
serve as keys of a `RunCache`; `weak_run` and `normal_run` memoise through the cache they are given.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import torch
from tqdm.auto import tqdm

from xorgrok.core.device import pick_device
from xorgrok.core.errors import check_choice, check_float, check_int
from xorgrok.core.seeding import derive
from xorgrok.data.xor import PAPER_XOR, HypercubeData, project_hypercube, sample_hypercube
from xorgrok.experiments.cache import RunCache
from xorgrok.models.target import TargetConfig, TargetParams, init_target, target_forward_z
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer, norm_ratio
from xorgrok.theory.target_form import a5_width as default_target_width
from xorgrok.theory.target_form import normalize_signal
from xorgrok.train.gd import GDConfig, GDResult, Split, gd_train
from xorgrok.train.history import History
from xorgrok.train.two_layer import train_two_layer

# The four features [±1, ±1] (first two coordinates), as named in the paper.
FEATURES = {"[1,1]": (1.0, 1.0), "[-1,-1]": (-1.0, -1.0), "[-1,1]": (-1.0, 1.0), "[1,-1]": (1.0, -1.0)}


@dataclasses.dataclass(frozen=True)
class XorWeakConfig:
    """Weak net of §3.3 / Fig. 4(b): m neurons, N(0, 0.01) / N(0, 1e-4) init, GD lr 0.1, wd 0.1, exp loss."""

    n: int = PAPER_XOR.n
    p: int = PAPER_XOR.p
    eps: float = PAPER_XOR.eps
    m: int = 3
    w_std: float = 0.1
    a_std: float = 0.01
    lr: float = 0.1
    weight_decay: float = 0.1
    wd_form: str = "torch"
    loss: str = "exp"
    steps: int = 2000  # "till convergence": the paper gives no number; accuracy is flat well before 2000
    n_test: int = 2000  # test points tracked during training
    n_eval: int = 20_000  # fresh points for the final test accuracy (streamed, cheap for small m)
    engine: str = "gram"
    device: str = "auto"  # "auto": CUDA when present, else CPU
    seed: int = 0

    def __post_init__(self) -> None:
        check_int("n", self.n, lo=1)
        check_int("p", self.p, lo=3)
        check_float("eps", self.eps, 0.0, lo_open=True)
        check_int("n_test", self.n_test, lo=0)
        check_int("n_eval", self.n_eval, lo=1)
        check_int("seed", self.seed, lo=0)


@dataclasses.dataclass
class WeakResult:
    config: XorWeakConfig
    U: torch.Tensor  # (p, m) = W⁽ᵀ⁾ᵀ, the transferred embedding
    a: torch.Tensor  # (m,)
    history: History
    train: HypercubeData
    test_acc: float  # on n_eval fresh points
    cosines: list[dict[str, float]]  # per neuron: cosine of w_j[:2] with each feature
    learned: list[str | None]  # per neuron: the feature with cosine >= 0.95, else None
    transition_step: int | None  # first logged step where test acc gained 90% of its final gain
    r_W: float


def neuron_features(W: torch.Tensor, threshold: float = 0.95) -> tuple[list[dict[str, float]], list[str | None]]:
    """Cosine of each neuron's first two coordinates with the four features, and the one it learned."""
    cos, learned = [], []
    for w in W[:, :2].double():
        nrm = float(w.norm())
        c = {k: (float(w @ torch.tensor(v, dtype=torch.float64)) / (nrm * math.sqrt(2)) if nrm > 0 else 0.0)
             for k, v in FEATURES.items()}
        cos.append(c)
        best = max(c, key=lambda k: c[k])
        learned.append(best if c[best] >= threshold else None)
    return cos, learned


def transition_step(history: History, key: str = "test_acc", frac: float = 0.9) -> int | None:
    if key not in history:
        return None
    vals = history[key]
    if len(vals) == 0 or not np.isfinite(vals).all():
        return None
    gain = vals[-1] - vals[0]
    if gain <= 0.02:  # no transition to speak of
        return None
    hit = np.nonzero(vals >= vals[0] + frac * gain)[0]
    return int(history.steps[hit[0]]) if len(hit) else None


def weak_data(cfg: XorWeakConfig) -> tuple[HypercubeData, HypercubeData]:
    """Training set and tracked test set; n_test = 0 gives an empty test set (no test curve)."""
    dev = pick_device(cfg.device)
    train = sample_hypercube(cfg.n, cfg.p, cfg.eps, derive(cfg.seed, "train"), device=dev)
    if cfg.n_test == 0:
        test = HypercubeData(train.x[:0], train.y[:0], train.cluster[:0], cfg.eps)
    else:
        test = sample_hypercube(cfg.n_test, cfg.p, cfg.eps, derive(cfg.seed, "test"), device=dev)
    return train, test


def train_weak(cfg: XorWeakConfig, progress: bool = False) -> WeakResult:
    """Train the weak net and read off U, its accuracy on fresh points, its features and r_W."""
    train, test = weak_data(cfg)
    tl = TwoLayerConfig(m=cfg.m, init="gaussian", w_std=cfg.w_std, a_std=cfg.a_std)
    p0 = init_two_layer(tl, cfg.p, derive(cfg.seed, "init"), device=train.x.device)
    gd = GDConfig(steps=cfg.steps, lr=cfg.lr, weight_decay=cfg.weight_decay, wd_form=cfg.wd_form,
                  loss=cfg.loss)
    res = train_two_layer(p0, Split(train.x, train.y, test.x, test.y), gd, engine=cfg.engine,
                          progress=progress)
    assert res.params is not None
    W, a = res.params["W"], res.params["a"]
    ev = project_hypercube(W.T.contiguous(), cfg.n_eval, cfg.eps, derive(cfg.seed, "eval"))
    f = torch.relu(ev.z) @ a
    cos, learned = neuron_features(W)
    return WeakResult(
        config=cfg, U=W.T.contiguous(), a=a, history=res.history, train=train,
        test_acc=float((torch.sign(f) == ev.y).double().mean()), cosines=cos, learned=learned,
        transition_step=transition_step(res.history), r_W=norm_ratio(W),
    )


def weak_run(cfg: XorWeakConfig, cache: RunCache, progress: bool = False) -> WeakResult:
    """`train_weak`, memoised in `cache` by the whole config (weak nets are shared by several figures)."""
    return cache.get(("xor-weak", cfg), lambda: train_weak(cfg, progress=progress))


def weak_seeds(cfg: XorWeakConfig, seeds: Sequence[int], cache: RunCache, progress: bool = False,
               desc: str = "weak nets") -> list[WeakResult]:
    """`weak_run` of `cfg` at each seed."""
    return [weak_run(dataclasses.replace(cfg, seed=s), cache)
            for s in tqdm(seeds, desc=desc, disable=not progress, leave=False)]


NORMALIZE = ("none", "signal")


@dataclasses.dataclass(frozen=True)
class TransferConfig:
    """Target f_L of §3.3 trained by GD on V; Fig. 9's v_init 0.4, lr 2.0, no weight decay.

    normalize: "none" transfers the weak net's W⁽ᵀ⁾ as it is (what the method does);
    "signal" rescales each column u_j so that its signal part has norm √2, i.e. u_j = [±μ; δ_j/s_j] exactly
    as the proof of Theorem 3.2 writes it (§3.3, "without loss of generality"). The trained weak net's
    signal entries are ~0.2-0.4, not 1, so the two differ, and the measured one-step result differs too:
    report both.
    """

    m: int | None = None  # None: ceil(2 ln³ n)
    v_init: float = 0.4
    alpha: float = 2.0
    steps: int = 1
    n_eval: int = 10_000
    normalize: str = "none"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.m is not None:
            check_int("m", self.m, lo=1)
        check_float("v_init", self.v_init, 0.0, lo_open=True)
        check_float("alpha", self.alpha, 0.0, lo_open=True)
        check_int("steps", self.steps, lo=0)
        check_int("n_eval", self.n_eval, lo=1)
        check_choice("normalize", self.normalize, NORMALIZE)


@dataclasses.dataclass
class TransferResult:
    params0: TargetParams
    result: GDResult  # history over `steps` GD steps on V: train metrics, and test metrics if tracked
    train_acc: float
    test_acc: float  # on n_eval fresh points, after the last step
    n_eval: int
    m: int
    diverged_at: int | None = None  # first logged step with a non-finite training loss (GD blew up)

    @property
    def history(self) -> History:
        return self.result.history


def theorem_hyperparameters(n: int, m: int, C: float = 1.0) -> tuple[float, float]:
    """(v_init, α) on the boundary of (A3) v_init ≤ C log^{-3/2} n and (A4) α ≤ √m v_init (natural log)."""
    v_init = C * math.log(n) ** -1.5
    return v_init, math.sqrt(m) * v_init


def transfer(U: torch.Tensor, train: HypercubeData, cfg: TransferConfig, progress: bool = False,
             track_test: bool = False) -> TransferResult:
    """GrokTransfer step 2 on XOR: f_L on z = Uᵀx with U fixed, GD on V for cfg.steps steps.

    The test accuracy is measured on cfg.n_eval fresh points after the last step; with track_test the same
    points are also scored at every logged step (history test_acc/test_loss, the figures' test curves).
    After a blow-up f is inf/NaN, sign(f) matches no label and the accuracies read 0: `diverged_at` says so.

    Which training set to pass matters. The proof (Lemmas A.2/A.3) applies Hoeffding to x independent of U;
    the weak net's own training set is not: its noise part δ memorises training noise, so on those points
    ‖z − z̄‖ is several times larger than on fresh ones. Pass a fresh sample to test the theorem as proved,
    and the weak net's training set to test the method as used (the paper reuses it).
    """
    n = train.n
    m = cfg.m if cfg.m is not None else default_target_width(n)
    if cfg.normalize == "signal":
        U = normalize_signal(U)
    tp = init_target(U, TargetConfig(m=m, v_init=cfg.v_init), derive(cfg.seed, "target"))
    z = train.x @ tp.U
    ev = project_hypercube(tp.U, cfg.n_eval, train.eps, derive(cfg.seed, "transfer-eval"))
    split = Split(z, train.y, ev.z, ev.y) if track_test else Split(z, train.y, z[:0], train.y[:0])
    res = gd_train(lambda P, zz: target_forward_z(P["V"], P["a"], zz), {"V": tp.V, "a": tp.a}, ["V"], split,
                   GDConfig(steps=cfg.steps, lr=cfg.alpha, weight_decay=0.0, loss="exp", log="log"),
                   progress=progress, desc="f_L (GD on V)")
    assert res.params is not None
    f = target_forward_z(res.params["V"], res.params["a"], ev.z)
    bad = [st for st, v in zip(res.history.steps, res.history["train_loss"]) if not math.isfinite(v)]
    return TransferResult(
        params0=tp, result=res, train_acc=res.history.last("train_acc"),
        test_acc=float((torch.sign(f) == ev.y).double().mean()), n_eval=cfg.n_eval, m=m,
        diverged_at=bad[0] if bad else None,
    )


# ------------------------------------------------------------------ normal training (Fig. 4a)
@dataclasses.dataclass(frozen=True)
class NormalConfig:
    """Fig. 4(a): width-2048 two-layer net, PyTorch default init, full-batch GD lr 0.1, wd 0.1, exp loss."""

    n: int = PAPER_XOR.n
    p: int = PAPER_XOR.p
    eps: float = PAPER_XOR.eps
    m: int = 2048
    lr: float = 0.1
    weight_decay: float = 0.1
    steps: int = 1000
    n_test: int = 1000
    per_decade: int = 30


def train_normal(cfg: NormalConfig, seed: int, progress: bool = False) -> History:
    """One normal-training run (both layers, Gram-space engine, exact); only the history is kept."""
    tr = sample_hypercube(cfg.n, cfg.p, cfg.eps, derive(seed, "train"))
    te = sample_hypercube(cfg.n_test, cfg.p, cfg.eps, derive(seed, "test"))
    p0 = init_two_layer(TwoLayerConfig(m=cfg.m, init="torch"), cfg.p, derive(seed, "init"))
    gd = GDConfig(steps=cfg.steps, lr=cfg.lr, weight_decay=cfg.weight_decay, loss="exp", per_decade=cfg.per_decade)
    return train_two_layer(p0, Split(tr.x, tr.y, te.x, te.y), gd, engine="gram", progress=progress).history


def normal_run(cfg: NormalConfig, seed: int, cache: RunCache, progress: bool = False) -> History:
    """`train_normal`, memoised in `cache`."""
    return cache.get(("xor-normal", cfg, seed), lambda: train_normal(cfg, seed, progress=progress))
