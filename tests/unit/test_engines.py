"""The exact Gram-space engine against the plain autograd reference, and the reference against torch SGD."""

import pytest
import torch

from xorgrok.data.xor import sample_gaussian_clusters, sample_hypercube
from xorgrok.models.two_layer import TwoLayerConfig, init_two_layer, norm_ratio, signal_noise_norms
from xorgrok.train.gd import GDConfig, Split, gd_train
from xorgrok.train.losses import margin_loss, margin_loss_grad
from xorgrok.train.two_layer import train_two_layer


def _split(n=60, p=400, eps=0.3, n_test=50, seed=0):
    tr = sample_hypercube(n, p, eps, seed, dtype=torch.float64)
    te = sample_hypercube(n_test, p, eps, seed + 100, dtype=torch.float64)
    return Split(tr.x, tr.y, te.x, te.y)


def _max_rel_diff(a_list, b_list):
    return max(float((a - b).abs().max() / b.abs().max().clamp_min(1e-300)) for a, b in zip(a_list, b_list))


CASES = [
    # (init config, train_a, gd config kwargs)
    (TwoLayerConfig(m=64, init="torch"), True, dict(lr=0.5, weight_decay=0.1, loss="exp")),
    (TwoLayerConfig(m=3, init="gaussian", w_std=0.1, a_std=0.01), True, dict(lr=0.1, weight_decay=0.1)),
    (TwoLayerConfig(m=40, init="xu", omega=0.05), False, dict(lr=0.3, weight_decay=0.0, loss="logistic")),
    (TwoLayerConfig(m=16, init="torch", init_scale=3.0), True, dict(lr=0.2, weight_decay=0.05, wd_form="paper")),
]


@pytest.mark.parametrize("init_cfg, train_a, gd_kw", CASES)
def test_gram_equals_plain_over_100_steps_float64(init_cfg, train_a, gd_kw):
    split = _split()
    p0 = init_two_layer(init_cfg, split.x_train.shape[1], seed=3, dtype=torch.float64)
    cfg = GDConfig(steps=100, log="every", keep_train_logits=True, **gd_kw)
    plain = train_two_layer(p0, split, cfg, engine="plain", train_a=train_a)
    gram = train_two_layer(p0, split, cfg, engine="gram", train_a=train_a)
    assert plain.history.steps == gram.history.steps == list(range(101))
    assert _max_rel_diff(gram.train_logits, plain.train_logits) <= 1e-4  # the bar
    assert _max_rel_diff(gram.train_logits, plain.train_logits) <= 1e-9  # what we actually get
    for key in ("test_acc", "train_loss", "test_loss", "w_norm", "w_signal", "w_noise", "a_norm"):
        torch.testing.assert_close(torch.tensor(gram.history[key]), torch.tensor(plain.history[key]),
                                   rtol=1e-8, atol=1e-10)
    torch.testing.assert_close(gram.params["W"], plain.params["W"], rtol=1e-8, atol=1e-12)
    torch.testing.assert_close(gram.params["a"], plain.params["a"], rtol=1e-8, atol=1e-12)
    assert plain.history["train_loss"][-1] < plain.history["train_loss"][0]  # it did train


def test_gram_equals_plain_on_gaussian_clusters():
    d = sample_gaussian_clusters(50, 300, 4.0, 0.1, seed=2, dtype=torch.float64)
    t = sample_gaussian_clusters(40, 300, 4.0, 0.1, seed=3, dtype=torch.float64)
    split = Split(d.x, d.y, t.x, t.y_clean)
    p0 = init_two_layer(TwoLayerConfig(m=30, init="xu", omega=1e-3), 300, 0, dtype=torch.float64)
    cfg = GDConfig(steps=30, lr=0.05, loss="logistic", log="every", keep_train_logits=True)
    a = train_two_layer(p0, split, cfg, engine="plain", train_a=False)
    b = train_two_layer(p0, split, cfg, engine="gram", train_a=False)
    assert _max_rel_diff(b.train_logits, a.train_logits) <= 1e-9


def test_plain_update_is_torch_sgd():
    """The reference engine's update is exactly torch.optim.SGD(weight_decay=λ) (PyTorch form)."""
    split = _split(n=30, p=50)
    p0 = init_two_layer(TwoLayerConfig(m=8, init="torch"), 50, 1, dtype=torch.float64)
    cfg = GDConfig(steps=5, lr=0.3, weight_decay=0.2, log="every")
    ours = train_two_layer(p0, split, cfg, engine="plain")
    W, a = p0.W.clone().requires_grad_(), p0.a.clone().requires_grad_()
    opt = torch.optim.SGD([W, a], lr=0.3, weight_decay=0.2)
    for _ in range(5):
        opt.zero_grad()
        f = torch.relu(split.x_train @ W.T) @ a
        torch.exp(-split.y_train * f).mean().backward()
        opt.step()
    torch.testing.assert_close(ours.params["W"], W.detach(), rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(ours.params["a"], a.detach(), rtol=1e-12, atol=1e-14)


def test_paper_wd_form_is_rescaled_torch_form():
    """(1-λ)θ - α∇ with λ equals the PyTorch form with λ/α."""
    split = _split(n=20, p=30)
    p0 = init_two_layer(TwoLayerConfig(m=5, init="torch"), 30, 2, dtype=torch.float64)
    a = train_two_layer(p0, split, GDConfig(steps=7, lr=0.5, weight_decay=0.05, wd_form="paper"), engine="plain")
    b = train_two_layer(p0, split, GDConfig(steps=7, lr=0.5, weight_decay=0.1, wd_form="torch"), engine="plain")
    torch.testing.assert_close(a.params["W"], b.params["W"])


@pytest.mark.parametrize("loss", ["exp", "logistic"])
def test_margin_loss_grad_matches_autograd(loss):
    m = torch.linspace(-30, 30, 301, dtype=torch.float64).requires_grad_()
    (g,) = torch.autograd.grad(margin_loss(loss, m).sum(), m)
    torch.testing.assert_close(margin_loss_grad(loss, m.detach()), g)


def test_norms_and_ratio():
    W = torch.tensor([[3.0, 4.0, 0.0, 1.0], [0.0, 0.0, 2.0, 2.0]])
    s, nz = signal_noise_norms(W)
    assert s == pytest.approx(5.0) and nz == pytest.approx(3.0)
    assert norm_ratio(W) == pytest.approx((3.0 / 2**0.5) / (5.0 / 2**0.5))


def test_gd_train_rejects_unknown_trainable():
    split = _split(n=5, p=10)
    with pytest.raises(ValueError, match="trainable"):
        gd_train(lambda P, x: x[:, 0], {"w": torch.zeros(1)}, ["v"], split, GDConfig(steps=1))


def test_logged_steps_log_spaced():
    cfg = GDConfig(steps=1000, log="log", per_decade=10)
    steps = sorted(cfg.logged_steps())
    assert steps[0] == 0 and steps[1] == 1 and steps[-1] == 1000 and len(steps) < 60
