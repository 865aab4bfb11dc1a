"""Transformer target: shapes, causal mask, attention against PyTorch's reference, presets, init scale."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from xorgrok.core.errors import InputError
from xorgrok.models.embedding import FullEmbedding
from xorgrok.models.transformer import PRESETS, Transformer, TransformerConfig, n_params, preset_config


def _tiny(**kw) -> TransformerConfig:
    return TransformerConfig(vocab=11, n_out=11, n_layers=2, d_embed=16, n_heads=2, d_head=8, d_mlp=32, **kw)


def test_output_shape_and_dtype():
    m = Transformer(_tiny(), generator=torch.Generator().manual_seed(0))
    x = torch.randint(0, 11, (7, 2), generator=torch.Generator().manual_seed(1))
    out = m(x)
    assert out.shape == (7, 11) and out.dtype == torch.float32


def test_attention_matches_sdpa_reference():
    """Our head split/mask/softmax against torch's scaled_dot_product_attention (is_causal)."""
    cfg = _tiny()
    m = Transformer(cfg, generator=torch.Generator().manual_seed(0))
    attn = m.blocks[0].attn
    x = torch.randn(5, 2, 16, generator=torch.Generator().manual_seed(2))

    def heads(z):
        return z.view(5, 2, 2, 8).transpose(1, 2)

    ref = F.scaled_dot_product_attention(heads(attn.q(x)), heads(attn.k(x)), heads(attn.v(x)), is_causal=True)
    ref = attn.o(ref.transpose(1, 2).reshape(5, 2, 16))
    torch.testing.assert_close(attn(x), ref, rtol=1e-5, atol=1e-6)


def test_causal_first_position_ignores_second_token():
    m = Transformer(_tiny(), generator=torch.Generator().manual_seed(0))
    x1 = torch.tensor([[3, 4]])
    x2 = torch.tensor([[3, 9]])
    h1 = m.embed(x1) + m.pos
    h2 = m.embed(x2) + m.pos
    for blk in m.blocks:
        h1, h2 = blk(h1), blk(h2)
    torch.testing.assert_close(h1[:, 0], h2[:, 0])
    assert not torch.allclose(h1[:, 1], h2[:, 1])


def test_same_generator_same_model_and_init_scale_scales_every_parameter():
    a = Transformer(_tiny(), generator=torch.Generator().manual_seed(5))
    b = Transformer(_tiny(), generator=torch.Generator().manual_seed(5))
    c = Transformer(_tiny(init_scale=0.3), generator=torch.Generator().manual_seed(5))
    for (na, pa), pb, pc in zip(a.named_parameters(), b.parameters(), c.parameters()):
        torch.testing.assert_close(pa, pb)
        torch.testing.assert_close(pc, 0.3 * pa, msg=na)


def test_linear_init_bound_is_pytorch_default():
    m = Transformer(_tiny(), generator=torch.Generator().manual_seed(0))
    w = m.blocks[0].mlp[0].weight  # fan_in 16 -> bound 0.25
    assert w.abs().max() <= 0.25 and w.abs().max() > 0.2


def test_layer_norm_variant_runs_and_has_unit_gain():
    m = Transformer(_tiny(layer_norm=True), generator=torch.Generator().manual_seed(0))
    assert torch.all(m.blocks[0].ln1.weight == 1)
    assert m(torch.tensor([[1, 2]])).shape == (1, 11)


def test_supplied_embedding_is_used_and_not_rescaled():
    emb = FullEmbedding(11, 16, generator=torch.Generator().manual_seed(3))
    before = emb.weight.detach().clone()
    m = Transformer(_tiny(init_scale=2.0), embedding=emb, generator=torch.Generator().manual_seed(0))
    assert m.embed is emb
    torch.testing.assert_close(emb.weight, before)


