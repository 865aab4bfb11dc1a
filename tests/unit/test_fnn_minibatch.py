"""The mini-batch target loop: with one batch covering the training set it is the full-batch loop."""

import dataclasses

import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.core.seeding import torch_gen
from xorgrok.experiments.fnn import build_target, make_task, train_minibatch
from xorgrok.experiments.presets import quick_config
from xorgrok.train.loop import LoopConfig, train_full_batch


def _setup():
    cfg = quick_config("add", "scratch", d_embed=8, width=16)
    task = make_task(cfg)
    return cfg, task, LoopConfig(epochs=12, lr=cfg.lr, weight_decay=cfg.weight_decay, eval_every=3)


def test_one_batch_equals_full_batch():
    cfg, task, loop = _setup()
    a, b = build_target(cfg, task, None), build_target(cfg, task, None)
    full = train_full_batch(a, task, loop)
    mini = train_minibatch(b, task, loop, task.x_train.shape[0], torch_gen(0, "fnn-target", "batch-order"))
    assert full.history.steps == mini.history.steps
    assert full.history.values["train_loss"] == pytest.approx(mini.history.values["train_loss"], rel=1e-6)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.allclose(p, q, atol=1e-6)


def test_small_batches_take_different_steps():
    cfg, task, loop = _setup()
    a, b = build_target(cfg, task, None), build_target(cfg, task, None)
    train_full_batch(a, task, loop)
    train_minibatch(b, task, loop, 64, torch_gen(0, "fnn-target", "batch-order"))
    assert any(not torch.allclose(p, q, atol=1e-4) for p, q in zip(a.parameters(), b.parameters()))


def test_batch_size_refused_where_not_implemented():
    cfg = quick_config("add", "grokfast")
    with pytest.raises(InputError, match="batch_size"):
        dataclasses.replace(cfg, batch_size=64)
