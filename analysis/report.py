"""The one door through which chapters read results.

`build-results` computes everything once into results/; chapters call `load()` and
read tables and figures from it, so every page shows the same numbers and renders
in seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .errors import ResultsMissingError
from .paths import PROJECT_ROOT, RESULTS_DIR

# Written by bench/nested_cv.py (too slow for every build) and committed.
NESTED_CV_FILE = PROJECT_ROOT / "bench" / "results" / "nested_cv.json"


@dataclass(frozen=True)
class Report:
    directory: Path

    def path(self, name: str) -> Path:
        path = self.directory / name
        if not path.exists():
            raise ResultsMissingError(
                f"{path} does not exist: run `make results` (python -m analysis build-results)")
        return path

    def json(self, stem: str) -> dict:
        return json.loads(self.path(f"{stem}.json").read_text(encoding="utf-8"))

    def table(self, stem: str) -> pd.DataFrame:
        return pd.read_csv(self.path(f"{stem}.csv"))


@cache
def load(directory: Path = RESULTS_DIR) -> Report:
    return Report(Path(directory))


def nested_cv(path: Path = NESTED_CV_FILE) -> dict | None:
    """bench/nested_cv.py's figures, or None if it has not been run."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
