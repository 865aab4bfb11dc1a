"""Exact Gram-space GD for the two-layer net f(x) = Σ_j a_j φ(<w_j, x>).

Why it is exact: the gradient of L̂ w.r.t. w_j is a combination of the training inputs,
∇_{w_j} L̂ = Σ_i (∂L̂/∂h_ji) x_i with h_ji = <w_j, x_i>. With weight decay factor d per step,
    W⁽ᵗ⁾ = c_t W⁽⁰⁾ + C⁽ᵗ⁾ X,      c_{t+1} = d c_t,   C⁽ᵗ⁺¹⁾ = d C⁽ᵗ⁾ − α ∂L̂/∂H⁽ᵗ⁾,
so every pre-activation needed is H = W Xᵀ = c_t P₀ + C G with P₀ = W⁽⁰⁾Xᵀ (m×n) and G = XXᵀ (n×n),
and for test points H_test = c_t W⁽⁰⁾X_testᵀ + C X X_testᵀ. After the O(mnp + n²p) set-up a step costs
O(mn²) instead of O(mnp). Norms come out of the same quantities, e.g.
    ‖W‖_F² = c²‖W⁽⁰⁾‖_F² + 2c Σ C⊙P₀ + Σ C⊙(CG).
The plain autograd engine (`gd.py`) is the reference; tests hold the two trajectories together.
Applies to any width, trainable or fixed second layer, exp or logistic loss, either weight-decay form.
"""

from __future__ import annotations

import time

import torch
from tqdm.auto import tqdm

from xorgrok.core.health import first_nonfinite
from xorgrok.models.two_layer import TwoLayerParams
from xorgrok.train.gd import GDConfig, GDResult, Split, binary_metrics
from xorgrok.train.history import History
from xorgrok.train.losses import margin_loss_grad


class GramState:
    """Pre-computed Gram quantities for one training set, one test set and one W⁽⁰⁾."""

    def __init__(self, W0: torch.Tensor, split: Split, n_signal: int = 2, keep_w0: bool = True) -> None:
        X, Xt = split.x_train, split.x_test
        self.G = X @ X.T  # (n, n)
        self.Gt = X @ Xt.T  # (n, n_test)
        # one pass over W⁽⁰⁾; without a test set, no (n, p) copy of X for the concatenation
        P = W0 @ (torch.cat([X, Xt]) if Xt.shape[0] else X).T  # (m, n + n_test)
        n = X.shape[0]
        self.P0, self.P0t = P[:, :n].contiguous(), P[:, n:].contiguous()
        Xs, W0s = X[:, :n_signal].double(), W0[:, :n_signal].double()
        self.Gn = self.G.double() - Xs @ Xs.T  # Gram of the noise coordinates
        self.P0n = self.P0.double() - W0s @ Xs.T
        self.w0_sq = float(torch.linalg.vector_norm(W0, dtype=torch.float64)) ** 2  # no float64 copy of W⁽⁰⁾
        self.w0s_sq = float(W0s.pow(2).sum())
        self.W0s, self.Xs = W0s, Xs
        self.W0 = W0 if keep_w0 else None
        self.X = X if keep_w0 else None
        self.final: tuple[float, torch.Tensor, torch.Tensor] | None = None  # (c, C, a) after gram_train

    @classmethod
    def from_grams(cls, *, G: torch.Tensor, Gt: torch.Tensor, P0: torch.Tensor, P0t: torch.Tensor,
                   Gn: torch.Tensor, P0n: torch.Tensor, w0_sq: float, w0s_sq: float, W0s: torch.Tensor,
                   Xs: torch.Tensor) -> GramState:
        """A state from precomputed quantities (streamed Grams, p-free initial projections): p is never a shape.

        G = XXᵀ (n, n), Gt = XX_testᵀ (n, n_test), P0 = W⁽⁰⁾Xᵀ (m, n), P0t = W⁽⁰⁾X_testᵀ, Gn and P0n their noise
        parts (float64), w0_sq = ‖W⁽⁰⁾‖_F², w0s_sq = ‖W⁽⁰⁾_signal‖_F², W0s (m, 2) and Xs (n, 2) float64.
        Nothing can be materialised from it (`materialise` returns None); `final` holds (c, C, a) after training.
        """
        st = cls.__new__(cls)
        st.G, st.Gt, st.P0, st.P0t = G, Gt, P0.contiguous(), P0t.contiguous()
        st.Gn, st.P0n = Gn.double(), P0n.double()
        st.w0_sq, st.w0s_sq = float(w0_sq), float(w0s_sq)
        st.W0s, st.Xs = W0s.double(), Xs.double()
        st.W0 = None
        st.X = None
        st.final = None
        return st

    def preact(self, c: float, C: torch.Tensor) -> torch.Tensor:
        return c * self.P0 + C @ self.G

    def preact_test(self, c: float, C: torch.Tensor) -> torch.Tensor:
        return c * self.P0t + C @ self.Gt

    def norms(self, c: float, C: torch.Tensor) -> dict[str, float]:
        """‖W‖_F, ‖W_signal‖_F, ‖W_noise‖_F from Gram quantities only (float64)."""
        Cd = C.double()
        ws = c * self.W0s + Cd @ self.Xs
        noise_sq = (c * c * (self.w0_sq - self.w0s_sq) + 2 * c * float((Cd * self.P0n).sum())
                    + float((Cd * (Cd @ self.Gn)).sum()))
        sig_sq = float(ws.pow(2).sum())
        noise = max(noise_sq, 0.0) ** 0.5
        return {"w_norm": (sig_sq + max(noise_sq, 0.0)) ** 0.5, "w_signal": sig_sq**0.5, "w_noise": noise}

    def materialise(self, c: float, C: torch.Tensor) -> torch.Tensor | None:
        if self.W0 is None or self.X is None:
            return None
        return c * self.W0 + C @ self.X


