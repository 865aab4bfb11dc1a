"""The (A5) width and the proof's normalised U, against brute force."""

import math

import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.theory.target_form import a5_width, normalize_signal


@pytest.mark.parametrize("n", [2, 3, 10, 60, 400, 1600, 10_000])
def test_a5_width_is_the_smallest_m_meeting_a5(n):
    m = a5_width(n)
    bound = 2 * math.log(n) ** 3
    assert m >= bound and m - 1 < bound
    assert a5_width(400) == 431  # the paper's n


def test_normalize_signal_gives_signal_norm_sqrt2_and_scales_noise_alike():
    g = torch.Generator().manual_seed(0)
    U = torch.randn(50, 3, generator=g, dtype=torch.float64)
    V = normalize_signal(U)
    assert torch.allclose(V[:2].norm(dim=0), torch.full((3,), math.sqrt(2), dtype=torch.float64))
    scale = V[:, 0] / U[:, 0]
    assert torch.allclose(scale, scale[0].expand_as(scale))  # one factor per column, noise included


def test_normalize_signal_refuses_a_zero_signal_column():
    U = torch.zeros(5, 2)
    U[2:, 1] = 1.0
    U[:2, 0] = 1.0
    with pytest.raises(InputError, match="zero signal"):
        normalize_signal(U)
