"""chapters/01-data.qmd runs on fresh results: every cell executes, every inline number is text —
also on another period's results, where there may be no outlier, no copies, no typo and no leak."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil

import pandas as pd
import pytest

from analysis.report import data_charts, data_tables
from analysis import report
from analysis.paths import PROJECT_ROOT

CHAPTER = PROJECT_ROOT / "chapters" / "01-data.qmd"
CELL = re.compile(r"^```\{python\}\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`\{python\} ([^`]+)`")


@pytest.fixture
def fresh_results(built, monkeypatch):
    monkeypatch.setattr(report, "load", lambda directory=built: report.Report(directory))


@pytest.fixture
def other_period_results(built, tmp_path, monkeypatch):
    """The real results edited the way another period's data can differ: no implausible revenue,
    no copies, no label typo, and an id that says nothing about the class."""
    folder = tmp_path / "results"
    shutil.copytree(built, folder)
    for name in ("revenue_outliers", "feature_copies"):
        pd.read_csv(folder / f"{name}.csv").iloc[0:0].to_csv(folder / f"{name}.csv", index=False)
    audit = pd.read_csv(folder / "audit.csv")
    audit.loc[audit["step"] != "fix_label"].to_csv(folder / "audit.csv", index=False)
    summary = json.loads((folder / "data_summary.json").read_text(encoding="utf-8"))
    summary["excluded"].update(revenue_outlier=0, inactive_month=1)
    summary.update(copy_groups=0, copy_customers=0)
    (folder / "data_summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    leak = json.loads((folder / "id_leak.json").read_text(encoding="utf-8"))
    leak.update(roc_auc_id=0.52, cv_roc_auc_tree=0.5)
    (folder / "id_leak.json").write_text(json.dumps(leak), encoding="utf-8")
    order = pd.read_csv(folder / "id_order.csv").assign(share_dropped=0.4)
    order.to_csv(folder / "id_order.csv", index=False)
    monkeypatch.setattr(report, "load", lambda directory=folder: report.Report(folder))
    return folder


def run_chapter(monkeypatch) -> tuple[str, list[str]]:
    """(everything the cells print, every inline expression's value), as the page would show them."""
    monkeypatch.chdir(CHAPTER.parent)  # Quarto runs a page in its own folder
    text = CHAPTER.read_text(encoding="utf-8")
    namespace: dict = {}
    printed = io.StringIO()
    cells = CELL.findall(text)
    assert cells
    with contextlib.redirect_stdout(printed):
        for code in cells:
            exec(compile(code, str(CHAPTER), "exec"), namespace)
    return printed.getvalue(), [eval(expression, namespace) for expression in INLINE.findall(CELL.sub("", text))]


def test_every_cell_and_inline_expression_runs(fresh_results, monkeypatch):
    printed, values = run_chapter(monkeypatch)
    assert len(values) > 20
    for value in values:
        assert isinstance(value, str), f"{value!r}: format numbers for prose"
        assert "nan" not in value.lower()
    assert "неправдоподобной выручки" in printed


def test_the_chapter_reads_true_on_another_periods_results(other_period_results, monkeypatch):
    printed, values = run_chapter(monkeypatch)
    prose = " ".join(values) + printed
    assert all(isinstance(value, str) and "nan" not in value.lower() for value in values)
    assert "в этих данных нет, и по этой причине никто не исключён" in printed
    assert "Опечаток не нашлось." in values
    assert "Да: исправлять ничего не пришлось." in values
    assert "он исключён" in prose  # one customer, singular
    assert "упорядочен по ответу" not in prose and "почти все «Снизилась»" not in prose
    assert "в этих данных нет" in prose  # no copies


def test_the_outlier_paragraph_and_chart_follow_the_outliers(built):
    summary = json.loads((built / "data_summary.json").read_text(encoding="utf-8"))
    outliers, histogram = pd.read_csv(built / "revenue_outliers.csv"), pd.read_csv(built / "revenue_histogram.csv")
    assert len(outliers) == 1
    one = data_tables.revenue_outlier_text(outliers, summary)
    assert "тот же единственный месяц" in one and outliers["other_months"].iloc[0] in one
    none = data_tables.revenue_outlier_text(outliers.iloc[0:0], summary)
    assert none.startswith("Месяцев с неправдоподобной выручкой") and "исключ" in none
    two = pd.concat([outliers, outliers.assign(id=outliers["id"] + 1, revenue=outliers["revenue"] * 2,
                                               ratio_to_median=outliers["ratio_to_median"] * 2)])
    several = data_tables.revenue_outlier_text(two, summary | {"excluded": summary["excluded"] | {"revenue_outlier": 2}})
    assert "2 исключены" in several.replace("\u00a0", " ") and "те же месяцы" in several
    assert len(data_charts.revenue_outlier_context(histogram, outliers).to_dict()["layer"]) == 3
    empty = data_charts.revenue_outlier_context(histogram, outliers.iloc[0:0]).to_dict()
    assert len(empty["layer"]) == 1 and "нет" in " ".join(empty["title"]["text"])


def test_chapter_cells_stay_short():
    for code in CELL.findall(CHAPTER.read_text(encoding="utf-8")):
        lines = [line for line in code.splitlines() if line.strip() and not line.startswith("#|")]
        assert len(lines) <= 10, code
