"""Excel copies of the main tables: every column under a Russian header with its unit, the same
rows as the CSV, the same bytes every build, and never in the public build."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from segment_inputs import generated_model_outputs

from analysis.decide import campaign, segments
from analysis.report import downloads, publish, units, workbooks


@pytest.fixture(scope="module")
def results_dir(model_data, tmp_path_factory) -> Path:
    """customers.csv, segment_summary.csv and campaign.csv as build-results writes them (generated model outputs)."""
    customers, shap, metrics = generated_model_outputs(model_data.table)
    built = segments.build_segment_results(model_data.table, customers, shap, metrics)
    planned = campaign.build_campaign_results(built["customers"], model_data.table, segments.SEGMENT_LABELS)
    folder = tmp_path_factory.mktemp("results")
    for name, frame in {**built, **planned.tables}.items():
        if isinstance(frame, pd.DataFrame):
            frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def sheet_rows(workbook: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(workbook)).active.values)


def test_each_workbook_holds_its_csv_under_russian_headers_with_units(results_dir):
    books = workbooks.people_workbooks(results_dir, 3)
    assert set(books) == {"customers.xlsx", "segment_summary.xlsx", "campaign.xlsx", "action_list.xlsx"}
    for name, (csv, _) in workbooks.PEOPLE_WORKBOOKS.items():
        frame = pd.read_csv(results_dir / csv)
        rows = sheet_rows(books[name])
        assert len(rows) == len(frame) + 1, name
        assert list(rows[0]) == [workbooks.headers(csv, 3)[column] for column in frame.columns], name
        assert all(not header.isascii() for header in rows[0] if header != "id покупателя"), name
        assert rows[1][0] == frame.iloc[0, 0] and rows[-1][0] == frame.iloc[-1, 0], name
    money = [header for header in sheet_rows(books["segment_summary.xlsx"])[0] if units.MONEY in header]
    assert money == ["Прибыль за 3 мес., у. е. выгрузки", "Прибыль под риском за 3 мес. (верхняя граница), у. е. выгрузки"]
    assert "Средний риск (вероятность от 0 до 1)" in sheet_rows(books["segment_summary.xlsx"])[0]
    assert "Прибыль, у. е. выгрузки в месяц" in sheet_rows(books["customers.xlsx"])[0]
    actions = sheet_rows(books["action_list.xlsx"])[0]
    assert "Прибыль, у. е. выгрузки в месяц" in actions
    assert "Риск: вероятность снижения активности (вероятность от 0 до 1)" in actions


def test_headers_and_the_downloads_page_take_each_unit_from_one_column_description(monkeypatch):
    """A unit changed in workbooks.TABLE_COLUMNS changes the workbook header and the downloads
    page's unit alike (they used to be written out twice, in workbooks.py and downloads.py)."""
    for csv, columns in workbooks.TABLE_COLUMNS.items():
        described = downloads.DESCRIPTIONS[csv].units
        assert described == {column: c.unit for column, c in columns.items() if c.unit}, csv
        for column, unit in described.items():
            assert unit in workbooks.headers(csv, 3)[column], (csv, column)
    monkeypatch.setitem(workbooks.TABLE_COLUMNS["campaign.csv"], "profit", workbooks.Column("Прибыль", "мешков"))
    assert workbooks.column_units("campaign.csv")["profit"] == "мешков"
    assert workbooks.headers("campaign.csv", 3)["profit"] == "Прибыль, мешков"


def test_the_same_rows_give_the_same_bytes(results_dir):
    assert workbooks.people_workbooks(results_dir, 3) == workbooks.people_workbooks(results_dir, 3)


def test_a_column_without_a_russian_header_is_refused():
    with pytest.raises(ValueError, match="workbook 'Лист': no Russian header for column\\(s\\) extra"):
        workbooks.to_workbook(pd.DataFrame({"id": [1], "extra": [2]}), {"id": "id покупателя"}, "Лист")


def test_workbooks_naming_customers_stay_out_of_the_public_build():
    assert publish.is_customer_level(Path("customers.xlsx")) and publish.is_customer_level(Path("campaign.xlsx"))
    assert not publish.is_customer_level(Path("segment_summary.xlsx"))
