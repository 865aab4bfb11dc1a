"""Decoder-only Transformer targets for two-token inputs (a, b) (GrokTransfer §4.2, App. A.3.3).

Architecture in the style of Nanda et al. (2023), "Progress measures for grokking": learned token and
position embeddings, `n_layers` residual blocks of causal multi-head attention (no biases, as Nanda's
W_Q/W_K/W_V/W_O) and a ReLU MLP, an unembedding read at the last position. LayerNorm is off by
default (Nanda's grokking model has none) and can be switched on (the GrokFast code's Decoder uses it).

The token embedding is any module mapping int64 ids (n, ctx) -> (n, ctx, d_embed); GrokTransfer swaps
in the factorised E_T = A·B of §2.2 (see `xorgrok.transfer`). Initialisation: PyTorch's default for
every parameter, multiplied by `init_scale` (the paper's "init scale", §4 general settings).

Two block styles (`style`):
- "nanda" (default): bias-free attention, ReLU MLP, `x + attn(ln1 x)`, `+ mlp(ln2 x)`; LayerNorm off by
  default (Nanda's model has none). The paper's §4 says the attention "follows Nanda et al. (2023)".
- "grokfast": the block of the GrokFast code (ironjr/grokfast `main.py`, `Block`/`Decoder`), which the paper
  names as the Fig. 8(b) target: `x = ln1(x); x = x + MHA(x)` (the residual stream is the *normalised* x,
  a quirk of that code, kept), `x = x + mlp(ln2(x))` with a GELU MLP, torch's `nn.MultiheadAttention`
  (with biases), and a final LayerNorm. LayerNorm is always on in this style.

Presets (`PRESETS`):
- "paper8": the Fig. 8(a) / Table 1 / Fig. 13-left target, 8 layers, d_embed 512, d_mlp 512, 4 heads,
  d_head 128 ("comparable to GPT2-small").
- "grokfast": the Fig. 8(b) / Fig. 16 GrokFast 2-layer target (style "grokfast"), d_embed 128, 4 heads, d_head 32,
  **d_mlp 512 (default)**. The paper gives d_mlp 512 in the main text and 128 in App. A.3.3; we default to
  512 because it agrees with the main text, with the paper's own rule "d_mlp = 4·d_embed unless stated
  otherwise", and with the GrokFast code (MLP width 4·dim). "grokfast-mlp128" is the appendix variant.
"""

from __future__ import annotations

import dataclasses
import math

import torch
from torch import nn

from xorgrok.core.config import from_dict
from xorgrok.core.errors import InputError, check_float, check_int
from xorgrok.models.embedding import EmbeddingLike, FullEmbedding


@dataclasses.dataclass
class TransformerConfig:
    vocab: int = 113  # token ids 0..vocab-1 (p for the modular tasks)
    n_out: int = 113  # output classes
    n_ctx: int = 2  # sequence length: (a, b)
    n_layers: int = 2
    d_embed: int = 128  # residual-stream width (d_model)
    n_heads: int = 4
    d_head: int = 32
    d_mlp: int = 512
    layer_norm: bool | None = None  # None: the style's default (nanda off, grokfast on)
    init_scale: float = 1.0
    style: str = "nanda"  # "nanda" | "grokfast" (see the module docstring)

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise InputError(f"transformer style must be one of {', '.join(STYLES)}; got {self.style!r}")
        if self.layer_norm is None:
            self.layer_norm = self.style == "grokfast"
        if self.style == "grokfast" and not self.layer_norm:
            raise InputError("layer_norm must be true for style 'grokfast' (the GrokFast block always normalises)")
        if self.style == "grokfast" and self.n_heads * self.d_head != self.d_embed:
            raise InputError(f"style 'grokfast' uses nn.MultiheadAttention, which needs n_heads*d_head == d_embed; "
                             f"got {self.n_heads}*{self.d_head} != {self.d_embed}")
        for name, lo in (("vocab", 2), ("n_out", 1), ("n_ctx", 1), ("n_layers", 1), ("d_embed", 1),
                         ("n_heads", 1), ("d_head", 1), ("d_mlp", 1)):
            check_int(name, getattr(self, name), lo=lo)
        check_float("init_scale", self.init_scale, 0.0, lo_open=True)