def test_presets_match_paper_shapes():
    p8 = preset_config("paper8")
    assert (p8.n_layers, p8.d_embed, p8.d_mlp, p8.n_heads, p8.d_head) == (8, 512, 512, 4, 128)
    gf = preset_config("grokfast")
    assert (gf.n_layers, gf.d_embed, gf.d_mlp, gf.n_heads, gf.d_head) == (2, 128, 512, 4, 32)
    assert preset_config("grokfast-mlp128").d_mlp == 128
    assert gf.style == "grokfast" and gf.layer_norm and p8.style == "nanda" and not p8.layer_norm
    # parameter count of the 2-layer GrokFast model, by hand, per layer: attention 4*128*128 weights and
    # 4*128 biases (nn.MultiheadAttention), mlp 2*128*512 + 512 + 128, two LayerNorms 2*2*128
    m = Transformer(gf)
    per_layer = 4 * 128 * 128 + 4 * 128 + 2 * 128 * 512 + 512 + 128 + 4 * 128
    assert n_params(m) == 113 * 128 + 2 * 128 + 2 * per_layer + 2 * 128 + 128 * 113
    # the Nanda-style model has bias-free attention and no LayerNorm
    m8 = Transformer(preset_config("paper8", n_layers=1, d_embed=128, d_head=32, d_mlp=512))
    assert n_params(m8) == 113 * 128 + 2 * 128 + (4 * 128 * 128 + 2 * 128 * 512 + 512 + 128) + 128 * 113
    assert set(PRESETS) >= {"paper8", "grokfast", "grokfast-mlp128"}


def _grokfast_block_by_hand(blk, x):
    """The GrokFast block written out with explicit matrices (slow reference for nn.MultiheadAttention)."""
    d = x.shape[-1]
    H = blk.attn.num_heads
    dh = d // H
    x = F.layer_norm(x, (d,), blk.ln1.weight, blk.ln1.bias)
    Wq, Wk, Wv = blk.attn.in_proj_weight.split(d)
    bq, bk, bv = blk.attn.in_proj_bias.split(d)
    n, t, _ = x.shape
    out = torch.zeros_like(x)
    for i in range(n):
        for h in range(H):
            sl = slice(h * dh, (h + 1) * dh)
            q = x[i] @ Wq[sl].T + bq[sl]
            k = x[i] @ Wk[sl].T + bk[sl]
            v = x[i] @ Wv[sl].T + bv[sl]
            for a in range(t):  # causal: position a sees positions 0..a
                w = torch.softmax(torch.stack([q[a] @ k[b] / dh**0.5 for b in range(a + 1)]), 0)
                out[i, a, sl] = sum(w[b] * v[b] for b in range(a + 1))
    x = x + out @ blk.attn.out_proj.weight.T + blk.attn.out_proj.bias
    z = F.layer_norm(x, (d,), blk.ln2.weight, blk.ln2.bias)
    return x + blk.mlp[2](F.gelu(blk.mlp[0](z)))


def test_grokfast_block_matches_hand_written_reference():
    cfg = _tiny(style="grokfast", init_scale=0.7)
    m = Transformer(cfg, generator=torch.Generator().manual_seed(0))
    blk = m.blocks[0]
    with torch.no_grad():  # non-trivial biases and gains, so every term is exercised
        for name, p in blk.named_parameters():
            if "bias" in name or "ln" in name:
                p.add_(0.1 * torch.randn(p.shape, generator=torch.Generator().manual_seed(len(name))))
    x = torch.randn(3, 2, 16, generator=torch.Generator().manual_seed(2))
    torch.testing.assert_close(blk(x), _grokfast_block_by_hand(blk, x), rtol=1e-5, atol=1e-5)


