"""Parameters of a verification run, with the papers' settings as defaults, and their validation.

GrokTransfer (§3, App. A.3.2): n 400, p 80000, eps 0.05, 3-neuron weak net, target f_L with Fig. 9's
v_init 0.4 and alpha 2.0; the width m of Fig. 9 is not stated, so m defaults to the smallest width that
meets (A5) in natural log, ceil(2 ln^3 n) = 431 (xorgrok.theory.target_form.a5_width).
The defaults are read from xorgrok.data.xor.PAPER_XOR and xorgrok.experiments.xu.XU_PAPER.
Xu et al. 2024 (App. A.7): n 200, p 40000, ||mu|| = 2.5 sqrt(p/n), eta 0.05, m 1000, omega_init 1e-15,
alpha 1e-12.
"""

from __future__ import annotations

import dataclasses
import math

from xorgrok.core.errors import InputError, check_choice, check_float, check_int
from xorgrok.data.xor import PAPER_XOR
from xorgrok.experiments.xu import XU_ALPHA_LARGE, XU_PAPER
from xorgrok.theory.assumptions import parse_log_base
from xorgrok.theory.events import XU_EPS_DEFAULT
from xorgrok.theory.target_form import a5_width

U_MODES = ("trained", "synthetic")
GT_DEFAULT_C = 2.0  # GrokTransfer needs C > 1; 2 is the smallest integer above 1 (docs/verify.md)


@dataclasses.dataclass
class GTParams:
    n: int = PAPER_XOR.n
    p: int = PAPER_XOR.p
    eps: float = PAPER_XOR.eps
    m: int | None = None  # None: ceil(2 ln^3 n)
    v_init: float = 0.4
    alpha: float = 2.0
    C: float = GT_DEFAULT_C
    log_base: float = math.e
    seed: int = 0
    seeds: int = 20  # theorem-mode seeds (fresh training data + target init, U fixed)
    pipeline_seeds: int = 3  # full pipeline seeds (weak net trained on the target's own training data)
    test_size: int = 100_000  # fresh points for every theorem-mode seed (shared, independent of them)
    pipeline_test: int = 10_000  # fresh points per pipeline seed
    event_seeds: int = 2000  # draws for the initialisation-only events (Lemma A.4)
    weak_steps: int = 2000
    u: str = "trained"  # trained: U from the weak net; synthetic: U = [S; delta] fixed before the data

    def __post_init__(self) -> None:
        self.u = check_choice("u", self.u, U_MODES)
        self.n = check_int("n", self.n, lo=2)
        self.p = check_int("p", self.p, lo=3)
        self.eps = check_float("eps", self.eps, 0.0, lo_open=True)
        if self.m is not None:
            self.m = check_int("m", self.m, lo=1)
        self.v_init = check_float("v_init", self.v_init, 0.0, lo_open=True)
        self.alpha = check_float("alpha", self.alpha, 0.0, lo_open=True)
        self.C = check_float("C", self.C, 0.0, lo_open=True)
        self.log_base = parse_log_base(self.log_base)
        self.seed = check_int("seed", self.seed, lo=0)
        self.seeds = check_int("seeds", self.seeds, lo=1)
        self.pipeline_seeds = check_int("pipeline_seeds", self.pipeline_seeds, lo=0)
        self.test_size = check_int("test_size", self.test_size, lo=1)
        self.pipeline_test = check_int("pipeline_test", self.pipeline_test, lo=1)
        self.event_seeds = check_int("event_seeds", self.event_seeds, lo=1)
        self.weak_steps = check_int("weak_steps", self.weak_steps, lo=1)

    @property
    def width(self) -> int:
        return self.m if self.m is not None else a5_width(self.n)


@dataclasses.dataclass
class XuParams:
    n: int = XU_PAPER.n
    p: int = XU_PAPER.p
    mu_norm: float | None = None  # None: 2.5 sqrt(p/n)
    eta: float = XU_PAPER.eta
    m: int = XU_PAPER.m
    alpha: float = XU_ALPHA_LARGE
    omega_init: float = XU_PAPER.omega
    C: float = 1.0
    seed: int = 0
    seeds: int = 5
    test_size: int = 2000
    xu_eps: float = XU_EPS_DEFAULT
    steps: int | None = None  # None: floor(sqrt(n)), the end of Theorem 3.1's window

    def __post_init__(self) -> None:
        self.n = check_int("n", self.n, lo=2)
        self.p = check_int("p", self.p, lo=3)
        if self.mu_norm is not None:
            self.mu_norm = check_float("mu_norm", self.mu_norm, 0.0, lo_open=True)
        self.eta = check_float("eta", self.eta, 0.0, 0.5, hi_open=True)
        self.m = check_int("m", self.m, lo=1)
        self.alpha = check_float("alpha", self.alpha, 0.0, lo_open=True)
        self.omega_init = check_float("omega_init", self.omega_init, 0.0, lo_open=True)
        self.C = check_float("C", self.C, 0.0, lo_open=True)
        self.seed = check_int("seed", self.seed, lo=0)
        self.seeds = check_int("seeds", self.seeds, lo=1)
        self.test_size = check_int("test_size", self.test_size, lo=1)
        self.xu_eps = check_float("xu_eps", self.xu_eps, 0.0, 2.5e-4, lo_open=True, hi_open=True)
        if self.steps is not None:
            self.steps = check_int("steps", self.steps, lo=1)

    @property
    def mu(self) -> float:
        return self.mu_norm if self.mu_norm is not None else XU_PAPER.mu_scale * math.sqrt(self.p / self.n)

    @property
    def T(self) -> int:
        return self.steps if self.steps is not None else max(1, math.isqrt(self.n))


GT_SWEEPABLE = ("n", "p", "eps", "m", "v_init", "alpha", "C")
XU_SWEEPABLE = ("n", "p", "mu_norm", "eta", "m", "alpha", "omega_init", "C")
INT_PARAMS = ("n", "p", "m")


def parse_sweep(text: str, allowed: tuple[str, ...]) -> tuple[str, float, float]:
    """'PARAM=LO:HI' -> (param, lo, hi); InputError (one line, naming the parameter) otherwise."""
    if "=" not in text or ":" not in text.split("=", 1)[1]:
        raise InputError(f"--sweep must look like PARAM=LO:HI, got {text!r}")
    name, rng = text.split("=", 1)
    name = name.strip().replace("-", "_")
    if name not in allowed:
        raise InputError(f"--sweep: unknown parameter {name!r}; sweepable: {', '.join(allowed)}")
    lo_s, hi_s = rng.split(":", 1)
    try:
        lo, hi = float(lo_s), float(hi_s)
    except ValueError:
        raise InputError(f"--sweep {name}: LO and HI must be numbers, got {rng!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError(f"--sweep {name}: LO and HI must be finite, got {rng!r}")
    if lo >= hi:
        raise InputError(f"--sweep {name}: LO must be < HI, got LO={lo:g}, HI={hi:g}")
    if lo <= 0:
        raise InputError(f"--sweep {name}: LO must be > 0 (the grid is log-spaced), got {lo:g}")
    return name, lo, hi