STYLES = ("nanda", "grokfast")

PRESETS: dict[str, dict] = {
    "paper8": dict(n_layers=8, d_embed=512, d_mlp=512, n_heads=4, d_head=128),
    "grokfast": dict(n_layers=2, d_embed=128, d_mlp=512, n_heads=4, d_head=32, style="grokfast"),
    "grokfast-mlp128": dict(n_layers=2, d_embed=128, d_mlp=128, n_heads=4, d_head=32, style="grokfast"),
    # 4-layer variant for the Fig. 13-right parity runs ("2-layer and 4-layer Transformers")
    "grokfast4": dict(n_layers=4, d_embed=128, d_mlp=512, n_heads=4, d_head=32, style="grokfast"),
}


def preset_config(name: str, **overrides) -> TransformerConfig:
    """A preset from PRESETS with keyword overrides (unknown keys rejected)."""
    if name not in PRESETS:
        raise InputError(f"transformer preset must be one of {', '.join(PRESETS)}; got {name!r}")
    return from_dict(TransformerConfig, {**PRESETS[name], **overrides})


class Attention(nn.Module):
    """Causal multi-head attention without biases (Nanda et al. 2023)."""

    mask: torch.Tensor  # a buffer

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.n_heads, self.d_head = cfg.n_heads, cfg.d_head
        d_attn = cfg.n_heads * cfg.d_head
        self.q = nn.Linear(cfg.d_embed, d_attn, bias=False)
        self.k = nn.Linear(cfg.d_embed, d_attn, bias=False)
        self.v = nn.Linear(cfg.d_embed, d_attn, bias=False)
        self.o = nn.Linear(d_attn, cfg.d_embed, bias=False)
        self.register_buffer("mask", torch.tril(torch.ones(cfg.n_ctx, cfg.n_ctx, dtype=torch.bool)),
                             persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, _ = x.shape  # x: (n, ctx, d_embed)

        def heads(z: torch.Tensor) -> torch.Tensor:  # (n, ctx, H*dh) -> (n, H, ctx, dh)
            return z.view(n, t, self.n_heads, self.d_head).transpose(1, 2)

        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d_head)  # (n, H, ctx, ctx)
        scores = scores.masked_fill(~self.mask[:t, :t], float("-inf"))
        z = scores.softmax(-1) @ v  # (n, H, ctx, dh)
        return self.o(z.transpose(1, 2).reshape(n, t, self.n_heads * self.d_head))  # (n, ctx, d_embed)


