"""Xu et al. 2024: the proof-level bounds that carry explicit constants, measured along GD.

For 0 <= t <= 1/(sqrt(n) p alpha) - 2 (the proof's window, which contains [1, sqrt n] under (A4)):
- Lemma A.3: max_i |g_i^(t) - 1/2| <= 2/n^(3/2), g_i = -l'(y_i f(x_i)) = sigmoid(-y_i f(x_i)) (logistic loss);
- proof of Theorem A.8: y_k f(x_k; W^(t)) >= alpha p t/(28 n) - alpha ||mu||^2 for every training point;
- Lemma A.9: ||W^(t)||_F <= 3 alpha t sqrt(p/n) (t >= 1);
- Lemma A.9 / Theorem 4.8: for t >= C n^(10 eps) the normalised margin
  min_nu E_{x ~ N(nu, I)}[y_nu f(x; W^(t))] / ||W^(t)||_F >= sqrt(n) ||mu||^2 / (240 sqrt(p) n^(10 eps)),
  the expectation estimated on the fresh clean test points of each cluster (mean and its standard error).
GD on W only, logistic loss, no weight decay, in Gram space (xorgrok.train.gram.GramState, exact).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch

from xorgrok.train.gd import Split
from xorgrok.train.gram import GramState
from xorgrok.train.losses import margin_loss_grad


@dataclasses.dataclass
class XuBoundTrace:
    max_g_dev: list[float]  # t = 0..T: max_i |g_i - 1/2|
    g_bound: float  # 2 / n^1.5
    min_margin: list[float]  # min_k y_k f(x_k; W^(t)), observed labels
    margin_bound: list[float]  # alpha p t / (28 n) - alpha ||mu||^2
    w_norm: list[float]  # ||W^(t)||_F
    w_bound: list[float]  # 3 alpha t sqrt(p/n)
    norm_margin: list[float]  # min over clusters of mean_test(y f) / ||W||_F
    norm_margin_se: list[float]  # its standard error (the minimising cluster's)
    norm_margin_bound: float  # sqrt(n) ||mu||^2 / (240 sqrt(p) n^(10 eps))
    window: float  # 1 / (sqrt(n) p alpha) - 2
    proj_mu1: np.ndarray | None = None  # (T+1, m): <w_j^(t), mu1> when mu1 is given (Lemma 4.7)


def xu_bound_trace(x: torch.Tensor, y: torch.Tensor, x_test: torch.Tensor, y_test_clean: torch.Tensor,
                   cluster_test: np.ndarray, W0: torch.Tensor, a: torch.Tensor, alpha: float, steps: int,
                   mu_norm: float, xu_eps: float, mu1: torch.Tensor | None = None) -> XuBoundTrace:
    n, p = x.shape
    # w_j^(t) = w_j^(0) + sum_i C_ji x_i, so <w_j^(t), mu1> needs only <w_j^(0), mu1> and <x_i, mu1>
    w0m = None if mu1 is None else (W0.double() @ mu1.double())
    xm = None if mu1 is None else (x.double() @ mu1.double())
    proj = []
    st = GramState(W0, Split(x, y, x_test, y_test_clean), keep_w0=False)
    C = torch.zeros(W0.shape[0], n, dtype=W0.dtype)
    cl = torch.as_tensor(np.asarray(cluster_test))
    gd, mm, mb, wn, wb, nm, ns = [], [], [], [], [], [], []
    for t in range(steps + 1):
        H = st.preact(1.0, C)
        f = a @ torch.relu(H)
        margins = y * f
        g = torch.sigmoid(-margins.double())
        gd.append(float((g - 0.5).abs().max()))
        mm.append(float(margins.min()))
        mb.append(alpha * p * t / (28 * n) - alpha * mu_norm**2)
        w = st.norms(1.0, C)["w_norm"]
        wn.append(w)
        wb.append(3 * alpha * t * math.sqrt(p / n))
        yf = (y_test_clean * (a @ torch.relu(st.preact_test(1.0, C)))).double()
        best, se = math.inf, math.nan
        for k in range(4):
            sel = yf[cl == k]
            if len(sel) < 2:
                continue
            mean = float(sel.mean()) / w
            if mean < best:
                best, se = mean, float(sel.std()) / math.sqrt(len(sel)) / w
        nm.append(best)
        ns.append(se)
        if w0m is not None and xm is not None:
            proj.append((w0m + C.double() @ xm).numpy())
        if t == steps:
            break
        grad = margin_loss_grad("logistic", margins) * y / n
        C = C - alpha * (a[:, None] * (H > 0).to(H.dtype)) * grad[None, :]
    nb = math.sqrt(n) * mu_norm**2 / (240 * math.sqrt(p) * n ** (10 * xu_eps))
    return XuBoundTrace(gd, 2 / n**1.5, mm, mb, wn, wb, nm, ns, nb, 1 / (math.sqrt(n) * p * alpha) - 2,
                        np.stack(proj) if proj else None)
