"""Cleaning: every fix is audited with its row count; cleaning twice changes nothing; no id is lost."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from csv_edit import append_row, column_values, read_rows, set_cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data.cleaning import clean, clean_table
from analysis.constants import RAW_FILES
from analysis.data.load import load_raw_data
from analysis.errors import InvalidInputError
from analysis.data.labels import ALLOWED_LABELS, COLUMNS, LABEL_FIXES, TARGET, raw_column

MARKET_FILE = "market_file.csv"
TARGET_COLUMN = raw_column(MARKET_FILE, TARGET)
RAW_NAME = {code: raw for raw, code in COLUMNS[MARKET_FILE].items()}


TYPO_CASES = [(file, raw, typo) for file, columns in COLUMNS.items() for raw, code in columns.items()
              if code in ALLOWED_LABELS[file] for typo in LABEL_FIXES.get(code, {})]


@pytest.mark.parametrize(("file", "column", "typo"), TYPO_CASES)
def test_each_known_typo_is_audited_with_its_row_count(clean_data, raw_dir, file, column, typo):
    in_file = column_values(raw_dir / file, column).count(typo)
    fixes = clean_data.audit.query("step == 'fix_label' and file == @file and column == @column "
                                   "and before == @typo")
    assert fixes["rows"].sum() == in_file, "one audit row with the file's own count (none if absent)"
    assert set(fixes["after"]) <= {LABEL_FIXES[COLUMNS[file][column]][typo]}


def test_the_three_known_typos_are_all_found_in_the_real_data(clean_data):
    fixed = set(clean_data.audit.query("step == 'fix_label'")["before"])
    assert fixed == {typo for typos in LABEL_FIXES.values() for typo in typos}


def test_clean_labels_are_only_allowed_labels(clean_data):
    for file, frame in clean_data.frames().items():
        for column, allowed in ALLOWED_LABELS[file].items():
            assert set(frame[column]) <= set(allowed), (file, column)


def test_label_inventory_accounts_for_every_cell(clean_data, raw):
    for file, frame in raw.frames().items():
        inventory = clean_data.labels.query("file == @file")
        for column in inventory["column"].unique():
            counts = inventory.query("column == @column").set_index("label")["rows"]
            assert counts.to_dict() == frame[column].value_counts().to_dict()


def test_columns_get_code_names_and_renames_are_audited(clean_data):
    for file, frame in clean_data.frames().items():
        assert list(frame.columns) == list(COLUMNS[file].values())
    renamed = clean_data.audit.query("step == 'rename_column'")
    expected = {(file, raw) for file, cols in COLUMNS.items() for raw, code in cols.items() if raw != code}
    assert set(zip(renamed["file"], renamed["column"])) == expected


def test_exact_repeats_are_dropped_and_audited(data_copy):
    path = data_copy / "market_time.csv"
    first = append_row(path, read_rows(path)[1])
    second = append_row(path, read_rows(path)[2])
    cleaned = clean(load_raw_data(data_copy))
    [repeat] = cleaned.audit.query("step == 'drop_duplicate_row'").itertuples()
    assert (repeat.file, repeat.rows) == ("market_time.csv", 2)
    assert f"{first}, {second}" in repeat.before
    assert len(cleaned.market_time) == len(read_rows(path)) - 1 - 2


def test_a_spelling_variant_is_fixed_and_audited(data_copy):
    set_cell(data_copy / MARKET_FILE, 4, "Тип сервиса", "  ПРЕМИУМ ")
    cleaned = clean(load_raw_data(data_copy))
    assert cleaned.market_file.loc[4, "service_type"] == "премиум"
    [fix] = cleaned.audit.query("before == '  ПРЕМИУМ '").itertuples()
    assert (fix.after, fix.rows) == ("премиум", 1)


def test_a_conflicting_key_is_refused_not_guessed(raw):
    money = pd.concat([raw.money, raw.money.iloc[[0]].assign(Прибыль=99.0)])
    with pytest.raises(InvalidInputError, match="share"):
        clean_table("money.csv", money)


# Property: cleaning is idempotent and keeps the set of ids --------------------

def spellings(label: str, column: str) -> list[str]:
    """The label as cleaning must accept it: as is, re-cased, padded, and any known typo of it."""
    typos = [typo for typo, fixed in LABEL_FIXES.get(column, {}).items() if fixed == label]
    return [label, label.upper(), f"  {label} ", label.capitalize(), *typos]


@st.composite
def market_files(draw) -> pd.DataFrame:
    """market_file.csv-like frames: a few customers, some rows repeated with other spellings, any order."""
    ids = draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=8, unique=True))
    rows = []
    for customer in ids:
        labels = {column: draw(st.sampled_from(allowed)) for column, allowed in ALLOWED_LABELS[MARKET_FILE].items()}
        numbers = {column: draw(st.integers(0, 20)) for column in COLUMNS[MARKET_FILE].values()
                   if column not in labels and column != "id"}
        for _ in range(draw(st.integers(1, 3))):
            spelled = {column: draw(st.sampled_from(spellings(label, column))) for column, label in labels.items()}
            rows.append({"id": customer, **spelled, **numbers})
    order = draw(st.permutations(range(len(rows))))
    frame = pd.DataFrame([rows[i] for i in order], index=pd.RangeIndex(2, 2 + len(rows), name="row"))
    frame = frame[list(COLUMNS[MARKET_FILE].values())].rename(columns=RAW_NAME)
    return frame.astype({RAW_NAME[column]: "str" for column in ALLOWED_LABELS[MARKET_FILE]})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market_files())
def test_cleaning_is_idempotent_and_keeps_every_id(frame):
    once, audit, _ = clean_table(MARKET_FILE, frame)
    twice, second_audit, _ = clean_table(MARKET_FILE, once)
    pd.testing.assert_frame_equal(twice, once)
    assert second_audit.empty
    assert set(once["id"]) == set(frame[RAW_NAME["id"]])
    assert once["id"].is_unique, "repeats that differ only in spelling collapse to one row"
    changed_cells = sum(int((frame[RAW_NAME[column]] != expected_labels(frame[RAW_NAME[column]], column)).sum())
                        for column in ALLOWED_LABELS[MARKET_FILE])
    assert audit.query("step == 'fix_label'")["rows"].sum() == changed_cells


def expected_labels(values: pd.Series, column: str) -> pd.Series:
    """What each label should become, derived here from the allowed labels and typo list alone."""
    def key(label: str) -> str:
        return " ".join(label.split()).casefold().replace("ё", "е")

    canonical = {key(label): label for label in ALLOWED_LABELS[MARKET_FILE][column]}
    canonical |= {key(typo): fixed for typo, fixed in LABEL_FIXES.get(column, {}).items()}
    return values.map(lambda value: canonical[key(value)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market_files())
def test_inventory_and_repeats_match_their_plain_definitions(frame):
    """The per-distinct-label counting and the key-first repeat check give what the obvious code gives."""
    cleaned, audit, inventory = clean_table(MARKET_FILE, frame)
    for column in ALLOWED_LABELS[MARKET_FILE]:
        raw = RAW_NAME[column]
        pairs = pd.DataFrame({"label": frame[raw], "clean_label": expected_labels(frame[raw], column)})
        expected = [(label, clean, rows) for (label, clean), rows in pairs.value_counts(sort=False).items()]
        listed = inventory.query("column == @raw")
        assert list(zip(listed["label"], listed["clean_label"], listed["rows"])) == expected
    renamed = frame.rename(columns=COLUMNS[MARKET_FILE]).assign(
        **{column: expected_labels(frame[RAW_NAME[column]], column) for column in ALLOWED_LABELS[MARKET_FILE]})
    pd.testing.assert_frame_equal(cleaned, renamed.loc[~renamed.duplicated()], check_dtype=False)


# Scoring inputs ---------------------------------------------------------------

def test_without_money_and_target_cleaning_cleans_what_is_there(raw, clean_data):
    scoring_input = dataclasses.replace(raw, market_file=raw.market_file.drop(columns=TARGET_COLUMN), money=None)
    cleaned = clean(scoring_input)
    assert cleaned.money is None and list(cleaned.frames()) == list(RAW_FILES[:3])
    pd.testing.assert_frame_equal(cleaned.market_file, clean_data.market_file.drop(columns="activity"))
    pd.testing.assert_frame_equal(cleaned.market_time, clean_data.market_time)
    expected_audit = clean_data.audit.query("file != 'money.csv' and column != @TARGET_COLUMN")
    pd.testing.assert_frame_equal(cleaned.audit, expected_audit.reset_index(drop=True))
    assert TARGET_COLUMN not in set(cleaned.labels["column"])
