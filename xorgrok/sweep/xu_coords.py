"""Dimensionless coordinates of Xu et al. 2024's assumptions (A1)-(A6) and their inverse.

Each coordinate is the constant the assumption implies (verify's `implied_C`), so "(Ak) holds at C" is the box
k_j >= C (k5 >= 1: (A5) has no C):
    k1 = ||mu||^2 / (n^0.51 sqrt p)                      (A1) ||mu||^2 >= C n^0.51 sqrt p
    k2 = p / (n^2 ||mu||^2)                              (A2) p >= C n^2 ||mu||^2
    k3 = 1 / eta                                         (A3) eta <= 1/C
    k4 = 1 / (alpha n p)                                 (A4) alpha <= 1/(C n p)
    k5 = alpha ||mu||^2 / (omega_init n m^1.5 p)         (A5) omega_init n m^(3/2) p <= alpha ||mu||^2
    k6 = m / n^0.02                                      (A6) m >= C n^0.02
(k1, k2) fix p and ||mu||: k1 k2 = sqrt(p) / n^2.51, so p = (k1 k2 n^2.51)^2 (rounded up to an integer; the
record carries the coordinates recomputed from the rounded p) and ||mu||^2 = k1 n^0.51 sqrt p.
"""

from __future__ import annotations

import math

from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.train.xu_exact import XuSetting

XU_COORDS = ("k1", "k2", "k3", "k4", "k5", "k6")
P_MAX = 10**24  # as in the literal-regime verifier: float64 rounding of O(p) norms next to O(sqrt p) terms


def xu_coordinates(st: XuSetting) -> dict[str, float]:
    n, p, mu2 = st.n, st.p, st.mu_norm**2
    return {"k1": mu2 / (n**0.51 * math.sqrt(p)), "k2": p / (n**2 * mu2), "k3": 1 / st.eta,
            "k4": 1 / (st.alpha * n * p),
            "k5": math.inf if st.omega == 0 else st.alpha * mu2 / (st.omega * n * st.m**1.5 * p),
            "k6": st.m / n**0.02}


def xu_holds(k: dict[str, float], C: float) -> dict[str, bool]:
    tol = 1 - 1e-12  # the coordinates are recomputed from rounded physical values
    return {"xu-A1": k["k1"] >= C * tol, "xu-A2": k["k2"] >= C * tol, "xu-A3": k["k3"] >= C * tol,
            "xu-A4": k["k4"] >= C * tol, "xu-A5": k["k5"] >= tol, "xu-A6": k["k6"] >= C * tol}


def xu_setting(n: int, k1: float, k2: float, k3: float, k4: float, k5: float, m: int) -> XuSetting:
    n = check_int("n", n, lo=4)
    k1, k2, k4, k5 = (check_float(nm, v, 0.0, lo_open=True) for nm, v in (("k1", k1), ("k2", k2), ("k4", k4),
                                                                            ("k5", k5)))
    k3 = check_float("k3", k3, 2.0, lo_open=True)  # eta = 1/k3 < 1/2
    m = check_int("m", m, lo=1)
    p = math.ceil((k1 * k2 * n**2.51) ** 2)
    if p > P_MAX:
        raise InputError(f"k1, k2: p = {p:.3g} at n = {n} is above {P_MAX:.0e}")
    p = max(p, 3)
    mu2 = k1 * n**0.51 * math.sqrt(p)
    alpha = 1 / (k4 * n * p)
    omega = alpha * mu2 / (k5 * n * m**1.5 * p)
    return XuSetting(n=n, p=p, m=m, mu_norm=math.sqrt(mu2), eta=1 / k3, alpha=alpha, omega=omega)
