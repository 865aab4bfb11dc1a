"""The CUDA code path: each engine on the GPU against its CPU result, and the device-index check.

Runs only where CUDA is available (skipped otherwise, with the reason). Every comparison builds the inputs
and the initial weights on the CPU, copies them to the device, runs the same engine on both and compares:
float64 to 1e-9 relative (the kernels differ, the arithmetic must not), float32 to 1e-4 (summation order).
Set XORGROK_CUDA_TEST_DEVICE=cpu to run the comparisons CPU-against-CPU, a check of the tests' own code on
a machine without a GPU (the device-index test stays CUDA-only).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest
import torch

from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError
from xorgrok.data.modular import make_modular
from xorgrok.data.xor import sample_hypercube
from xorgrok.models.fnn import FNN, FNNConfig
from xorgrok.models.transformer import Transformer, preset_config
from xorgrok.models.two_layer import TwoLayerConfig, TwoLayerParams, init_two_layer
from xorgrok.train.gd import GDConfig, Split
from xorgrok.train.gram import gram_train
from xorgrok.train.loop import LoopConfig, train_full_batch

OTHER = os.environ.get("XORGROK_CUDA_TEST_DEVICE", "cuda")
pytestmark = pytest.mark.skipif(
    OTHER.startswith("cuda") and not torch.cuda.is_available(),
    reason="CUDA is not available on this machine; these tests compare each engine on the GPU with its CPU result",
)
TOL = {torch.float64: 1e-9, torch.float32: 1e-4}
DTYPES = [torch.float64, torch.float32]


def _rel(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.detach().cpu().double(), b.detach().cpu().double()
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-30))


@pytest.mark.parametrize("dtype", DTYPES)
def test_gram_engine_on_device_matches_cpu(dtype):
    tr = sample_hypercube(60, 300, 0.05, seed=1, dtype=dtype)
    te = sample_hypercube(40, 300, 0.05, seed=2, dtype=dtype)
    p0 = init_two_layer(TwoLayerConfig(m=32, init="torch"), 300, seed=3, dtype=dtype)
    cfg = GDConfig(steps=20, lr=0.1, weight_decay=0.1, loss="exp", log="every", keep_train_logits=True)
    cpu = gram_train(p0, Split(tr.x, tr.y, te.x, te.y), cfg)
    dev = pick_device(OTHER)
    p0d = TwoLayerParams(p0.W.to(dev), p0.a.to(dev))
    gpu = gram_train(p0d, Split(tr.x.to(dev), tr.y.to(dev), te.x.to(dev), te.y.to(dev)), cfg)
    assert gpu.params is not None and cpu.params is not None
    assert gpu.params["W"].device.type == dev.type
    for name in ("W", "a"):
        assert _rel(gpu.params[name], cpu.params[name]) < TOL[dtype], name
    for lc, lg in zip(cpu.train_logits, gpu.train_logits):
        assert _rel(lg, lc) < TOL[dtype]
    for key in ("train_loss", "test_loss", "w_norm"):
        assert _rel(torch.tensor(gpu.history.values[key]), torch.tensor(cpu.history.values[key])) < TOL[dtype], key


def _fnn(task):
    cfg = FNNConfig(vocab_size=task.meta["vocab_size"], d_embed=8, width=32, n_layers=2, n_out=task.n_classes,
                    n_tokens=task.meta["n_tokens"])
    return FNN(cfg, init_scale=1.0, seed=0)


def _transformer(task):
    cfg = preset_config("paper8", vocab=23, n_out=23, n_layers=2, d_embed=32, d_mlp=32, n_heads=2, d_head=16)
    return Transformer(cfg)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("build", [_fnn, _transformer], ids=["fnn", "transformer"])
def test_adamw_loop_on_device_matches_cpu(build, dtype):
    task = make_modular(23, "add", 0.5, 0)
    model = build(task).to(dtype)
    dev_model = copy.deepcopy(model)
    loop = LoopConfig(epochs=15, lr=1e-3, weight_decay=1.0, eval_every=5)
    cpu = train_full_batch(model, task, loop)
    dev = pick_device(OTHER)
    gpu = train_full_batch(dev_model.to(dev), task.to(dev), loop)
    assert next(dev_model.parameters()).device.type == dev.type
    for key in ("train_loss", "test_loss", "weight_norm"):
        assert _rel(torch.tensor(gpu.history.values[key]), torch.tensor(cpu.history.values[key])) < TOL[dtype], key
    for (name, pc), pg in zip(model.named_parameters(), dev_model.parameters()):
        assert _rel(pg, pc) < 10 * TOL[dtype], name
    assert gpu.train_s > 0 and gpu.epochs_run == 15


@pytest.mark.parametrize("dtype", DTYPES)
def test_transformer_forward_on_device_matches_cpu(dtype):
    model = Transformer(preset_config("paper8", vocab=113, n_out=113, n_layers=2, d_embed=64, d_mlp=64, n_heads=4,
                                      d_head=16)).to(dtype).eval()
    x = torch.randint(0, 113, (64, 2), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        want = model(x)
        dev = pick_device(OTHER)
        got = copy.deepcopy(model).to(dev)(x.to(dev))
    assert got.device.type == dev.type and got.shape == want.shape
    assert _rel(got, want) < TOL[dtype]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="the device-index check needs CUDA (on CPU every cuda:K "
                    "is refused as 'CUDA not available', a different check)")
def test_device_index_beyond_the_device_count_is_a_one_line_error():
    k = torch.cuda.device_count()
    pick_device(f"cuda:{k - 1}")  # the last real device is accepted
    with pytest.raises(InputError, match="--device"):
        pick_device(f"cuda:{k}")
    res = subprocess.run([sys.executable, "-m", "xorgrok", "bench", "--n", "10", "--p", "20", "--m", "4",
                          "--steps", "1", "--device", f"cuda:{k}"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 2, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--device" in lines[0] and "Traceback" not in res.stderr
