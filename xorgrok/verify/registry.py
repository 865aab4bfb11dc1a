"""Which builder produces which check, and how the command-line selectors pick them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from xorgrok.core.errors import InputError
from xorgrok.verify import gt, scaling, xu


@dataclasses.dataclass
class Builder:
    theorem: str
    ids: tuple[str, ...]  # the check ids it produces ("sym:*" for the symbolic ones)
    fn: Callable
    default: bool = True  # part of the theorem's default run


GT_BUILDERS = [
    Builder("groktransfer", ("A1", "A2", "A3", "A4", "A5"), gt.assumptions),
    Builder("groktransfer", (gt.FEAT,), gt.pre_features),
    Builder("groktransfer", (gt.IND, gt.IND_PIPE), gt.pre_independent),
    Builder("groktransfer", (gt.NLARGE,), gt.pre_n_large),
    Builder("groktransfer", ("lemma-A.1",), gt.lemma_a1),
    Builder("groktransfer", ("lemma-A.2",), gt.lemma_a2),
    Builder("groktransfer", ("lemma-A.3",), gt.lemma_a3),
    Builder("groktransfer", ("lemma-A.4",), gt.lemma_a4),
    Builder("groktransfer", ("init-unit", "init-f0", "init-ratio"), gt.init_facts),
    Builder("groktransfer", ("thm-3.2-train",), gt.thm_train),
    Builder("groktransfer", ("thm-3.2-test",), gt.thm_test),
    Builder("groktransfer", ("thm-3.2-freq", "thm-3.2-pipeline"), gt.thm_freq),
    Builder("groktransfer", ("thm-3.2-core",), gt.thm_core),
    Builder("groktransfer", ("thm-3.2-neurons",), gt.thm_neurons),
    Builder("groktransfer", ("thm-3.2-eq20",), gt.thm_eq20),
    Builder("groktransfer", ("thm-3.2-margins",), gt.thm_margins),
    Builder("groktransfer", ("lemma-3.1-orbits", "lemma-3.1-attack"), gt.lemma31_checks),
    Builder("groktransfer", ("snr-raw", "snr-embedding", "snr-rw"), gt.snr_checks),
    Builder("groktransfer", ("snr-scaling-n", "snr-scaling-p", "snr-scaling-eps"), scaling.scaling_checks,
            default=False),
    Builder("groktransfer", ("sym:*",), gt.symbolic),
]
# builders that read the trained weak net itself (its accuracy, second layer, r_W): skipped with --u synthetic
NEEDS_WEAK_NET = (gt.lemma31_checks, gt.snr_checks, scaling.scaling_checks)
XU_BUILDERS = [
    Builder("xu2024", ("xu-A1", "xu-A2", "xu-A3", "xu-A4", "xu-A5", "xu-A6", "xu-regime"), xu.assumptions),
    Builder("xu2024", ("xu-B1", "xu-B2", "xu-B3", "xu-B4", "xu-near-orth", "xu-D1", "xu-D2", "xu-D3"), xu.data_checks),
    Builder("xu2024", ("xu-thm-3.1-i", "xu-thm-3.1-ii", "xu-sign-rule", "xu-thm-3.1-iii"), xu.theorem_checks),
    Builder("xu2024", ("xu-lemma-A.3-g", "xu-thm-A.8-margin", "xu-lemma-A.9-wnorm", "xu-lemma-A.9-margin"),
            xu.bound_checks),
    Builder("xu2024", ("xu-lemma-4.7-J1", "xu-lemma-4.7-J2", "xu-lemma-4.7-ratio"), xu.lemma47_checks),
    Builder("xu2024", ("xu-eq-4.3-limit",), xu.eq43_check),
    Builder("xu2024", ("xu-D4",), xu.d4_check),
]

# selector name -> check ids, per theorem
SELECTORS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "groktransfer": {
        "assumption": {**{k: (k,) for k in ("A1", "A2", "A3", "A4", "A5")}, "features": (gt.FEAT,),
                       "independent": (gt.IND, gt.IND_PIPE), "n-large": (gt.NLARGE,)},
        "lemma": {"A.1": ("lemma-A.1",), "A.2": ("lemma-A.2",), "A.3": ("lemma-A.3",), "A.4": ("lemma-A.4",),
                  "3.1": ("lemma-3.1-orbits", "lemma-3.1-attack"),
                  "init": ("init-unit", "init-f0", "init-ratio")},
        "claim": {"one-step": ("thm-3.2-train", "thm-3.2-test", "thm-3.2-freq", "thm-3.2-pipeline",
                               "thm-3.2-core"),
                  "core": ("thm-3.2-core",), "neurons": ("thm-3.2-neurons", "thm-3.2-eq20"),
                  "eq20": ("thm-3.2-eq20",), "margins": ("thm-3.2-margins",),
                  "snr": ("snr-raw", "snr-embedding", "snr-rw"),
                  "snr-scaling": ("snr-scaling-n", "snr-scaling-p", "snr-scaling-eps"),
                  "symbolic": ("sym:*",)},
    },
    "xu2024": {
        "assumption": {**{f"A{i}": (f"xu-A{i}",) for i in range(1, 7)},
                       **{f"xu-A{i}": (f"xu-A{i}",) for i in range(1, 7)}, "regime": ("xu-regime",)},
        "lemma": {**{k: (f"xu-{k}",) for k in ("B1", "B2", "B3", "B4", "D1", "D2", "D3", "near-orth")},
                  "bounds": ("xu-lemma-A.3-g", "xu-thm-A.8-margin", "xu-lemma-A.9-wnorm", "xu-lemma-A.9-margin"),
                  "A.3-g": ("xu-lemma-A.3-g",), "A.8-margin": ("xu-thm-A.8-margin",),
                  "A.9-wnorm": ("xu-lemma-A.9-wnorm",), "A.9-margin": ("xu-lemma-A.9-margin",),
                  "4.7": ("xu-lemma-4.7-J1", "xu-lemma-4.7-J2", "xu-lemma-4.7-ratio"), "D4": ("xu-D4",)},
        "claim": {"i": ("xu-thm-3.1-i",), "ii": ("xu-thm-3.1-ii",), "iii": ("xu-thm-3.1-iii",),
                  "sign-rule": ("xu-sign-rule",),
                  "one-step": ("xu-thm-3.1-i", "xu-thm-3.1-ii", "xu-sign-rule"), "eq4.3": ("xu-eq-4.3-limit",)},
    },
}


def resolve(theorems: list[str] | None, picks: dict[str, list[str]]) -> dict[str, set[str] | None]:
    """theorem -> the selected check ids (None: that theorem's default set).

    With no selector, the given theorems (default: groktransfer) run their default sets. A bare id such as
    "A1" resolves in the given theorems; with no --theorem, in GrokTransfer first, else in Xu'24.
    """
    if not any(picks.values()):
        return {t: None for t in (theorems or ["groktransfer"])}
    out: dict[str, set[str] | None] = {}
    for kind, names in picks.items():
        for name in names:
            search = theorems or [t for t in ("groktransfer", "xu2024") if name in SELECTORS[t][kind]][:1]
            hits = [t for t in search if name in SELECTORS[t][kind]]
            if not hits:
                pool = theorems or ["groktransfer", "xu2024"]
                known = sorted({k for t in pool for k in SELECTORS[t][kind]})
                raise InputError(f"--{kind}: unknown id {name!r} for {' / '.join(pool)}; "
                                 f"known: {', '.join(known)}")
            for t in hits:
                out[t] = (out.get(t) or set()) | set(SELECTORS[t][kind][name])
    return out


def builders_for(theorem: str, ids: set[str] | None, everything: bool) -> list[Builder]:
    pool = GT_BUILDERS if theorem == "groktransfer" else XU_BUILDERS
    if ids is None:
        return [b for b in pool if b.default or everything]
    return [b for b in pool if set(b.ids) & ids]


def precondition_ids(theorem: str) -> set[str]:
    """The ids of a theorem's precondition checks."""
    if theorem == "groktransfer":
        return {"A1", "A2", "A3", "A4", "A5", gt.FEAT, gt.IND, gt.IND_PIPE, gt.NLARGE}
    return {"xu-A1", "xu-A2", "xu-A3", "xu-A4", "xu-A5", "xu-A6", "xu-regime"}


def keep(check_id: str, ids: set[str] | None) -> bool:
    if ids is None:
        return True
    return check_id in ids or (check_id.startswith("sym:") and "sym:*" in ids)
