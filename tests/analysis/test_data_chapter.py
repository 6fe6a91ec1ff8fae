"""chapters/01-data.qmd runs on fresh results: every cell executes, every inline number is text."""

from __future__ import annotations

import re

import pytest

from analysis import report
from analysis.paths import PROJECT_ROOT

CHAPTER = PROJECT_ROOT / "chapters" / "01-data.qmd"
CELL = re.compile(r"^```\{python\}\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`\{python\} ([^`]+)`")


@pytest.fixture
def fresh_results(built, monkeypatch):
    monkeypatch.setattr(report, "load", lambda directory=built: report.Report(directory))


def test_every_cell_and_inline_expression_runs(fresh_results, monkeypatch):
    monkeypatch.chdir(CHAPTER.parent)  # Quarto runs a page in its own folder
    text = CHAPTER.read_text(encoding="utf-8")
    namespace: dict = {}
    cells = CELL.findall(text)
    assert cells
    for code in cells:
        exec(compile(code, str(CHAPTER), "exec"), namespace)
    prose = CELL.sub("", text)
    expressions = INLINE.findall(prose)
    assert len(expressions) > 20
    for expression in expressions:
        value = eval(expression, namespace)
        assert isinstance(value, str) and value, f"{expression} -> {value!r}: format numbers for prose"
        assert "nan" not in value.lower()


def test_chapter_cells_stay_short():
    for code in CELL.findall(CHAPTER.read_text(encoding="utf-8")):
        lines = [line for line in code.splitlines() if line.strip() and not line.startswith("#|")]
        assert len(lines) <= 10, code
