"""Tasks plug into the engine as TaskData: tensors plus a loss name. The trainer never asks which task."""

from xorgrok.tasks.base import TaskData

__all__ = ["TaskData"]