class Block(nn.Module):
    """x + attn(x), then + mlp(.) ; optional pre-LayerNorm."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.attn = Attention(cfg)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_embed, cfg.d_mlp), nn.ReLU(), nn.Linear(cfg.d_mlp, cfg.d_embed))
        self.ln1 = nn.LayerNorm(cfg.d_embed) if cfg.layer_norm else nn.Identity()
        self.ln2 = nn.LayerNorm(cfg.d_embed) if cfg.layer_norm else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (n, ctx, d_embed) -> same
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GrokFastBlock(nn.Module):
    """The GrokFast code's block: x <- ln1(x); x <- x + MHA(x) (causal); x <- x + mlp(ln2(x)), GELU MLP."""

    mask: torch.Tensor  # a buffer

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_embed)
        self.ln2 = nn.LayerNorm(cfg.d_embed)
        self.attn = nn.MultiheadAttention(cfg.d_embed, cfg.n_heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_embed, cfg.d_mlp), nn.GELU(), nn.Linear(cfg.d_mlp, cfg.d_embed))
        self.register_buffer("mask", torch.triu(torch.full((cfg.n_ctx, cfg.n_ctx), float("-inf")), diagonal=1),
                             persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (n, ctx, d_embed) -> same
        t = x.shape[1]
        x = self.ln1(x)  # the residual continues from the normalised x, as in the GrokFast code
        a, _ = self.attn(x, x, x, attn_mask=self.mask[:t, :t], need_weights=False)
        x = x + a
        return x + self.mlp(self.ln2(x))


class Transformer(nn.Module):
    """f(a, b) -> logits over n_out classes, read at the last position.

    `embedding`: optional token-embedding module (ids (n, ctx) -> (n, ctx, d_embed)), e.g. the
    GrokTransfer `FactorisedEmbedding`; default a fresh `FullEmbedding(vocab, d_embed)` (N(0, 1), as
    nn.Embedding). It lives at attribute `embed`, so `xorgrok.transfer.install_embedding` can swap it.
    A supplied module is NOT rescaled by init_scale: its initialisation is the transfer API's business.
    """

    embed: EmbeddingLike

    def __init__(self, cfg: TransformerConfig, embedding: EmbeddingLike | None = None,
                 generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.cfg = cfg
        own_embed = embedding is None
        self.embed = embedding if embedding is not None else FullEmbedding(cfg.vocab, cfg.d_embed)
        self.pos = nn.Parameter(torch.empty(cfg.n_ctx, cfg.d_embed))
        block = GrokFastBlock if cfg.style == "grokfast" else Block
        self.blocks = nn.ModuleList(block(cfg) for _ in range(cfg.n_layers))
        self.ln_f = nn.LayerNorm(cfg.d_embed) if cfg.layer_norm else nn.Identity()
        self.unembed = nn.Linear(cfg.d_embed, cfg.n_out, bias=False)
        self._init(generator, own_embed)

    @torch.no_grad()
    def _init(self, gen: torch.Generator | None, own_embed: bool) -> None:
        """PyTorch default init drawn from `gen` (reproducible without global seeding), times init_scale."""
        for name, p in self.named_parameters():
            if not own_embed and name.startswith("embed."):
                continue
            if name.endswith("ln1.weight") or name.endswith("ln2.weight") or name.startswith("ln_f.weight"):
                p.fill_(1.0)  # LayerNorm gain: default 1, not rescaled
                continue
            if ".ln" in name or name.startswith("ln_f"):
                p.zero_()
                continue
            if name in ("embed.weight", "pos"):
                p.normal_(0.0, 1.0, generator=gen)  # nn.Embedding default N(0, 1)
            elif name.endswith("attn.in_proj_weight"):
                nn.init.xavier_uniform_(p, generator=gen)  # nn.MultiheadAttention's own default
            elif name.endswith("attn.in_proj_bias") or name.endswith("attn.out_proj.bias"):
                p.zero_()  # nn.MultiheadAttention's own default
            else:
                # nn.Linear default: kaiming_uniform(a=sqrt 5) == U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for
                # weights, and the same bound for biases
                fan_in = p.shape[1] if p.dim() == 2 else self._bias_fan_in(name)
                bound = 1.0 / math.sqrt(fan_in)
                p.uniform_(-bound, bound, generator=gen)
            p.mul_(self.cfg.init_scale)

    def _bias_fan_in(self, name: str) -> int:
        weight = dict(self.named_parameters())[name[: -len("bias")] + "weight"]
        return int(weight.shape[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2 or x.shape[1] > self.cfg.n_ctx:
            raise InputError(f"Transformer input must be int64 ids of shape (n, <= {self.cfg.n_ctx}), "
                             f"got {tuple(x.shape)}")
        t = x.shape[1]
        h = self.embed(x) + self.pos[:t]  # (n, ctx, d_embed)
        for blk in self.blocks:
            h = blk(h)
        return self.unembed(self.ln_f(h[:, -1]))  # (n, n_out)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def training_activation_elements(cfg: TransformerConfig, n_examples: int) -> int:
    """About how many floats one full-batch forward keeps for the backward pass (an estimate for the
    memory guard, on the high side): per layer and position the residual stream, LayerNorm outputs, q/k/v,
    the attention output and the MLP's hidden pre- and post-activations, plus the attention patterns,
    and the logits."""
    per_layer = cfg.n_ctx * (8 * cfg.d_embed + 4 * cfg.n_heads * cfg.d_head + 2 * cfg.d_mlp
                             + 2 * cfg.n_heads * cfg.n_ctx)
    return int(n_examples) * (cfg.n_layers * per_layer + cfg.n_ctx * (cfg.d_embed + cfg.n_out))
