"""Every sympy check of xorgrok.proofs is a test; negative controls show the checks can fail."""

import pytest
import sympy as sp

from xorgrok.commands.proofs import main
from xorgrok.proofs import groktransfer
from xorgrok.proofs.core import Check, Outcome, registry, run_all

CHECKS = registry()


@pytest.mark.parametrize("chk", CHECKS, ids=[c.id for c in CHECKS])
def test_check_passes(chk):
    res = chk.run()
    assert res.passed, res.detail


def test_ids_unique_and_cover_the_issue_list():
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    for need in ("gt-eq4-gradient", "gt-nu-vectors", "gt-lemma-A.3-hoeffding", "gt-A1-default", "gt-A5-default",
                 "xu-A1A2-dimension", "xu-A1-exponent", "xu-lemma-4.6"):
        assert need in ids


def test_eq4_check_rejects_a_wrong_update():
    """The same comparison with the sign of eq. (4) flipped, or the 1/n dropped, must fail."""
    def flipped(*args):
        return -groktransfer.eq4_printed(*args)

    def no_mean(alpha, n, *rest):
        return groktransfer.eq4_printed(alpha, 1, *rest)

    assert not groktransfer.eq4_matches(flipped, n=2, m=1)[0]
    assert not groktransfer.eq4_matches(no_mean, n=2, m=1)[0]


def test_lemma_a1_table_detects_a_misprint():
    table = groktransfer.lemma_a1_table()
    assert all(groktransfer.lemma_a1_printed(e, c) == s for (e, c), s in table.items())
    # a misprinted bullet (say I_[i,j,+1],+mu1 = I_+mu1) would disagree with the derived sign
    assert table[((1, 1, 1), "+mu1")] == -1


def test_errata_are_reported():
    some = [c for c in CHECKS if c.id in ("gt-snr-formula", "gt-shapes", "gt-nu-vectors")]
    errata = {c.id: r.erratum for c, r in run_all(some) if r.erratum}
    assert "gt-nu-vectors" not in errata
    assert "gt-snr-formula" in errata and "gt-shapes" in errata
    assert "3 x m" in errata["gt-shapes"]


def test_a_crashing_check_is_a_failure():
    def boom() -> Outcome:
        raise ZeroDivisionError("x")

    (_, res), = run_all([Check("boom", "-", "-", boom)])
    assert not res.passed and "ZeroDivisionError" in res.detail


def test_cli_table_and_json(capsys):
    assert main(["--only", "gt-nu-vectors"]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "gt-nu-vectors" in out
    assert main(["--json", "--only", "gt-snr-formula"]) == 0
    assert '"erratum"' in capsys.readouterr().out


def test_cli_unknown_id_is_exit_2(capsys):
    from xorgrok.core.cli import run_main

    assert run_main(main, ["--only", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope" in err


def test_symbolic_hoeffding_constant():
    """Independent re-derivation: with t = eps^2 sqrt(p/n) log n the exponent is -log^2 n / (2 C^2)."""
    n, p, eps, C = sp.symbols("n p epsilon C", positive=True)
    t = eps**2 * sp.sqrt(p / n) * sp.log(n)
    assert sp.simplify(-n * t**2 / (2 * C**2 * eps**4 * p) + sp.log(n) ** 2 / (2 * C**2)) == 0
