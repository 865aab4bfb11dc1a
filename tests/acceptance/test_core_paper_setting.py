"""Acceptance tests at the paper's full XOR setting (slow: `bash run.sh test-slow`).

These check published claims, so a failure here is a finding about the claim (or a bug), never something to
tune away. Seeds are the first ones, not chosen.
"""

import pytest
import torch

from xorgrok.core.seeding import derive
from xorgrok.data.xor import PAPER_XOR, sample_hypercube
from xorgrok.experiments.xor import (
    TransferConfig,
    XorWeakConfig,
    default_target_width,
    theorem_hyperparameters,
    train_weak,
    transfer,
)
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.two_layer import train_two_layer

pytestmark = pytest.mark.slow


def test_gram_equals_plain_at_fig4a_size():
    """Fig. 4(a) size (n 400, p 80,000, m 2048), float32, 3 steps: engines agree to 1e-4."""
    n, p, eps = PAPER_XOR.n, PAPER_XOR.p, PAPER_XOR.eps
    tr = sample_hypercube(n, p, eps, 0)
    te = sample_hypercube(200, p, eps, 1)
    p0 = init_two_layer(TwoLayerConfig(m=2048, init="torch"), p, 0)
    cfg = GDConfig(steps=3, lr=0.1, weight_decay=0.1, log="every", keep_train_logits=True)
    split = Split(tr.x, tr.y, te.x, te.y)
    a = train_two_layer(p0, split, cfg, engine="plain")
    b = train_two_layer(p0, split, cfg, engine="gram")
    for la, lb in zip(a.train_logits, b.train_logits):
        assert float((la - lb).abs().max() / lb.abs().max()) <= 1e-4


@pytest.mark.parametrize("seed", range(3))
def test_weak_three_neuron_net_about_75_percent(seed):
    """§3.3: the 3-neuron weak net reaches about 75% test accuracy and learns three of the four features."""
    w = train_weak(XorWeakConfig(seed=seed))
    assert 0.70 <= w.test_acc <= 0.80
    assert all(f is not None for f in w.learned) and len(set(w.learned)) == 3


def test_p_one_million_fits():
    """The simulator runs at p = 10⁶ (n = 400: 1.6 GB in float32)."""
    d = sample_hypercube(400, 1_000_000, 0.05, 0)
    assert d.x.shape == (400, 1_000_000) and torch.equal(d.y, d.x[:, 0] * d.x[:, 1])


@pytest.mark.parametrize("seed", range(3))
def test_one_step_claim_in_the_theorem_regime(seed):
    """Theorem 3.2 as proved: u_j = [±μ; δ_j] (signal-normalised U), f_L trained on data independent of U,
    v_init and α on the (A3)/(A4) boundary at C = 1, m = ceil(2 ln³ n). One GD step: 100% train accuracy and
    test error <= 1% on 10⁴ fresh points. (The method as run, with raw U, reused data and Fig. 9's v_init 0.4 /
    α 2, does NOT satisfy this on most seeds; verify and the report say so with numbers.)"""
    w = train_weak(XorWeakConfig(seed=seed))
    m = default_target_width(PAPER_XOR.n)
    v_init, alpha = theorem_hyperparameters(PAPER_XOR.n, m)
    fresh = sample_hypercube(PAPER_XOR.n, PAPER_XOR.p, PAPER_XOR.eps, derive(seed, "fresh-train"))
    r = transfer(w.U, fresh, TransferConfig(m=m, v_init=v_init, alpha=alpha, normalize="signal", seed=seed))
    assert r.train_acc == 1.0
    assert r.test_acc >= 0.99
