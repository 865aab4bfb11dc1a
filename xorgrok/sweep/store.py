"""One JSON record per task under DIR/tasks/<key>.json, written atomically (temp file + rename).

A record holds the task's full config, its status ("ok" or "error"), the experiment's result or the
exception's type and message. A killed writer leaves either no file or a whole one, never half of one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xorgrok.core.records import atomic_write_json


class TaskStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.tasks_dir = self.root / "tasks"

    def path(self, key: str) -> Path:
        return self.tasks_dir / f"{key}.json"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with open(self.path(key), encoding="utf-8") as fh:
                return json.load(fh)
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put(self, record: dict[str, Any]) -> Path:
        return atomic_write_json(self.path(record["key"]), record)

    def keys(self) -> list[str]:
        return sorted(p.stem for p in self.tasks_dir.glob("*.json")) if self.tasks_dir.is_dir() else []
