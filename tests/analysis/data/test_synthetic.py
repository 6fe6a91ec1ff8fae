"""Synthetic customers: the real files' format and labels, new ids, new mixes, same bytes for the same seed."""

from __future__ import annotations

import pandas as pd
import pytest
from csv_edit import read_rows

from analysis.data.cleaning import clean
from analysis.constants import RAW_FILES
from analysis.data.load import load_raw_data
from analysis.data.raw_text import RAW_FORMATS
from analysis.data.features import FEATURE_COLUMNS, customers_wide
from analysis.data.labels import TARGET, raw_column
from analysis.data.synthetic import write_synthetic_dataset

CUSTOMERS = 2000
TARGET_COLUMN = raw_column("market_file.csv", TARGET)


@pytest.fixture(scope="module")
def synthetic_dir(raw_dir, tmp_path_factory):
    return write_synthetic_dataset(raw_dir, tmp_path_factory.mktemp("synthetic"), CUSTOMERS)


@pytest.fixture(scope="module")
def synthetic_raw(synthetic_dir):
    return load_raw_data(synthetic_dir)


def test_same_seed_same_bytes_other_seed_other_data(raw_dir, synthetic_dir, tmp_path):
    again = write_synthetic_dataset(raw_dir, tmp_path / "again", CUSTOMERS)
    other = write_synthetic_dataset(raw_dir, tmp_path / "other", CUSTOMERS, seed=7)
    for name in RAW_FILES:
        assert (again / name).read_bytes() == (synthetic_dir / name).read_bytes(), name
    assert (other / "market_file.csv").read_bytes() != (synthetic_dir / "market_file.csv").read_bytes()


def test_files_are_in_the_real_dialects(raw_dir, synthetic_dir):
    for name in RAW_FILES:
        real, synthetic = (raw_dir / name).read_bytes(), (synthetic_dir / name).read_bytes()
        assert synthetic.splitlines()[0] == real.splitlines()[0], f"{name}: the same header"
        assert synthetic.count(b"\r\n") == synthetic.count(b"\n"), f"{name}: CRLF like the real file"
        assert synthetic.endswith(b"\r\n")
        assert b'"' not in synthetic
    profits = [row[1] for row in read_rows(synthetic_dir / "money.csv")[1:]]
    assert RAW_FORMATS["money.csv"] == {"sep": ";", "decimal": ","}
    assert all("." not in value for value in profits) and any("," in value for value in profits)


def test_every_file_describes_the_same_new_unique_customers(raw, synthetic_raw):
    ids = synthetic_raw.market_file["id"]
    assert ids.is_unique and len(ids) == CUSTOMERS
    assert not set(ids) & set(raw.market_file["id"]), "ids are new"
    for name, frame in synthetic_raw.frames().items():
        assert set(frame["id"]) == set(ids), name
    assert len(synthetic_raw.market_money) == 3 * CUSTOMERS and len(synthetic_raw.market_time) == 2 * CUSTOMERS


def test_real_labels_are_kept_as_written_typos_included(synthetic_raw):
    assert "стандартт" in set(synthetic_raw.market_file["Тип сервиса"])
    assert set(synthetic_raw.market_time["Период"]) == {"предыдцщий_месяц", "текущий_месяц"}
    audit = clean(synthetic_raw).audit
    assert {"стандартт", "предыдцщий_месяц", "Косметика и аксесуары"} <= set(audit["before"])


def test_customers_are_new_mixes_of_real_parts(raw, synthetic_raw):
    """Each part (customer row, revenue months, minutes) is some real customer's; whole customers mostly are not."""
    real, synthetic = customers_wide(clean(raw)), customers_wide(clean(synthetic_raw))
    revenue = [column for column in FEATURE_COLUMNS if column.startswith("revenue_")]
    minutes = [column for column in FEATURE_COLUMNS if column.startswith("minutes_")]
    customer = [column for column in FEATURE_COLUMNS if column not in revenue + minutes]
    for columns in (customer, revenue, minutes):
        known = set(real[columns].itertuples(index=False))
        assert set(synthetic[columns].itertuples(index=False)) <= known
    whole = set(real[list(FEATURE_COLUMNS)].itertuples(index=False))
    copied = sum(row in whole for row in synthetic[list(FEATURE_COLUMNS)].itertuples(index=False))
    assert copied < 0.01 * len(synthetic)


def test_scoring_inputs_can_leave_out_the_target_and_money(raw_dir, synthetic_dir, tmp_path):
    folder = tmp_path / "scoring"
    folder.mkdir()
    (folder / "money.csv").write_bytes(b"stale")
    write_synthetic_dataset(raw_dir, folder, CUSTOMERS, with_target=False, with_money=False)
    assert not (folder / "money.csv").exists()
    header = read_rows(folder / "market_file.csv")[0]
    assert TARGET_COLUMN not in header
    full = pd.read_csv(synthetic_dir / "market_file.csv", dtype=str).drop(columns=TARGET_COLUMN)
    pd.testing.assert_frame_equal(pd.read_csv(folder / "market_file.csv", dtype=str), full)
    for name in ("market_money.csv", "market_time.csv"):
        assert (folder / name).read_bytes() == (synthetic_dir / name).read_bytes()
    loaded = load_raw_data(folder, require_target=False, require_money=False)
    assert loaded.money is None and TARGET_COLUMN not in loaded.market_file