def test_grokfast_style_init_is_pytorch_default_and_causal():
    m = Transformer(_tiny(style="grokfast", init_scale=0.5), generator=torch.Generator().manual_seed(0))
    blk = m.blocks[0]
    assert torch.all(blk.attn.in_proj_bias == 0) and torch.all(blk.attn.out_proj.bias == 0)
    assert torch.all(blk.ln1.weight == 1) and torch.all(m.ln_f.weight == 1)
    bound = 0.5 * (6 / (16 + 48)) ** 0.5  # xavier_uniform of the (3d, d) in_proj, times init scale
    w = blk.attn.in_proj_weight
    assert w.abs().max() <= bound and w.abs().max() > 0.9 * bound
    h1 = m.embed(torch.tensor([[3, 4]])) + m.pos
    h2 = m.embed(torch.tensor([[3, 9]])) + m.pos
    for b in m.blocks:
        h1, h2 = b(h1), b(h2)
    torch.testing.assert_close(h1[:, 0], h2[:, 0])
    assert not torch.allclose(h1[:, 1], h2[:, 1])


def test_grokfast_style_refuses_no_layer_norm_and_bad_heads():
    with pytest.raises(InputError, match="layer_norm"):
        _tiny(style="grokfast", layer_norm=False)
    with pytest.raises(InputError, match="n_heads"):
        TransformerConfig(d_embed=16, n_heads=2, d_head=4, style="grokfast")
    with pytest.raises(InputError, match="style"):
        _tiny(style="gpt")


def test_groktransfer_embedding_installs_into_transformer():
    """The transfer API's factorised E_T = A·B drops into the target; output still (n, p)."""
    from xorgrok.transfer import groktransfer_embedding, install_embedding

    m = Transformer(_tiny(), generator=torch.Generator().manual_seed(0))
    E_W = torch.randn(11, 4, generator=torch.Generator().manual_seed(1))
    install_embedding(m, groktransfer_embedding(E_W, d_target=16, init_scale=0.5, seed=0))
    torch.testing.assert_close(m.embed.A, E_W)
    out = m(torch.tensor([[1, 2], [3, 4]]))
    assert out.shape == (2, 11)
    out.sum().backward()
    assert m.embed.A.grad is not None and m.embed.B.grad is not None
    with pytest.raises(InputError, match="does not match"):
        groktransfer_embedding(torch.randn(7, 4), d_target=16, vocab_size=11)


def test_bad_config_and_input_refused():
    with pytest.raises(InputError, match="n_layers"):
        TransformerConfig(n_layers=0)
    with pytest.raises(InputError, match="unknown config key"):
        preset_config("paper8", depth=3)
    with pytest.raises(InputError, match="preset"):
        preset_config("gpt2")
    m = Transformer(_tiny())
    with pytest.raises(InputError, match="shape"):
        m(torch.zeros(2, 3, dtype=torch.long))


def test_activation_estimate_is_above_what_a_forward_really_keeps():
    """The memory guard's estimate bounds the tensors autograd saves for the backward pass."""
    import torch

    from xorgrok.models.transformer import Transformer, preset_config, training_activation_elements

    cfg = preset_config("grokfast", n_layers=2, d_embed=32, d_mlp=64, n_heads=4, d_head=8, vocab=17, n_out=17)
    model = Transformer(cfg, generator=torch.Generator().manual_seed(0))
    x = torch.randint(0, 17, (50, 2))
    saved: list[int] = []

    def pack(t):
        saved.append(t.numel())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x).sum().backward()
    params = sum(p.numel() for p in model.parameters())
    assert sum(saved) - 2 * params <= training_activation_elements(cfg, 50)  # saved weights are not activations


def test_transformer_run_refuses_activations_that_cannot_fit(monkeypatch):
    import pytest

    from xorgrok.core import memory
    from xorgrok.core.errors import InputError
    from xorgrok.experiments.transformer import TFRunConfig, run

    monkeypatch.setattr(memory, "available_bytes", lambda: 64 << 20)  # the task fits, 0.5 GiB of activations not
    with pytest.raises(InputError, match="Transformer activations"):
        run(TFRunConfig(task="add", method="scratch", preset="grokfast", epochs=1, device="cpu"))
