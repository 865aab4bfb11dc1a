"""xorgrok: numerical verification of GrokTransfer (ICLR 2025) and Xu et al. (ICLR 2024).

The names a user needs are re-exported here and imported on first use (PEP 562), so `import xorgrok`
imports nothing else and has no side effects: no global dtype, thread or seed settings.

    sample data       sample_hypercube, sample_gaussian_clusters
    XOR weak net      XorWeakConfig, train_weak            (GrokTransfer §3.3: weak net -> U)
    XOR target        TransferConfig, train_target, default_target_width, theorem_hyperparameters
    any model         weak_embedding, groktransfer_embedding, install_embedding   (the GrokTransfer API)
    checks            groktransfer_assumptions, xu_assumptions, AssumptionCheck
    errors            InputError

See the README's "Use it from Python" for an example; each name's module holds its documentation.
`train_target` is `xorgrok.experiments.xor.transfer` (the target f_L trained on U's features): the name
`xorgrok.transfer` is the GrokTransfer module, and an attribute cannot be both.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> "module:attribute"; nothing is imported until the name is first used
_EXPORTS: dict[str, str] = {
    "sample_hypercube": "xorgrok.data.xor:sample_hypercube",
    "sample_gaussian_clusters": "xorgrok.data.xor:sample_gaussian_clusters",
    "XorWeakConfig": "xorgrok.experiments.xor:XorWeakConfig",
    "train_weak": "xorgrok.experiments.xor:train_weak",
    "TransferConfig": "xorgrok.experiments.xor:TransferConfig",
    "train_target": "xorgrok.experiments.xor:transfer",
    "default_target_width": "xorgrok.experiments.xor:default_target_width",
    "theorem_hyperparameters": "xorgrok.experiments.xor:theorem_hyperparameters",
    "weak_embedding": "xorgrok.transfer:weak_embedding",
    "groktransfer_embedding": "xorgrok.transfer:groktransfer_embedding",
    "install_embedding": "xorgrok.transfer:install_embedding",
    "groktransfer_assumptions": "xorgrok.theory.assumptions:groktransfer_assumptions",
    "xu_assumptions": "xorgrok.theory.assumptions:xu_assumptions",
    "AssumptionCheck": "xorgrok.theory.assumptions:AssumptionCheck",
    "InputError": "xorgrok.core.errors:InputError",
}

__all__ = [  # written out (not derived from the table) so that linters and type checkers can read it
    "__version__",
    "sample_hypercube", "sample_gaussian_clusters",
    "XorWeakConfig", "train_weak",
    "TransferConfig", "train_target", "default_target_width", "theorem_hyperparameters",
    "weak_embedding", "groktransfer_embedding", "install_embedding",
    "groktransfer_assumptions", "xu_assumptions", "AssumptionCheck",
    "InputError",
]

if TYPE_CHECKING:  # the same names, for type checkers and editors (never executed)
    from xorgrok.core.errors import InputError
    from xorgrok.data.xor import sample_gaussian_clusters, sample_hypercube
    from xorgrok.experiments.xor import (
        TransferConfig,
        XorWeakConfig,
        default_target_width,
        theorem_hyperparameters,
        train_weak,
    )
    from xorgrok.experiments.xor import transfer as train_target
    from xorgrok.theory.assumptions import AssumptionCheck, groktransfer_assumptions, xu_assumptions
    from xorgrok.transfer import groktransfer_embedding, install_embedding, weak_embedding


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'xorgrok' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def __dir__() -> list[str]:
    return sorted({*__all__, *(n for n in globals() if n.startswith("__"))})
