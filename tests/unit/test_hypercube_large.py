"""The streamed GrokTransfer chain against the explicit engine at a p where both run."""

from __future__ import annotations

import dataclasses

import numpy as np
import torch

from xorgrok.core.seeding import derive
from xorgrok.data.xor import project_hypercube
from xorgrok.data.xor_stream import RowSet, project_rows
from xorgrok.experiments.hypercube_large import LargeChainConfig, chain, engine_agreement, train_weak_streamed


def test_streamed_chain_agrees_with_explicit_engine():
    out = engine_agreement(n=40, p=2000, steps=200)
    assert out["data_bitwise_equal"] and out["gram_bitwise_equal"] and out["same_train_acc_curve"]
    assert out["trajectory_max_rel_logit_diff"] <= 1e-10 and out["U_max_rel_diff"] <= 1e-10


def test_fresh_projection_equals_core_projection():
    p = 1500
    U = np.random.default_rng(3).standard_normal((p, 3))
    seed = derive(0, "transfer-eval")
    ours = project_rows(RowSet(50, seed), p, 0.05, U, block_words=4)
    core = project_hypercube(torch.from_numpy(U), 50, 0.05, seed).z.numpy()
    assert np.allclose(ours, core, rtol=1e-12, atol=1e-12)


def test_chain_runs_and_pfree_weak_net_records_its_engine():
    out = chain(LargeChainConfig(n=40, p=3000, weak_steps=100, n_fresh=200, device="cpu"))
    assert 0 <= out["target_fresh_acc"] <= 1 and out["engine"].startswith("streamed-gram, explicit W0")
    assert out["weak_finite"] is True
    w = train_weak_streamed(LargeChainConfig(n=40, p=3000, weak_steps=50, init="pfree", device="cpu"))
    assert "pfree-gaussian-P0" in w.engine and w.W0 is None


def test_weak_lr_rule_keeps_the_paper_setting_and_scales_lr_eps2p_above_it():
    from xorgrok.experiments.hypercube_large import weak_lr_rule

    assert weak_lr_rule(80_000, 0.05) == 0.1 and weak_lr_rule(2000, 0.05) == 0.1
    assert weak_lr_rule(800_000, 0.05) == 0.1  # eps^2 p = 2000: still the paper's lr
    assert abs(weak_lr_rule(10**7, 0.05) * 0.05**2 * 10**7 - 200.0) < 1e-9
    assert LargeChainConfig(p=10**7).lr < 0.1 and LargeChainConfig(p=10**7, weak_lr=0.3).lr == 0.3


def test_signal_normalised_embedding_equals_explicit_product():
    """The chain's p-free z = XU after normalising U equals the dense X @ normalize_signal(U)."""
    from xorgrok.data.xor import sample_hypercube
    from xorgrok.experiments.hypercube_large import embed_training_set, form_U
    from xorgrok.theory.target_form import normalize_signal

    cfg = LargeChainConfig(n=40, p=2000, weak_steps=100, device="cpu", normalize="signal")
    w = train_weak_streamed(cfg)
    U_raw = form_U(cfg, w)
    U, z = embed_training_set(cfg, w, U_raw.copy())
    want_U = normalize_signal(torch.from_numpy(U_raw)).numpy()
    X = sample_hypercube(cfg.n, cfg.p, cfg.eps, derive(cfg.seed, "train"), dtype=torch.float64).x.numpy()
    assert np.allclose(U, want_U, rtol=1e-12, atol=0)
    assert np.allclose(np.linalg.norm(U[:2], axis=0), np.sqrt(2), rtol=1e-12)
    assert np.allclose(z.numpy(), X @ want_U, rtol=1e-9, atol=1e-9 * np.abs(X @ want_U).max())
    _, z_raw = embed_training_set(dataclasses.replace(cfg, normalize="none"), w, U_raw.copy())
    assert np.allclose(z_raw.numpy(), X @ U_raw, rtol=1e-9, atol=1e-9 * np.abs(X @ U_raw).max())


def test_weak_init_scale_is_the_configured_one():
    a = train_weak_streamed(LargeChainConfig(n=20, p=1000, weak_steps=1, device="cpu"))
    b = train_weak_streamed(LargeChainConfig(n=20, p=1000, weak_steps=1, device="cpu", weak_w_std=0.05))
    assert a.W0 is not None and b.W0 is not None
    assert torch.allclose(b.W0, 0.5 * a.W0, rtol=1e-6)  # same draws, half the scale
