"""Lemma 3.1's orbit argument on the model itself: on {x, −x, x′, −x′} (x′ flips x₂, so y′ = −y) no
bias-free 3-neuron ReLU net classifies more than 3 of the 4 points correctly."""

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from xorgrok.models.two_layer import two_layer_forward

floats = st.floats(min_value=-5, max_value=5, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(W=st.lists(floats, min_size=3 * 6, max_size=3 * 6), a=st.lists(floats, min_size=3, max_size=3),
       noise=st.lists(st.sampled_from([-0.3, 0.3]), min_size=4, max_size=4),
       s=st.tuples(st.sampled_from([-1.0, 1.0]), st.sampled_from([-1.0, 1.0])))
def test_three_neurons_get_at_most_three_of_each_orbit(W, a, noise, s):
    Wt = torch.tensor(W, dtype=torch.float64).reshape(3, 6)
    at = torch.tensor(a, dtype=torch.float64)
    x = torch.tensor([s[0], s[1], *noise], dtype=torch.float64)
    xp = x.clone()
    xp[1] = -xp[1]
    X = torch.stack([x, -x, xp, -xp])
    y = X[:, 0] * X[:, 1]
    correct = (torch.sign(two_layer_forward(Wt, at, X)) == y).sum()
    assert int(correct) <= 3


def test_three_feature_neurons_reach_exactly_three():
    """The bound is attained: three feature neurons get 3 of 4 on the orbit of a +μ₁ point."""
    Wt = torch.tensor([[-1.0, 1.0, 0, 0], [1.0, -1.0, 0, 0], [-1.0, -1.0, 0, 0]], dtype=torch.float64)
    at = torch.tensor([-1.0, -1.0, 1.0], dtype=torch.float64)
    x = torch.tensor([1.0, 1.0, 0.1, -0.1], dtype=torch.float64)
    xp = x.clone()
    xp[1] = -1.0
    X = torch.stack([x, -x, xp, -xp])
    assert int((torch.sign(two_layer_forward(Wt, at, X)) == X[:, 0] * X[:, 1]).sum()) == 3
