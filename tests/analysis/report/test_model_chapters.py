"""chapters/02-correlation.qmd … 05-segments.qmd run on fresh results: every cell executes, every
inline number is formatted text, cells stay short, the verdict matches metrics.json — and they
still run, and say what the numbers say, on another period's results."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil

import pandas as pd
import pytest

from analysis import report
from analysis.paths import PROJECT_ROOT

CHAPTERS = [PROJECT_ROOT / "chapters" / name for name in ("02-correlation.qmd", "03-model.qmd")]
LATER_CHAPTERS = [PROJECT_ROOT / "chapters" / name for name in ("04-drivers.qmd", "05-segments.qmd")]
CELL = re.compile(r"^```\{python\}\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`\{python\} ([^`]+)`")


@pytest.fixture
def fresh_results(built, monkeypatch):
    monkeypatch.setattr(report, "load", lambda directory=built: report.Report(directory))


def _edit_json(path, **changes):
    document = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        document[key] = value(document[key]) if callable(value) else value
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def other_period_results(built, tmp_path, monkeypatch):
    """The real results edited the way another period's can differ: no collinear pair among the table's
    numbers, no copies, a single chosen model that meets the target, experiments too small, no promo
    hunters, and a category as the priority segment's largest difference."""
    folder = tmp_path / "results"
    shutil.copytree(built, folder)
    pairs = pd.read_csv(folder / "collinear_pairs.csv")
    pairs.loc[pairs["engineered"]].to_csv(folder / "collinear_pairs.csv", index=False)
    drops = pd.read_csv(folder / "feature_drop.csv")
    drops.loc[drops["variant"] == "all"].to_csv(folder / "feature_drop.csv", index=False)
    _edit_json(folder / "data_summary.json", copy_groups=0, copy_customers=0)
    _edit_json(folder / "metrics.json",
               split=lambda split: split | {"straddling_copy_groups": []},
               target=lambda target: target | {"test_met": True, "cv_met": True},
               chosen=lambda chosen: chosen | {"name": "svc", "label": "Метод опорных векторов",
                                               "members": ["svc"], "without": []},
               brier=lambda brier: brier | {"calibrated": True})
    experiment = pd.read_csv(folder / "segment_experiment.csv").assign(feasible=False)
    experiment.to_csv(folder / "segment_experiment.csv", index=False)
    _edit_json(folder / "campaign.json", experiment=lambda design: design | {
        "feasible": False, "plan": design["plan"] | {"feasible": False, "total_needed": design["customers"] + 40}})
    summary = pd.read_csv(folder / "segment_summary.csv")
    summary.loc[summary["segment"] == "promo_hunters", ["customers", "profit_at_stake"]] = 0
    summary.to_csv(folder / "segment_summary.csv", index=False)
    for name in ("segment_comparison", "segment_drivers", "segment_offers"):
        frame = pd.read_csv(folder / f"{name}.csv")
        frame.loc[frame["segment"] != "promo_hunters"].to_csv(folder / f"{name}.csv", index=False)
    comparison = pd.read_csv(folder / "segment_comparison.csv")
    category = comparison.loc[comparison["kind"] == "category"].index[:1]
    pd.concat([comparison.loc[category], comparison.drop(category)]).to_csv(
        folder / "segment_comparison.csv", index=False)
    monkeypatch.setattr(report, "load", lambda directory=folder: report.Report(folder))
    return folder


def run_chapter(chapter, monkeypatch) -> tuple[dict, list[str], str]:
    """(the namespace, every inline expression's value, everything the cells print)."""
    monkeypatch.chdir(chapter.parent)  # Quarto runs a page in its own folder
    text = chapter.read_text(encoding="utf-8")
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for code in CELL.findall(text):
            exec(compile(code, str(chapter), "exec"), namespace)
    values = [eval(expression, namespace) for expression in INLINE.findall(CELL.sub("", text))]
    return namespace, values, printed.getvalue()


def assert_prose(values):
    for value in values:
        assert isinstance(value, str), f"{value!r}: format numbers for prose"
        assert "nan" not in value.lower()


@pytest.mark.parametrize("chapter", CHAPTERS + LATER_CHAPTERS, ids=lambda path: path.name)
def test_every_cell_and_inline_expression_runs(chapter, fresh_results, monkeypatch):
    _, values, _ = run_chapter(chapter, monkeypatch)
    assert len(values) > 15
    assert_prose(values)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.name)
def test_chapter_cells_stay_short(chapter):
    for code in CELL.findall(chapter.read_text(encoding="utf-8")):
        lines = [line for line in code.splitlines() if line.strip() and not line.startswith("#|")]
        assert len(lines) <= 10, code


def test_the_model_chapter_states_whether_the_target_was_met(built, fresh_results, monkeypatch):
    metrics = json.loads((built / "metrics.json").read_text(encoding="utf-8"))
    _, _, printed = run_chapter(CHAPTERS[1], monkeypatch)
    verdicts = re.findall(r"— (не достигнута|достигнута) \(", printed)
    expected = ["достигнута" if metrics["target"][key] else "не достигнута" for key in ("test_met", "cv_met")]
    assert verdicts == expected
    met = all(metrics["target"][key] for key in ("test_met", "cv_met"))
    assert printed.startswith("::: {.callout-note}\n## Цель достигнута\n" if met else "::: {.callout-warning}\n")


@pytest.mark.parametrize("chapter", CHAPTERS + LATER_CHAPTERS, ids=lambda path: path.name)
def test_the_chapters_read_true_on_another_periods_results(chapter, other_period_results, monkeypatch):
    _, values, printed = run_chapter(chapter, monkeypatch)
    assert_prose(values)
    prose = " ".join(values) + printed
    if chapter.name == "02-correlation.qmd":
        assert "Повторяют друг друга" not in prose and "убирать нечего" in prose
    elif chapter.name == "03-model.qmd":
        assert printed.startswith("::: {.callout-note}\n## Цель достигнута\n")
        assert "не достигнута" not in printed and "Покупателей-копий в этих данных нет" in printed
        assert "ни одна группа копий не оказалась по разные стороны" in prose
        assert "улучшила оценку вне фолда" in prose and "модель использует все признаки" in prose
        assert "не применяется" not in prose
    elif chapter.name == "05-segments.qmd":
        assert "**Охотники за акциями** — в этих данных таких покупателей нет." in values
        assert "покупателей не хватает (нужно" in prose and "покупателей хватает" not in prose
