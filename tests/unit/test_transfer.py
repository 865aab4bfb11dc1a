"""The GrokTransfer API: E_T = A·B with A = E_W, the ablations, merge, shape checks."""

import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.experiments.common import swap_in_optimizer
from xorgrok.models.embedding import FactorisedEmbedding, FullEmbedding
from xorgrok.models.fnn import FNN, MODULAR_TARGET, MODULAR_WEAK, FNNConfig
from xorgrok.transfer import (
    check_vocab,
    groktransfer_embedding,
    install_embedding,
    merge_embedding,
    random_factorised_embedding,
    weak_embedding,
)


def _target_with_transfer(p=13, d=16, seed=0):
    weak = FNN(MODULAR_WEAK(p), seed=seed)
    target = FNN(FNNConfig(p, d, 32, 3, p), init_scale=0.3, seed=seed)
    install_embedding(target, groktransfer_embedding(weak_embedding(weak), d, init_scale=0.3, seed=seed))
    return weak, target


def test_A_is_the_weak_embedding_copied_and_B_random():
    weak, target = _target_with_transfer()
    emb = target.embed
    assert isinstance(emb, FactorisedEmbedding) and emb.rank == 4 and emb.dim == 16
    assert torch.equal(emb.A.detach(), weak.embed.weight.detach())
    assert emb.A.data_ptr() != weak.embed.weight.data_ptr()  # a copy: training A leaves the weak model alone
    assert emb.A.requires_grad and emb.B.requires_grad
    assert emb.B.abs().max().item() <= 0.3 / 2 + 1e-7  # U(±1/√d_W) × init with d_W = 4
    assert torch.linalg.matrix_rank(emb.table().detach()) <= 4


def test_factorised_lookup_and_projection_match_the_table():
    emb = random_factorised_embedding(10, 3, 6, seed=1)
    tok = torch.tensor([[0, 9], [4, 4]])
    torch.testing.assert_close(emb(tok), emb.table()[tok])
    x = torch.randn(5, 10)
    torch.testing.assert_close(emb.project(x), x @ emb.table())


def test_gradients_of_A_and_B_match_closed_form():
    """For L = <G, A·B>: dL/dA = G Bᵀ and dL/dB = Aᵀ G (autograd against the closed form)."""
    emb = random_factorised_embedding(7, 2, 5, seed=2)
    G = torch.randn(7, 5, generator=torch.Generator().manual_seed(0))
    (emb.table() * G).sum().backward()
    torch.testing.assert_close(emb.A.grad, G @ emb.B.detach().T)
    torch.testing.assert_close(emb.B.grad, emb.A.detach().T @ G)


def test_merge_keeps_the_function_and_gives_a_full_table():
    _, target = _target_with_transfer()
    x = torch.randint(0, 13, (30, 2), generator=torch.Generator().manual_seed(1))
    before = target(x).detach()
    table = target.embed.table().detach()
    full = merge_embedding(target)
    assert isinstance(target.embed, FullEmbedding) and target.embed is full
    torch.testing.assert_close(full.weight.detach(), table)
    torch.testing.assert_close(target(x).detach(), before)
    with pytest.raises(InputError, match="factorised"):
        merge_embedding(target)


def test_vocab_mismatch_is_refused_with_both_shapes():
    weak = FNN(MODULAR_WEAK(97))
    with pytest.raises(InputError, match=r"\(97, 4\).*113"):
        groktransfer_embedding(weak_embedding(weak), 128, vocab_size=113)
    with pytest.raises(InputError, match=r"\(97, 4\)"):
        check_vocab(weak_embedding(weak), 113)
    target = FNN(MODULAR_TARGET(113))
    with pytest.raises(InputError, match=r"\(97, 128\).*\(113, 128\)"):
        install_embedding(target, groktransfer_embedding(weak_embedding(weak), 128))


def test_full_rank_transfer():
    weak = FNN(FNNConfig(13, 16, 16, 2, 13), seed=0)
    emb = groktransfer_embedding(weak_embedding(weak), 16, seed=0)
    assert emb.rank == emb.dim == 16
    assert torch.equal(emb.A.detach(), weak.embed.weight.detach())


def test_random_ab_differs_from_transfer_only_in_A():
    """Same seed: the ablation's B is GrokTransfer's B exactly; A is a fresh N(0,1)·init draw, not E_W."""
    for seed in (0, 3, 11):
        weak, target = _target_with_transfer(seed=seed)
        rnd = random_factorised_embedding(13, 4, 16, init_scale=0.3, seed=seed)
        assert rnd.A.shape == target.embed.A.shape and rnd.B.shape == target.embed.B.shape
        assert torch.equal(rnd.B.detach(), target.embed.B.detach())
        assert not torch.allclose(rnd.A.detach(), target.embed.A.detach())
        assert not torch.allclose(rnd.A.detach(), weak.embed.weight.detach())
        assert abs(rnd.A.detach().std().item() - 0.3) < 0.1
    # and B does depend on the seed (the equality above is not two constant tensors)
    b0, b1 = (random_factorised_embedding(13, 4, 16, seed=s).B for s in (0, 1))
    assert not torch.equal(b0, b1)


def test_random_ab_target_differs_from_groktransfer_target_only_in_A():
    """The experiment-level ablation (Fig. 15(a)): same body, same B, only A differs, for one seed."""
    from xorgrok.experiments.fnn import build_target, make_task
    from xorgrok.experiments.presets import fnn_preset

    for seed in (0, 3):
        gt_cfg = fnn_preset("add", "groktransfer", quick=True, seed=seed)
        ab_cfg = fnn_preset("add", "random_ab", quick=True, seed=seed)
        task = make_task(gt_cfg)
        E_W = torch.randn(task.meta["vocab_size"], gt_cfg.weak.d_embed, generator=torch.Generator().manual_seed(9))
        gt, ab = build_target(gt_cfg, task, E_W), build_target(ab_cfg, task, None)
        assert torch.equal(gt.embed.B.detach(), ab.embed.B.detach())
        assert torch.equal(gt.embed.A.detach(), E_W) and not torch.allclose(ab.embed.A.detach(), E_W)
        for w_gt, w_ab in zip(gt.body.weights, ab.body.weights, strict=True):
            assert torch.equal(w_gt.detach(), w_ab.detach())


def test_swap_in_optimizer_keeps_other_state():
    _, target = _target_with_transfer()
    opt = torch.optim.AdamW(target.parameters(), lr=1e-3)
    x = torch.randint(0, 13, (8, 2))
    target(x).sum().backward()
    opt.step()
    old = [target.embed.A, target.embed.B]
    body_state = opt.state[target.body.weights[0]]["exp_avg"].clone()
    full = merge_embedding(target)
    swap_in_optimizer(opt, old, [full.weight])
    ids = {id(p) for g in opt.param_groups for p in g["params"]}
    assert id(full.weight) in ids and not ({id(p) for p in old} & ids)
    assert all(id(p) not in {id(q) for q in old} for p in opt.state)
    assert torch.equal(opt.state[target.body.weights[0]]["exp_avg"], body_state)
    target.zero_grad()
    target(x).sum().backward()
    opt.step()  # runs with the new parameter
