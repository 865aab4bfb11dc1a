"""Fig. 4(a)'s streamed engine against the dense Gram-space engine on the same data and the same W0."""

import numpy as np
import torch

from xorgrok.core.seeding import derive
from xorgrok.data.xor import sample_hypercube
from xorgrok.data.xor_stream import gram_of_explicit
from xorgrok.experiments.normal_large import streamed_state, streamed_w0
from xorgrok.experiments.xor import NormalConfig
from xorgrok.models.two_layer import TwoLayerParams
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.gram import gram_train


def test_streamed_normal_run_equals_dense_run_on_the_same_data_and_w0():
    cfg = NormalConfig(n=30, p=1500, m=16, steps=40, n_test=20)
    seed = 3
    st, params, split, _ = streamed_state(cfg, seed, block_words=3, w_block_words=2)
    tr = sample_hypercube(cfg.n, cfg.p, cfg.eps, derive(seed, "train"), dtype=torch.float64)
    te = sample_hypercube(cfg.n_test, cfg.p, cfg.eps, derive(seed, "test"), dtype=torch.float64)
    X = torch.cat([tr.x, te.x]).numpy()
    G_ex = gram_of_explicit(X, cfg.eps)
    assert np.array_equal(st.G.numpy(), G_ex[:30, :30]) and np.array_equal(st.Gt.numpy(), G_ex[:30, 30:])
    W0 = torch.from_numpy(streamed_w0(cfg.m, cfg.p, seed, block_words=2))
    assert W0.shape == (16, 1500) and float(W0.abs().max()) <= 1 / 1500**0.5
    assert np.allclose(st.P0.numpy(), (W0 @ tr.x.T).numpy(), rtol=1e-12, atol=1e-14)
    assert abs(st.w0_sq - float((W0 * W0).sum())) <= 1e-12 * st.w0_sq
    gd = GDConfig(steps=cfg.steps, lr=cfg.lr, weight_decay=cfg.weight_decay, loss="exp", log="every",
                  keep_train_logits=True)
    a = gram_train(params, split, gd, state=st)
    b = gram_train(TwoLayerParams(W0, params.a), Split(tr.x, tr.y, te.x, te.y), gd)
    assert torch.equal(split.y_train, tr.y) and torch.equal(split.y_test, te.y)
    diff = max(float((u - v).abs().max() / v.abs().max()) for u, v in zip(a.train_logits, b.train_logits))
    assert diff <= 1e-10
    assert a.history.to_dict()["test_acc"] == b.history.to_dict()["test_acc"]
