"""xorgrok.proofs: sympy re-derivations of the algebraic steps in GrokTransfer (ICLR 2025) and Xu et al. (ICLR 2024).

`python -m proofs_check` prints a pass/fail table (and the errata found); `--json` gives the same as JSON.
Each check is also a test (tests/unit/test_proofs_check.py).
"""
