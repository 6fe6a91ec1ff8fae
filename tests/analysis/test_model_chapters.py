"""chapters/02-correlation.qmd and 03-model.qmd run on fresh results: every cell executes,
every inline number is formatted text, cells stay short, and the verdict matches metrics.json."""

from __future__ import annotations

import json
import re

import pytest

from analysis import report
from analysis.paths import PROJECT_ROOT

CHAPTERS = [PROJECT_ROOT / "chapters" / name for name in ("02-correlation.qmd", "03-model.qmd")]
CELL = re.compile(r"^```\{python\}\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`\{python\} ([^`]+)`")


@pytest.fixture
def fresh_results(built, monkeypatch):
    monkeypatch.setattr(report, "load", lambda directory=built: report.Report(directory))


def run_chapter(chapter, monkeypatch) -> tuple[dict, list[str]]:
    monkeypatch.chdir(chapter.parent)  # Quarto runs a page in its own folder
    text = chapter.read_text(encoding="utf-8")
    namespace: dict = {}
    for code in CELL.findall(text):
        exec(compile(code, str(chapter), "exec"), namespace)
    values = [eval(expression, namespace) for expression in INLINE.findall(CELL.sub("", text))]
    return namespace, values


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.name)
def test_every_cell_and_inline_expression_runs(chapter, fresh_results, monkeypatch):
    _, values = run_chapter(chapter, monkeypatch)
    assert len(values) > 15
    for value in values:
        assert isinstance(value, str) and value, f"{value!r}: format numbers for prose"
        assert "nan" not in value.lower()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.name)
def test_chapter_cells_stay_short(chapter):
    for code in CELL.findall(chapter.read_text(encoding="utf-8")):
        lines = [line for line in code.splitlines() if line.strip() and not line.startswith("#|")]
        assert len(lines) <= 10, code


def test_the_model_chapter_states_whether_the_target_was_met(built, fresh_results, monkeypatch):
    metrics = json.loads((built / "metrics.json").read_text(encoding="utf-8"))
    _, values = run_chapter(CHAPTERS[1], monkeypatch)
    verdicts = [v for v in values if v in ("достигнута", "не достигнута")]
    expected = ["достигнута" if metrics["target"][key] else "не достигнута" for key in ("test_met", "cv_met")]
    assert verdicts == expected
