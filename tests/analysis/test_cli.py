"""build-results end to end: the files the chapters read, checked against the raw files themselves."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from csv_edit import column_values, read_rows, set_cell
from sklearn.metrics import roc_auc_score

from analysis.cli import main
from analysis.constants import POSITIVE_CLASS
from analysis.data.features import EXCLUSION_COLUMNS, MODEL_TABLE_COLUMNS

WRITTEN = ("raw_files.csv", "activity_classes.csv", "audit.csv", "labels.csv", "columns.csv", "model_table.csv",
           "exclusions.csv", "feature_copies.csv", "id_order.csv", "revenue_outliers.csv", "revenue_histogram.csv",
           "period_summary.csv", "feature_separation.csv", "feature_distributions.csv", "data_summary.json",
           "id_leak.json")


def test_every_result_is_written(built):
    assert {path.name for path in built.iterdir()} >= set(WRITTEN)


def test_summary_counts_add_up_to_the_raw_file(built, raw_dir):
    summary = json.loads((built / "data_summary.json").read_text(encoding="utf-8"))
    raw_customers = len(read_rows(raw_dir / "market_file.csv")) - 1
    assert summary["raw_customers"] == raw_customers
    assert summary["modelled_customers"] + sum(summary["excluded"].values()) == raw_customers
    assert summary["excluded_total"] == sum(summary["excluded"].values())


def test_every_raw_id_is_in_exactly_one_output(built, raw_dir):
    raw_ids = {int(value) for value in column_values(raw_dir / "market_file.csv", "id")}
    table = pd.read_csv(built / "model_table.csv")
    exclusions = pd.read_csv(built / "exclusions.csv")
    assert list(exclusions.columns) == EXCLUSION_COLUMNS
    assert tuple(table.columns) == MODEL_TABLE_COLUMNS
    modelled, excluded = set(table["id"]), set(exclusions["id"])
    assert modelled | excluded == raw_ids and not modelled & excluded
    assert len(table) + len(exclusions) == len(raw_ids)


def test_audit_csv_lists_each_typo_with_the_files_own_count(built, raw_dir):
    audit = pd.read_csv(built / "audit.csv")
    typo_rows = column_values(raw_dir / "market_file.csv", "Тип сервиса").count("стандартт")
    assert audit.query("before == 'стандартт'")["rows"].tolist() == [typo_rows]
    assert {"file", "column", "before", "after", "rows"} <= set(audit.columns)


def test_id_leak_is_computed_from_the_data(built, raw_dir):
    leak = json.loads((built / "id_leak.json").read_text(encoding="utf-8"))
    ids = [int(value) for value in column_values(raw_dir / "market_file.csv", "id")]
    dropped = [value == POSITIVE_CLASS for value in
               column_values(raw_dir / "market_file.csv", "Покупательская активность")]
    auc = roc_auc_score(dropped, ids)
    assert leak["roc_auc_id"] == pytest.approx(max(auc, 1 - auc))


def test_invalid_data_stop_the_build_before_anything_is_written(data_copy, tmp_path, capsys):
    set_cell(data_copy / "money.csv", 5, "Прибыль", "много")
    out = tmp_path / "results"
    assert main(["build-results", "--data-dir", str(data_copy), "--out", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "money.csv, column 'Прибыль', row 5: 'много'" in err and "Traceback" not in err
