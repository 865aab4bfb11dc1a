"""Deprecated alias of `xorgrok.proofs` (the sympy checks); `python -m proofs_check` still works."""

from xorgrok.proofs import *  # noqa: F401,F403
