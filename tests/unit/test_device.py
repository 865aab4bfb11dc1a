"""pick_device: the CUDA index is checked against the device count, on any machine.

CUDA presence is monkeypatched so that the index check runs (and can fail) on a CPU-only machine too.
"""

from __future__ import annotations

import pytest
import torch

from xorgrok.core.device import pick_device
from xorgrok.core.errors import InputError


@pytest.fixture
def one_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)


def test_index_past_device_count_is_input_error(one_gpu):
    with pytest.raises(InputError) as e:
        pick_device("cuda:7")
    msg = str(e.value)
    assert "--device" in msg and "cuda:7" in msg and "1 CUDA device" in msg and "cuda:0" in msg
    assert "\n" not in msg


def test_valid_cuda_names_pass_the_check(one_gpu):
    assert pick_device("cuda:0") == torch.device("cuda:0")
    assert pick_device("cuda") == torch.device("cuda")
    assert pick_device("auto") == torch.device("cuda")


def test_range_named_for_several_devices(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 4)
    assert pick_device("cuda:3") == torch.device("cuda:3")
    with pytest.raises(InputError, match="cuda:0 to cuda:3"):
        pick_device("cuda:4")


def test_no_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device("auto") == torch.device("cpu")
    assert pick_device(None) == torch.device("cpu")
    with pytest.raises(InputError, match="not available"):
        pick_device("cuda:0")


@pytest.mark.parametrize("bad", ["gpu", "cuda:x", "mps", ""])
def test_unknown_names(bad):
    with pytest.raises(InputError, match="--device must be"):
        pick_device(bad)
