"""The one door through which chapters read results.

`build-results` computes everything once into results/; chapters call `load()` and
read tables and figures from it, so every page shows the same numbers and renders
in seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from ..errors import ResultsMissingError
from ..paths import PROJECT_ROOT, RESULTS_DIR
from .publish import is_public_build, pseudonymise_frame, pseudonymise_json, public_numbers

# Written by bench/nested_cv.py (too slow for every build) and committed.
NESTED_CV_FILE = PROJECT_ROOT / "bench" / "results" / "nested_cv.json"


@dataclass(frozen=True)
class Report:
    """Results as chapters read them. In a public build (`publish.is_public_build`) `numbers`
    maps every customer id to its public number, and tables and JSON come with ids replaced,
    so no page of the public site names a customer (the methods page says so)."""

    directory: Path
    numbers: dict[int, int] | None = field(default=None, hash=False, compare=False)

    def path(self, name: str) -> Path:
        path = self.directory / name
        if not path.exists():
            raise ResultsMissingError(
                f"{path} does not exist: run `make results` (python -m analysis build-results)")
        return path

    def json(self, stem: str) -> dict:
        value = json.loads(self.path(f"{stem}.json").read_text(encoding="utf-8"))
        return pseudonymise_json(value, self.numbers) if self.numbers else value

    def table(self, stem: str) -> pd.DataFrame:
        frame = pd.read_csv(self.path(f"{stem}.csv"))
        return pseudonymise_frame(frame, self.numbers) if self.numbers else frame


@cache
def load(directory: Path = RESULTS_DIR, public: bool | None = None) -> Report:
    """The results in `directory`; `public` (default: whether a public profile is being
    rendered) replaces customer ids by their public numbers."""
    directory = Path(directory)
    if public is None:
        public = is_public_build()
    return Report(directory, public_numbers(directory) if public else None)


def nested_cv(path: Path = NESTED_CV_FILE) -> dict | None:
    """bench/nested_cv.py's figures, or None if it has not been run."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def action_list_href(root: str = "", public: bool | None = None) -> str:
    """The link to the action list from a page `root` away from the site root ("" or "../"):
    the workbook in downloads/ in the internal build; in the public build, which ships no
    customer-level file, the methods page's section on the two builds (never a dead link)."""
    if public is None:
        public = is_public_build()
    return f"{root}chapters/methods.qmd#site" if public else f"{root}downloads/action_list.xlsx"
