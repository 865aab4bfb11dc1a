"""Modular arithmetic and parity tasks: labels against brute force, the split, bad input."""

import pytest
import torch

from xorgrok.core.errors import InputError
from xorgrok.data.modular import all_pairs, make_modular, split_indices
from xorgrok.data.parity import make_parity


@pytest.mark.parametrize("op", ["add", "mul"])
def test_labels_match_brute_force(op):
    p = 13
    task = make_modular(p, op, 0.3, split_seed=1)
    for x, y in ((task.x_train, task.y_train), (task.x_test, task.y_test)):
        for (a, b), c in zip(x.tolist(), y.tolist(), strict=True):
            assert c == ((a + b) % p if op == "add" else (a * b) % p)
    assert task.x_train.dtype == torch.int64 and task.y_train.dtype == torch.int64
    assert task.n_classes == p and task.loss == "ce"


def test_split_is_a_partition_of_all_pairs_with_the_paper_fraction():
    task = make_modular()  # p = 113, 25 %
    n = 113 * 113
    assert len(task.y_train) == round(0.25 * n) == 3192
    assert len(task.y_train) + len(task.y_test) == n
    rows = {tuple(r) for r in torch.cat([task.x_train, task.x_test]).tolist()}
    assert len(rows) == n


def test_split_depends_only_on_split_seed():
    a = make_modular(17, "add", 0.25, split_seed=3)
    b = make_modular(17, "mul", 0.25, split_seed=3)
    c = make_modular(17, "add", 0.25, split_seed=4)
    assert torch.equal(a.x_train, b.x_train)  # same pairs for both operations
    assert not torch.equal(a.x_train, c.x_train)
    tr, te = split_indices(100, 0.25, 0)
    assert len(set(tr.tolist()) & set(te.tolist())) == 0 and len(tr) == 25


def test_all_pairs_order():
    x, y = all_pairs(3, "add")
    assert x.tolist()[:4] == [[0, 0], [0, 1], [0, 2], [1, 0]]
    assert y.tolist() == [0, 1, 2, 1, 2, 0, 2, 0, 1]


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"operation": "div"}, "operation"),
        ({"p": 1}, "modulus"),
        ({"train_fraction": 1.0}, "train_fraction"),
        ({"train_fraction": 0.0}, "train_fraction"),
        ({"p": 2, "train_fraction": 0.01}, "empty split"),
    ],
)
def test_bad_input(kwargs, word):
    with pytest.raises(InputError, match=word):
        make_modular(**kwargs)


def test_parity_labels_and_shapes():
    task = make_parity(q=10, k=3, n=50, n_test=30, seed=2)
    assert task.x_train.shape == (50, 10) and task.x_test.shape == (30, 10)
    assert set(task.x_train.unique().tolist()) == {-1.0, 1.0}
    x = torch.cat([task.x_train, task.x_test])
    y = torch.cat([task.y_train, task.y_test])
    for row, label in zip(x.tolist(), y.tolist(), strict=True):
        assert label == row[0] * row[1] * row[2]
    assert task.binary and task.loss == "logistic"
    again = make_parity(q=10, k=3, n=50, n_test=30, seed=2)
    assert torch.equal(again.x_test, task.x_test)


def test_parity_bad_input():
    with pytest.raises(InputError, match="k must be <= q"):
        make_parity(q=3, k=4)
    with pytest.raises(InputError, match="n"):
        make_parity(n=0)
