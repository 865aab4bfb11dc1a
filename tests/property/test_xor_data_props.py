"""Property tests of the XOR simulators (GrokTransfer §3.1, Xu et al. 2024 Def. 2.1)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from xorgrok.core.errors import InputError
from xorgrok.data.xor import (
    CLUSTER_LABEL,
    CLUSTER_SIGNAL,
    _hypercube_blocks,
    project_hypercube,
    sample_gaussian_clusters,
    sample_hypercube,
)

dims = st.integers(min_value=3, max_value=300)
ns = st.integers(min_value=1, max_value=60)
epss = st.floats(min_value=1e-3, max_value=3.0, allow_nan=False)
seeds = st.integers(min_value=0, max_value=2**40)


@settings(max_examples=40, deadline=None)
@given(n=ns, p=dims, eps=epss, seed=seeds)
def test_hypercube_structure(n, p, eps, seed):
    d = sample_hypercube(n, p, eps, seed)
    assert d.x.shape == (n, p) and d.y.shape == (n,) and d.cluster.shape == (n,)
    assert d.x.dtype == torch.float32
    # label y = x1 x2 exactly
    assert torch.equal(d.y, d.x[:, 0] * d.x[:, 1])
    # signal in {±1}, noise exactly ±eps (as float32)
    assert set(d.x[:, :2].unique().tolist()) <= {-1.0, 1.0}
    e32 = float(np.float32(eps))
    assert set(d.x[:, 2:].unique().tolist()) <= {-e32, e32}
    # cluster ids agree with the signal and label tables
    assert torch.equal(d.x[:, :2], torch.from_numpy(CLUSTER_SIGNAL[d.cluster.numpy()]).float())
    assert torch.equal(d.y, torch.from_numpy(CLUSTER_LABEL[d.cluster.numpy()]).float())


@settings(max_examples=25, deadline=None)
@given(n=ns, p=dims, eps=epss, seed=seeds)
def test_hypercube_deterministic_and_seed_sensitive(n, p, eps, seed):
    a = sample_hypercube(n, p, eps, seed)
    b = sample_hypercube(n, p, eps, seed)
    assert torch.equal(a.x, b.x)
    c = sample_hypercube(n, p, eps, seed + 1)
    if n * (p - 2) >= 64:  # two different seeds agreeing on >= 64 random signs has prob <= 2^-64
        assert not torch.equal(a.x, c.x)


@settings(max_examples=20, deadline=None)
@given(n=ns, p=dims, seed=seeds, block=st.integers(1, 70))
def test_blocks_do_not_change_values(n, p, seed, block):
    full = sample_hypercube(n, p, 0.5, seed, dtype=torch.float64).x.numpy()
    parts = np.concatenate([b for _, b in _hypercube_blocks(n, p, 0.5, seed, np.dtype(np.float64), block=block)])
    assert np.array_equal(full, parts)


def test_labels_do_not_depend_on_p():
    assert torch.equal(sample_hypercube(50, 10, 0.1, 7).y, sample_hypercube(50, 5000, 0.1, 7).y)


def test_float64_on_request():
    d = sample_hypercube(5, 10, 0.05, 0, dtype=torch.float64)
    assert d.x.dtype == torch.float64 and set(d.x[:, 2:].abs().unique().tolist()) == {0.05}


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 300), p=st.integers(3, 400), k=st.integers(1, 4), seed=seeds,
       block=st.integers(1, 128))
def test_projection_equals_materialised_product(n, p, k, seed, block):
    g = torch.Generator().manual_seed(seed % 2**31)
    U = torch.randn(p, k, generator=g, dtype=torch.float64)
    ref = sample_hypercube(n, p, 0.3, seed, dtype=torch.float64)
    pr = project_hypercube(U, n, 0.3, seed, block=block)
    torch.testing.assert_close(pr.z, ref.x @ U, rtol=1e-10, atol=1e-10)
    assert torch.equal(pr.y, ref.y) and torch.equal(pr.cluster, ref.cluster)


def test_cluster_and_label_frequencies():
    d = sample_hypercube(40_000, 3, 0.1, 3)
    freq = np.bincount(d.cluster.numpy(), minlength=4) / 40_000
    # each cluster has prob 1/4: 5 sigma = 5*sqrt(.25*.75/4e4) ~ 0.011
    assert np.all(np.abs(freq - 0.25) < 0.011)


def test_gaussian_cluster_statistics():
    n, p, mu, eta = 8000, 50, 3.0, 0.1
    d = sample_gaussian_clusters(n, p, mu, eta, seed=11)
    assert d.x.shape == (n, p)
    assert abs(float(d.mu1 @ d.mu2)) < 1e-9
    assert float(d.mu1.norm()) == pytest.approx(mu) and float(d.mu2.norm()) == pytest.approx(mu)
    # clean label from cluster: ids 0,1 -> +1 ; 2,3 -> -1
    assert torch.equal(d.y_clean, torch.where(d.cluster < 2, 1.0, -1.0))
    assert torch.equal(d.flipped, d.y != d.y_clean)
    # flip rate within 5 sigma of eta
    rate = float(d.flipped.double().mean())
    assert abs(rate - eta) < 5 * (eta * (1 - eta) / n) ** 0.5
    # per-cluster means: x - mean ~ N(0, I): the sample mean is within 5/sqrt(n_c) per coordinate
    means = torch.stack([d.mu1, -d.mu1, d.mu2, -d.mu2])
    for c in range(4):
        xs = d.x[d.cluster == c].double()
        dev = (xs.mean(0) - means[c].double()).abs().max()
        assert dev < 5 / len(xs) ** 0.5
        assert abs(float(xs.var(0).mean()) - 1.0) < 0.05


def test_gaussian_random_basis_orthogonal():
    d = sample_gaussian_clusters(10, 40, 2.0, 0.0, seed=1, basis="random")
    assert abs(float(d.mu1 @ d.mu2)) < 1e-5
    assert not bool(d.flipped.any())


@pytest.mark.parametrize(
    "kwargs, name",
    [({"n": 0}, "n"), ({"p": 2}, "p"), ({"eps": 0.0}, "eps"), ({"eps": -1.0}, "eps"), ({"seed": -1}, "seed")],
)
def test_hypercube_bad_input(kwargs, name):
    args = {"n": 5, "p": 10, "eps": 0.1, "seed": 0, **kwargs}
    with pytest.raises(InputError, match=name):
        sample_hypercube(**args)


def test_memory_guard_refuses_before_allocating():
    with pytest.raises(InputError, match=r"GiB"):
        sample_hypercube(10**6, 10**7, 0.05, 0)
    with pytest.raises(InputError, match=r"GiB"):
        sample_gaussian_clusters(10**6, 10**7, 1.0, 0.0, 0)


def test_gaussian_bad_input():
    with pytest.raises(InputError, match="eta"):
        sample_gaussian_clusters(10, 10, 1.0, 0.5, 0)
    with pytest.raises(InputError, match="mu_norm"):
        sample_gaussian_clusters(10, 10, 0.0, 0.1, 0)
