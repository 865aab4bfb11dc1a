"""The one interface between a task and the trainers."""

from __future__ import annotations

import dataclasses
from typing import Any

import torch

from xorgrok.core.errors import InputError

# The loss names a task may declare; xorgrok.train.losses implements each of them.
BINARY_LOSSES = ("exp", "logistic")
LOSSES = ("exp", "logistic", "ce", "mse")


@dataclasses.dataclass
class TaskData:
    """Full-batch train and test tensors and the loss to train with.

    x_*: model inputs (float features, or int64 token ids for embedding models);
    y_*: {±1} labels for binary losses, int64 class ids for 'ce'/'mse'.
    """

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    loss: str
    n_classes: int | None = None  # None for binary tasks
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)  # split seed, modulus, ... for records

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise InputError(f"loss must be one of {', '.join(LOSSES)}, got {self.loss!r}")
        if len(self.x_train) != len(self.y_train) or len(self.x_test) != len(self.y_test):
            raise InputError("x and y must have the same number of rows in each split")

    @property
    def binary(self) -> bool:
        return self.loss in BINARY_LOSSES

    def to(self, device: torch.device | str) -> TaskData:
        move = {f: getattr(self, f).to(device) for f in ("x_train", "y_train", "x_test", "y_test")}
        return dataclasses.replace(self, **move)