def gram_train(
    params0: TwoLayerParams,
    split: Split,
    cfg: GDConfig,
    *,
    train_W: bool = True,
    train_a: bool = True,
    keep_w0: bool = True,
    progress: bool = False,
    desc: str = "GD (Gram)",
    state: GramState | None = None,
) -> GDResult:
    """Train f = Σ a_j φ(<w_j,x>) by full-batch GD in Gram space; same trajectory as `gd_train`.

    `state`: precomputed Gram quantities (`GramState.from_grams`); then only params0.a and the labels of
    `split` are read, and its x tensors may have zero columns.
    """
    t0 = time.perf_counter()
    a = params0.a.detach().clone()
    st = state if state is not None else GramState(params0.W.detach(), split, keep_w0=keep_w0)
    setup_s = time.perf_counter() - t0
    step_s = 0.0
    n = st.G.shape[0]
    y, yt = split.y_train, split.y_test
    c = 1.0
    C = torch.zeros(st.P0.shape[0], n, dtype=st.P0.dtype, device=st.P0.device)
    decay = cfg.decay()
    logged = cfg.logged_steps()
    hist = History()
    logits: list[torch.Tensor] = []
    for step in tqdm(range(cfg.steps + 1), desc=desc, disable=not progress, leave=False):
        ts = time.perf_counter()
        H = st.preact(c, C)  # (m, n)
        A = torch.relu(H)
        f = a @ A  # (n,)
        t_fwd = time.perf_counter() - ts
        if step in logged:
            m = binary_metrics(cfg.loss, f, y, "train")
            f_test = a @ torch.relu(st.preact_test(c, C)) if st.Gt.shape[1] else f[:0]
            if st.Gt.shape[1]:
                m.update(binary_metrics(cfg.loss, f_test, yt, "test"))
            m.update(st.norms(c, C))
            m["a_norm"] = float(a.double().norm())
            hist.log(step, **m)
            if cfg.keep_train_logits:
                logits.append(f.clone())
            bad = first_nonfinite({"train_loss": m.get("train_loss"), "train outputs": f,
                                   "test_loss": m.get("test_loss"), "test outputs": f_test})
            if bad is not None:
                hist.mark_diverged(step, bad)
                if cfg.on_diverge == "stop":
                    break
        if step == cfg.steps:
            break
        ts = time.perf_counter()
        g = margin_loss_grad(cfg.loss, y * f) * y / n  # dL̂/df_i
        grad_a = A @ g
        if train_W:
            dH = (a[:, None] * (H > 0).to(H.dtype)) * g[None, :]  # dL̂/dH, (m, n)
            c *= decay
            C = decay * C - cfg.lr * dH
        if train_a:
            a = decay * a - cfg.lr * grad_a
        step_s += t_fwd + time.perf_counter() - ts
    st.final = (c, C, a)
    W = st.materialise(c, C)
    bad = first_nonfinite({"parameter C (W in Gram space)": C, "parameter a": a})
    if bad is not None:
        hist.mark_diverged(hist.steps[-1] if hist.steps else 0, bad)
    params = None if W is None else {"W": W, "a": a}
    return GDResult(history=hist, params=params, wall_s=time.perf_counter() - t0, engine="gram",
                    train_logits=logits, setup_s=setup_s, step_s=step_s,
                    n_updates=hist.steps[-1] if hist.steps else 0)
